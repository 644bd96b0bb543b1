import type { JsonObject, JsonValue } from '../../store/types';
import {
	jsonArgument,
	optionalBoolean,
	optionalHttpUrl,
	optionalPositiveNumber,
	optionalString,
} from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import { MAX_WAIT_SECONDS, type Endpoint } from './api';

const SKIP_AND_FORCE_FLAGS = ['skipIfBotInExecution', 'skipIfInProgress', 'forceStartSession'];

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** What send_chatbot sends, decided before anything is stored. */
export interface SendChatbotInput {
	connectorIdn: string;
	endpoint: Endpoint;
	body: JsonObject;
	/** Queued: wait until the send leaves PROCESSING / QUEUED, at most this many seconds. */
	waitSeconds?: number;
}

/** A picker's value ({__rl, mode, value}) or a plain string. */
function locatorValue(args: CommandArguments, name: string): string | undefined {
	const value = args[name];
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const inner = value.value;
		return typeof inner === 'string' && inner.trim() !== '' ? inner.trim() : undefined;
	}
	return optionalString(args, name);
}

/** Key / value pairs from the editor ({pairs: [{key, value}]}) or a JSON object from Send Command, keys kept as written. */
function metadata(args: CommandArguments, name: string): JsonObject | undefined {
	const parsed = jsonArgument(args, name);
	if (parsed === undefined) return undefined;
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		return notAnObject(name);
	const pairs = (parsed as { pairs?: unknown }).pairs;
	if (Array.isArray(pairs)) {
		const object: JsonObject = {};
		for (const pair of pairs as Array<{ key?: unknown; value?: JsonValue }>) {
			const key = typeof pair.key === 'string' ? pair.key.trim() : '';
			if (key === '') throw new ArgumentError(name, 'has a pair without a key');
			object[key] = pair.value ?? '';
		}
		return Object.keys(object).length > 0 ? object : undefined;
	}
	return Object.keys(parsed).length > 0 ? (parsed as JsonObject) : undefined;
}

function notAnObject(name: string): never {
	throw new ArgumentError(
		name,
		'must be key / value pairs or a JSON object',
		'e.g. {"orderId": "A-17"}',
	);
}

/** The arguments as the request body WTS Chat takes. */
export function readInput(args: CommandArguments, connectorIdn: string): SendChatbotInput {
	const sessionId = optionalString(args, 'sessionId');
	if (sessionId !== undefined && !UUID.test(sessionId))
		throw new ArgumentError(
			'sessionId',
			`must be a WTS Chat session ID (a UUID), got "${sessionId}"`,
		);
	const botKey = locatorValue(args, 'botKey');
	if (botKey === undefined)
		throw new ArgumentError(
			'botKey',
			'is required',
			'Select the chatbot in Chatbot, or give its key (a UUID)',
		);
	if (!UUID.test(botKey))
		throw new ArgumentError(
			'botKey',
			`must be a chatbot key (a UUID), got "${botKey}"`,
			'Pick the chatbot from the list: its key is the UUID the API calls botKey',
		);
	const from = locatorValue(args, 'from');
	const to = optionalString(args, 'to');
	if (to === undefined && sessionId === undefined) {
		throw new ArgumentError(
			'to',
			'is required unless a sessionId names the conversation',
			"Give the recipient's number (or @instagram user), or the Session ID",
		);
	}
	if (from === undefined && sessionId === undefined) {
		throw new ArgumentError(
			'from',
			'is required unless a sessionId names the conversation',
			'Select the channel the chatbot writes from, or give its number / @instagram user',
		);
	}
	const endpoint = (optionalString(args, 'endpoint') ?? 'immediate') as Endpoint;
	if (endpoint !== 'immediate' && endpoint !== 'queued')
		throw new ArgumentError('endpoint', `must be immediate or queued, got "${endpoint}"`);
	const wait = optionalBoolean(args, 'waitForSend') ?? false;
	const waitSeconds = wait
		? (optionalPositiveNumber(args, 'waitTimeout', { max: MAX_WAIT_SECONDS }) ?? 30)
		: undefined;
	if (wait && endpoint !== 'queued')
		throw new ArgumentError(
			'waitForSend',
			'applies to the queued endpoint only: the immediate one answers the session itself',
		);

	// The API reads a missing option as its own default, which may differ from
	// ours: the skip / force flags go as false when not given, as the node's
	// fields default them, so Send Command and the node send the same request.
	const options: JsonObject = {};
	for (const name of SKIP_AND_FORCE_FLAGS) options[name] = optionalBoolean(args, name) ?? false;
	const hiddenSession = optionalBoolean(args, 'hiddenSession');
	if (hiddenSession !== undefined) options.hiddenSession = hiddenSession;
	const body: JsonObject = { botKey };
	if (from !== undefined) body.from = from;
	if (to !== undefined) body.to = to;
	if (sessionId !== undefined) body.sessionId = sessionId;
	body.options = options;
	const sessionMetadata = metadata(args, 'sessionMetadata');
	const contactMetadata = metadata(args, 'contactMetadata');
	if (sessionMetadata) body.sessionMetadata = sessionMetadata;
	if (contactMetadata) body.contactMetadata = contactMetadata;
	const senderId = optionalString(args, 'senderId');
	if (senderId !== undefined) body.senderId = senderId;
	const callbackUrl = optionalHttpUrl(args, 'callbackUrl');
	if (callbackUrl !== undefined) body.callbackUrl = callbackUrl;
	return { connectorIdn, endpoint, body, waitSeconds };
}
