/**
 * Transfer Task: a task's call moved to a TaskRouter worker or queue (a new
 * task routed there, carrying the call) or to a number (a `<Dial>` for a
 * cold transfer, a conference participant for a warm one).
 */
import { jsonArgument, optionalString, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import type { TwilioClient } from '../../transport/twilio';
import { isDestination, readSpeech, readTransferTarget } from './callArguments';
import {
	checkSid,
	createTask,
	SID_PATTERNS,
	taskAttributes,
	updateTask,
	type TaskRef,
} from './taskRouter';
import { transferTwiml } from './twiml';
import { readWarmOptions, type WarmTarget } from './warmTransfer';

export type TransferMode = 'COLD' | 'WARM';

export type TaskTransferTarget =
	| { kind: 'worker' | 'queue'; sid: string; workflowSid?: string }
	| { kind: 'number'; cold: { twiml: string }; warm: WarmTarget };

/**
 * The seed passes the mode as `options: {mode}` (a JSON string through Send
 * Command's key / value arguments); a typed node's Options collection gives
 * `mode` itself.
 */
export function readMode(args: CommandArguments): TransferMode {
	const nested = args.mode === undefined ? jsonArgument(args, 'options') : undefined;
	const fromOptions =
		typeof nested === 'object' && nested !== null && !Array.isArray(nested)
			? optionalString(nested, 'mode')
			: undefined;
	const mode = (optionalString(args, 'mode') ?? fromOptions ?? 'COLD').toUpperCase();
	if (mode !== 'COLD' && mode !== 'WARM')
		throw new ArgumentError('mode', `must be COLD or WARM, got "${mode}"`);
	return mode;
}

export function readTaskTransferTarget(args: CommandArguments): TaskTransferTarget {
	const target = requiredString(
		args,
		'targetSid',
		'A worker (WK…), a queue (WQ…) or a number in E.164',
	);
	const workflowSid = optionalString(args, 'workflowSid');
	if (SID_PATTERNS.worker.test(target) || SID_PATTERNS.queue.test(target))
		return {
			kind: SID_PATTERNS.worker.test(target) ? 'worker' : 'queue',
			sid: target,
			workflowSid:
				workflowSid === undefined ? undefined : checkSid('workflowSid', workflowSid, 'workflow'),
		};
	if (/^W[A-Z]/.test(target))
		throw new ArgumentError(
			'targetSid',
			`must be a worker (WK…) or queue (WQ…) SID, or a number, got "${target}"`,
		);
	if (!isDestination(target))
		throw new ArgumentError(
			'targetSid',
			`must be a worker (WK…) or queue (WQ…) SID, an E.164 number, sip: or client: address, got "${target}"`,
		);
	const number = { ...args, phoneNumber: target };
	const transfer = readTransferTarget(number);
	const { destination, ringSeconds, callerId } = transfer;
	return {
		kind: 'number',
		cold: { twiml: transferTwiml(transfer, readSpeech(args)) },
		warm: { destination, ringSeconds, callerId, label: readWarmOptions(args).label },
	};
}

/** A new task for the worker or queue, carrying the call and everything the old task knew. */
export async function routeToTarget(
	client: TwilioClient,
	ref: TaskRef,
	task: JsonObject,
	target: { kind: 'worker' | 'queue'; sid: string; workflowSid?: string },
	mode: TransferMode,
): Promise<JsonObject> {
	return await createTask(client, ref.workspaceSid, {
		Attributes: JSON.stringify({
			...taskAttributes(task),
			transferTargetType: target.kind,
			transferTargetSid: target.sid,
			transferMode: mode,
			transferredFromTaskSid: ref.taskSid,
		}),
		RoutingTarget: target.sid,
		WorkflowSid: target.workflowSid,
		TaskChannel:
			typeof task.task_channel_unique_name === 'string' ? task.task_channel_unique_name : undefined,
		Priority: typeof task.priority === 'number' ? task.priority : undefined,
	});
}

/**
 * After a cold transfer the old task is the agent's no longer: an assigned
 * task goes to wrap-up (the agent may still wrap it up), one not yet
 * assigned is canceled. Other states are left as they are.
 */
export async function releaseTask(
	client: TwilioClient,
	ref: TaskRef,
	task: JsonObject,
	reason: string,
): Promise<JsonObject> {
	const status = String(task.assignment_status);
	if (status === 'assigned') return await updateTask(client, ref, { AssignmentStatus: 'wrapping' });
	if (status === 'pending' || status === 'reserved')
		return await updateTask(client, ref, { AssignmentStatus: 'canceled', Reason: reason });
	return task;
}

/** The task's call and conference, as contact-center tasks carry them in their attributes. */
export function callOfTask(task: JsonObject): { callSid?: string; conferenceSid?: string } {
	const attributes = taskAttributes(task);
	const conference = attributes.conference;
	const conferenceSid =
		typeof conference === 'object' && conference !== null && !Array.isArray(conference)
			? conference.sid
			: undefined;
	return {
		callSid: typeof attributes.call_sid === 'string' ? attributes.call_sid : undefined,
		conferenceSid: typeof conferenceSid === 'string' ? conferenceSid : undefined,
	};
}
