/**
 * The TaskRouter requests the task commands make (tasks, workers,
 * activities), below a workspace of the credential's account.
 */
import type { INodeProperties } from 'n8n-workflow';

import { jsonArgument, optionalBoolean, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import type { TwilioClient, TwilioFormValue } from '../../transport/twilio';

type Form = Record<string, TwilioFormValue>;

export const SID_PATTERNS = {
	workspace: /^WS[0-9a-fA-F]{32}$/,
	task: /^WT[0-9a-fA-F]{32}$/,
	worker: /^WK[0-9a-fA-F]{32}$/,
	queue: /^WQ[0-9a-fA-F]{32}$/,
	activity: /^WA[0-9a-fA-F]{32}$/,
	workflow: /^WW[0-9a-fA-F]{32}$/,
};

export type SidKind = keyof typeof SID_PATTERNS;

const KIND_NAMES: Record<SidKind, string> = {
	workspace: 'a TaskRouter workspace SID (WS and 32 hex digits)',
	task: 'a TaskRouter task SID (WT and 32 hex digits)',
	worker: 'a TaskRouter worker SID (WK and 32 hex digits)',
	queue: 'a TaskRouter queue SID (WQ and 32 hex digits)',
	activity: 'a TaskRouter activity SID (WA and 32 hex digits)',
	workflow: 'a TaskRouter workflow SID (WW and 32 hex digits)',
};

/** Checks `value` is a SID of `kind`, naming the argument `name` otherwise. */
export function checkSid(name: string, value: string, kind: SidKind): string {
	if (!SID_PATTERNS[kind].test(value))
		throw new ArgumentError(name, `must be ${KIND_NAMES[kind]}, got "${value}"`);
	return value;
}

export function requiredSid(
	args: CommandArguments,
	name: string,
	kind: SidKind,
	hint: string,
): string {
	return checkSid(name, requiredString(args, name, hint), kind);
}

export const workspaceProperty: INodeProperties = {
	displayName: 'Workspace SID',
	name: 'workspaceSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. WS0123456789abcdef0123456789abcdef',
	description: 'The TaskRouter workspace (WS…) the task or worker belongs to',
};

export const workerProperty: INodeProperties = {
	displayName: 'Worker SID',
	name: 'workerSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. WK0123456789abcdef0123456789abcdef',
	description: 'The TaskRouter worker (agent)',
};

/** A task's or worker's new attributes, and whether they are merged into the ones it has. */
export const attributesProperties: INodeProperties[] = [
	{
		displayName: 'Attributes (JSON)',
		name: 'attributes',
		type: 'json',
		default: '{}',
		required: true,
		description: 'A JSON object, e.g. {"tier": "vip"}',
	},
	{
		displayName: 'Merge With Existing',
		name: 'mergeExisting',
		type: 'boolean',
		default: true,
		description:
			'Whether to keep the other attributes (the given ones replace theirs by name); off replaces them all',
	},
];

export interface AttributesChange {
	attributes: JsonObject;
	mergeExisting: boolean;
}

export function readAttributesChange(args: CommandArguments): AttributesChange {
	const attributes = jsonArgument(args, 'attributes');
	if (attributes === undefined)
		throw new ArgumentError('attributes', 'is required', 'A JSON object, e.g. {"tier": "vip"}');
	if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
		throw new ArgumentError('attributes', 'must be a JSON object', 'e.g. {"tier": "vip"}');
	return { attributes, mergeExisting: optionalBoolean(args, 'mergeExisting') ?? true };
}

export const taskProperty: INodeProperties = {
	displayName: 'Task SID',
	name: 'taskSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. WT0123456789abcdef0123456789abcdef',
	description: 'The TaskRouter task, e.g. the TaskSid of a TaskRouter event callback',
};

export interface TaskRef {
	workspaceSid: string;
	taskSid: string;
}

export function readTaskRef(args: CommandArguments): TaskRef {
	return {
		workspaceSid: requiredSid(args, 'workspaceSid', 'workspace', 'The WS… SID of the workspace'),
		taskSid: requiredSid(args, 'taskSid', 'task', 'The WT… SID of the task'),
	};
}

function workspacePath(workspaceSid: string, below: string): string {
	return `/v1/Workspaces/${encodeURIComponent(workspaceSid)}${below}`;
}

export async function fetchTask(client: TwilioClient, ref: TaskRef): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'GET',
		service: 'taskrouter',
		path: workspacePath(ref.workspaceSid, `/Tasks/${encodeURIComponent(ref.taskSid)}`),
	});
}

export async function updateTask(
	client: TwilioClient,
	ref: TaskRef,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		service: 'taskrouter',
		path: workspacePath(ref.workspaceSid, `/Tasks/${encodeURIComponent(ref.taskSid)}`),
		form,
	});
}

export async function createTask(
	client: TwilioClient,
	workspaceSid: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		service: 'taskrouter',
		path: workspacePath(workspaceSid, '/Tasks'),
		form,
	});
}

export async function fetchWorker(
	client: TwilioClient,
	workspaceSid: string,
	workerSid: string,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'GET',
		service: 'taskrouter',
		path: workspacePath(workspaceSid, `/Workers/${encodeURIComponent(workerSid)}`),
	});
}

export async function updateWorker(
	client: TwilioClient,
	workspaceSid: string,
	workerSid: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		service: 'taskrouter',
		path: workspacePath(workspaceSid, `/Workers/${encodeURIComponent(workerSid)}`),
		form,
	});
}

/** The workspace's activities with this name (TaskRouter filters by FriendlyName). */
export async function activitiesNamed(
	client: TwilioClient,
	workspaceSid: string,
	friendlyName: string,
): Promise<JsonObject[]> {
	const page = await client.request<{ activities?: JsonObject[] }>({
		method: 'GET',
		service: 'taskrouter',
		path: workspacePath(workspaceSid, '/Activities'),
		query: { FriendlyName: friendlyName },
	});
	return page.activities ?? [];
}

/** A task's or worker's attributes: TaskRouter keeps them as a JSON string. */
export function taskAttributes(task: JsonObject): JsonObject {
	try {
		const parsed: unknown = JSON.parse(String(task.attributes ?? '{}'));
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
			? (parsed as JsonObject)
			: {};
	} catch {
		return {};
	}
}

/** A task as the commands' results report it. */
export function taskSummary(task: JsonObject): JsonObject {
	return {
		taskSid: task.sid ?? null,
		workspaceSid: task.workspace_sid ?? null,
		assignmentStatus: task.assignment_status ?? null,
		reason: task.reason ?? null,
		attributes: taskAttributes(task),
		taskQueueSid: task.task_queue_sid ?? null,
		workflowSid: task.workflow_sid ?? null,
		taskChannel: task.task_channel_unique_name ?? null,
		routingTarget: task.routing_target ?? null,
	};
}

/** A worker as the commands' results report it. */
export function workerSummary(worker: JsonObject): JsonObject {
	return {
		workerSid: worker.sid ?? null,
		friendlyName: worker.friendly_name ?? null,
		activitySid: worker.activity_sid ?? null,
		activityName: worker.activity_name ?? null,
		available: worker.available ?? null,
		attributes: taskAttributes(worker),
	};
}
