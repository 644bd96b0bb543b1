/**
 * TaskRouter's workspaces as the stand-in keeps them: tasks (created,
 * fetched, updated with the assignment statuses TaskRouter allows), workers
 * and their activities, answered as the TaskRouter spec's resources.
 */
import { first } from './params';
import type { TwilioServer } from './server';
import type { TwilioContext, TwilioHandler, TwilioReply } from './types';
import { notFound, parseJson, twilioError, twilioSid } from './wire';

type TaskStatus = 'pending' | 'reserved' | 'assigned' | 'canceled' | 'completed' | 'wrapping';

export interface TaskState {
	sid: string;
	workspaceSid: string;
	attributes: string;
	assignmentStatus: TaskStatus;
	reason: string | null;
	priority: number;
	taskChannel: string;
	taskQueueSid: string | null;
	workflowSid: string | null;
	routingTarget: string | null;
	createdAt: Date;
	updatedAt: Date;
}

export interface ActivityState {
	sid: string;
	workspaceSid: string;
	friendlyName: string;
	available: boolean;
}

export interface WorkerState {
	sid: string;
	workspaceSid: string;
	friendlyName: string;
	activitySid: string;
	attributes: string;
	updates: Array<Readonly<Record<string, string | string[]>>>;
}

export interface TaskRouterState {
	tasks: Map<string, TaskState>;
	workers: Map<string, WorkerState>;
	activities: Map<string, ActivityState>;
}

const states = new WeakMap<TwilioServer, TaskRouterState>();

/** The server's TaskRouter resources, kept beside it so the server itself needs no field for them. */
export function taskRouterOf(server: TwilioServer): TaskRouterState {
	let state = states.get(server);
	if (state === undefined) {
		state = { tasks: new Map(), workers: new Map(), activities: new Map() };
		states.set(server, state);
	}
	return state;
}

/** Which assignment status TaskRouter lets a task move to from which (its documented lifecycle). */
const ALLOWED: Readonly<Record<string, readonly TaskStatus[]>> = {
	canceled: ['pending', 'reserved'],
	wrapping: ['assigned'],
	completed: ['assigned', 'wrapping'],
};

export function addTaskTo(server: TwilioServer, task: Partial<TaskState>): TaskState {
	const now = new Date();
	const state: TaskState = {
		sid: twilioSid('WT'),
		workspaceSid: twilioSid('WS'),
		attributes: '{}',
		assignmentStatus: 'assigned',
		reason: null,
		priority: 0,
		taskChannel: 'voice',
		taskQueueSid: null,
		workflowSid: null,
		routingTarget: null,
		createdAt: now,
		updatedAt: now,
		...task,
	};
	taskRouterOf(server).tasks.set(state.sid, state);
	return state;
}

export function addActivityTo(
	server: TwilioServer,
	activity: Partial<ActivityState>,
): ActivityState {
	const state: ActivityState = {
		sid: twilioSid('WA'),
		workspaceSid: twilioSid('WS'),
		friendlyName: 'Available',
		available: true,
		...activity,
	};
	taskRouterOf(server).activities.set(state.sid, state);
	return state;
}

export function addWorkerTo(server: TwilioServer, worker: Partial<WorkerState>): WorkerState {
	const state: WorkerState = {
		sid: twilioSid('WK'),
		workspaceSid: twilioSid('WS'),
		friendlyName: 'Agent',
		activitySid: twilioSid('WA'),
		attributes: '{}',
		updates: [],
		...worker,
	};
	taskRouterOf(server).workers.set(state.sid, state);
	return state;
}

function workspaceUrl(context: TwilioContext, workspaceSid: string): string {
	return `${context.server.baseUrl}/v1/Workspaces/${workspaceSid}`;
}

function taskResource(context: TwilioContext, task: TaskState): Record<string, unknown> {
	const url = `${workspaceUrl(context, task.workspaceSid)}/Tasks/${task.sid}`;
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		age: Math.round((Date.now() - task.createdAt.getTime()) / 1000),
		assignment_status: task.assignmentStatus,
		attributes: task.attributes,
		date_created: task.createdAt.toISOString(),
		date_updated: task.updatedAt.toISOString(),
		priority: task.priority,
		reason: task.reason,
		sid: task.sid,
		task_queue_sid: task.taskQueueSid,
		task_channel_unique_name: task.taskChannel,
		timeout: 86400,
		workflow_sid: task.workflowSid,
		workspace_sid: task.workspaceSid,
		url,
		links: { reservations: `${url}/Reservations` },
		virtual_start_time: task.createdAt.toISOString(),
		ignore_capacity: false,
		routing_target: task.routingTarget,
	});
}

function activityOf(context: TwilioContext, sid: string): ActivityState | undefined {
	return taskRouterOf(context.server).activities.get(sid);
}

function workerResource(context: TwilioContext, worker: WorkerState): Record<string, unknown> {
	const activity = activityOf(context, worker.activitySid);
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		activity_name: activity?.friendlyName ?? null,
		activity_sid: worker.activitySid,
		attributes: worker.attributes,
		available: activity?.available ?? false,
		friendly_name: worker.friendlyName,
		sid: worker.sid,
		workspace_sid: worker.workspaceSid,
		url: `${workspaceUrl(context, worker.workspaceSid)}/Workers/${worker.sid}`,
	});
}

