/**
 * Start Outbound Call with a TaskRouter queue: instead of placing the call,
 * a voice task for the number is routed to the queue, and the agent who
 * accepts it places the call (a contact center's outbound flow: the task
 * carries `outbound_to`).
 */
import { jsonArgument, optionalString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext, CommandOutcome } from '../../commands/types';
import type { Act, JsonObject } from '../../store/types';
import { createForRecipient } from '../twilio/recipient';
import { simplified } from '../twilio/simplify';
import { checkSid, createTask, requiredSid, taskSummary } from './taskRouter';

export interface OutboundTask {
	workspaceSid: string;
	queueSid: string;
	attributes: JsonObject;
}

/** What cannot go with a queue: everything that says what a call placed here would do. */
const CLASHES = [
	'greetingPhrase',
	'twiml',
	'twimlUrl',
	'conversationUrl',
	'workflowSid',
	'sendDigits',
];

/** The seed's queueSid; undefined when the call is placed here. */
export function readOutboundTask(args: CommandArguments): OutboundTask | undefined {
	const queueSid = optionalString(args, 'queueSid');
	if (queueSid === undefined) return undefined;
	checkSid('queueSid', queueSid, 'queue');
	const clash = CLASHES.find((name) => optionalString(args, name) !== undefined);
	if (clash !== undefined)
		throw new ArgumentError(
			clash,
			'cannot be used with queueSid: the agent who takes the task places the call',
		);
	const attributes = jsonArgument(args, 'taskAttributes') ?? {};
	if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
		throw new ArgumentError('taskAttributes', 'must be a JSON object');
	return {
		workspaceSid: requiredSid(
			args,
			'workspaceSid',
			'workspace',
			'The WS… SID of the workspace the queue belongs to',
		),
		queueSid,
		attributes,
	};
}

export async function runOutboundTask(
	context: CommandContext,
	act: Act,
	input: { to: string; from?: string; outboundTask: OutboundTask; simplify: boolean },
): Promise<CommandOutcome> {
	const { workspaceSid, queueSid, attributes } = input.outboundTask;
	const { created: task, recipient } = await createForRecipient(context, act, input.to, (client) =>
		createTask(client, workspaceSid, {
			RoutingTarget: queueSid,
			TaskChannel: 'voice',
			Attributes: JSON.stringify({
				...attributes,
				type: 'outbound',
				direction: 'outbound',
				name: input.to,
				outbound_to: input.to,
				...(input.from === undefined ? {} : { from: input.from }),
			}),
		}),
	);
	return {
		status: 'sent',
		externalId: String(task.sid),
		// Simplify off: the task as TaskRouter answered it, as a placed call gives Twilio's call.
		result: simplified(input.simplify, task, () => ({
			callSid: null,
			to: input.to,
			from: input.from ?? null,
			queueSid,
			...recipient,
			task: taskSummary(task),
		})),
	};
}