function activityResource(
	context: TwilioContext,
	activity: ActivityState,
): Record<string, unknown> {
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		available: activity.available,
		friendly_name: activity.friendlyName,
		sid: activity.sid,
		workspace_sid: activity.workspaceSid,
		url: `${workspaceUrl(context, activity.workspaceSid)}/Activities/${activity.sid}`,
	});
}

function isJsonObject(text: string): boolean {
	const parsed = parseJson(text);
	return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
}

function withTask(context: TwilioContext, then: (task: TaskState) => TwilioReply): TwilioReply {
	const task = taskRouterOf(context.server).tasks.get(context.pathParams.Sid ?? '');
	return task === undefined || task.workspaceSid !== context.pathParams.WorkspaceSid
		? notFound(context.request.path)
		: then(task);
}

export const TASKROUTER_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	FetchTask: (context) =>
		withTask(context, (task) => ({ status: 200, body: taskResource(context, task) })),

	UpdateTask: (context) =>
		withTask(context, (task) => {
			const { params } = context;
			const attributes = first(params, 'Attributes');
			if (attributes !== undefined && !isJsonObject(attributes))
				return twilioError(400, 20001, 'Attributes must be a JSON object');
			const status = first(params, 'AssignmentStatus') as TaskStatus | undefined;
			if (status !== undefined) {
				if (!(ALLOWED[status] ?? []).includes(task.assignmentStatus))
					return twilioError(
						400,
						20001,
						`Cannot change the task's AssignmentStatus from ${task.assignmentStatus} to ${status}`,
					);
				const reason = first(params, 'Reason');
				if ((status === 'canceled' || status === 'completed') && !reason)
					return twilioError(400, 20001, `A Reason is required to move a task to ${status}`);
				task.assignmentStatus = status;
				task.reason = reason ?? task.reason;
			}
			if (attributes !== undefined) task.attributes = attributes;
			task.updatedAt = new Date();
			return { status: 200, body: taskResource(context, task) };
		}),

	CreateTask: (context) => {
		const { params } = context;
		const attributes = first(params, 'Attributes') ?? '{}';
		if (!isJsonObject(attributes))
			return twilioError(400, 20001, 'Attributes must be a JSON object');
		const target = first(params, 'RoutingTarget') ?? null;
		const known = taskRouterOf(context.server);
		if (target?.startsWith('WK') && !known.workers.has(target))
			return twilioError(400, 20001, `RoutingTarget ${target} is not a worker of the workspace`);
		const priority = first(params, 'Priority');
		const task = addTaskTo(context.server, {
			workspaceSid: context.pathParams.WorkspaceSid ?? '',
			attributes,
			assignmentStatus: 'pending',
			priority: priority === undefined ? 0 : Number(priority),
			taskChannel: first(params, 'TaskChannel') ?? 'default',
			taskQueueSid: first(params, 'TaskQueueSid') ?? (target?.startsWith('WQ') ? target : null),
			workflowSid: first(params, 'WorkflowSid') ?? null,
			routingTarget: target,
		});
		return { status: 201, body: taskResource(context, task) };
	},

	FetchWorker: (context) => {
		const worker = taskRouterOf(context.server).workers.get(context.pathParams.Sid ?? '');
		return worker === undefined
			? notFound(context.request.path)
			: { status: 200, body: workerResource(context, worker) };
	},

	UpdateWorker: (context) => {
		const worker = taskRouterOf(context.server).workers.get(context.pathParams.Sid ?? '');
		if (worker === undefined || worker.workspaceSid !== context.pathParams.WorkspaceSid)
			return notFound(context.request.path);
		const attributes = first(context.params, 'Attributes');
		if (attributes !== undefined && !isJsonObject(attributes))
			return twilioError(400, 20001, 'Attributes must be a JSON object');
		const activitySid = first(context.params, 'ActivitySid');
		if (activitySid !== undefined) {
			const activity = activityOf(context, activitySid);
			if (activity === undefined || activity.workspaceSid !== worker.workspaceSid)
				return twilioError(
					400,
					20001,
					`Activity ${activitySid} is not an activity of the workspace`,
				);
			worker.activitySid = activitySid;
		}
		if (attributes !== undefined) worker.attributes = attributes;
		worker.updates.push(context.params);
		return { status: 200, body: workerResource(context, worker) };
	},

	ListActivity: (context) => {
		const name = first(context.request.query, 'FriendlyName');
		const fetch = context.server.operation('FetchActivity');
		if (fetch === undefined) throw new Error('No FetchActivity operation');
		const activities = [...taskRouterOf(context.server).activities.values()]
			.filter((activity) => activity.workspaceSid === context.pathParams.WorkspaceSid)
			.filter((activity) => name === undefined || activity.friendlyName === name)
			.map((activity) => activityResource({ ...context, operation: fetch }, activity));
		const url = `${context.server.baseUrl}${context.request.url}`;
		return {
			status: 200,
			body: context.server.shape(context.operation, {
				activities,
				meta: {
					first_page_url: url,
					key: 'activities',
					next_page_url: null,
					page: 0,
					page_size: 50,
					previous_page_url: null,
					url,
				},
			}),
		};
	},
};
