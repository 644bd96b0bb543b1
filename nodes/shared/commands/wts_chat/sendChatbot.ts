/**
 * Seed 004: start a WTS Chat chatbot for a contact, through the immediate
 * endpoint (answers the session) or the queued one (answers a send status,
 * optionally awaited).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject, JsonValue, Session, SessionStore } from '../../store/types';
import { createWtsChatClient, type WtsChatClient } from '../../transport/wtsChat';
import {
	jsonArgument,
	optionalBoolean,
	optionalHttpUrl,
	optionalPositiveNumber,
	optionalString,
} from '../arguments';
import { ArgumentError } from '../errors';
import type { CommandArguments, CommandDefinition } from '../types';

export const WTS_CHAT_INTEGRATION = 'wts_chat';
const IMMEDIATE_PATH = '/chat/v1/chatbot/send';
const QUEUED_PATH = '/chat/v1/send/chatbot';
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Queued sends still on their way. */
const PENDING_SEND_STATUSES = new Set(['PROCESSING', 'QUEUED']);
const POLL_INTERVAL_MS = 1000;
const MAX_WAIT_SECONDS = 300;
/** A start claimed in the store longer ago than this was abandoned (its process died mid-request). */
const STALE_START_MS = 60_000;
const STARTING_FLAG = 'chatbotStarting';

export type Endpoint = 'immediate' | 'queued';

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

function readInput(args: CommandArguments, connectorIdn: string): SendChatbotInput {
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

	// Every option the user set is sent, false too: the API reads a missing option as its own default.
	const options: JsonObject = {};
	for (const name of [
		'skipIfBotInExecution',
		'skipIfInProgress',
		'forceStartSession',
		'hiddenSession',
	]) {
		const flag = optionalBoolean(args, name);
		if (flag !== undefined) options[name] = flag;
	}
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

/** The store's record of the conversation with a contact on a channel (or of a session named by ID). */
function contactKey(input: SendChatbotInput): string {
	const { from, to, sessionId } = input.body;
	return to !== undefined ? `${String(from ?? '')}|${String(to)}` : `session:${String(sessionId)}`;
}

async function contactSession(store: SessionStore, input: SendChatbotInput): Promise<Session> {
	return await store.upsertSession({
		channel: 'chat',
		integrationIdn: WTS_CHAT_INTEGRATION,
		connectorIdn: input.connectorIdn,
		externalKey: contactKey(input),
	});
}

/**
 * Claims the start of a chatbot for the contact in the store, so that of
 * executions racing for one contact only one reaches WTS Chat while its
 * request is in flight (WTS Chat skips the later ones itself once its
 * session exists). A claim older than a minute was abandoned and is taken over.
 */
async function claimStart(store: SessionStore, session: Session): Promise<boolean> {
	if (await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, false, true)) return true;
	const current = await store.getSession(session.id);
	const since =
		typeof current?.state.chatbotStartingAt === 'number' ? current.state.chatbotStartingAt : 0;
	if (Date.now() - since < STALE_START_MS) return false;
	return await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, true, true);
}

async function waitForSend(
	client: WtsChatClient,
	send: JsonObject,
	seconds: number,
): Promise<JsonObject> {
	const deadline = Date.now() + seconds * 1000;
	let current = send;
	while (PENDING_SEND_STATUSES.has(String(current.status)) && Date.now() < deadline) {
		await new Promise((resolve) =>
			setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))),
		);
		current = await client.request<JsonObject>({
			method: 'GET',
			path: `${QUEUED_PATH}/${encodeURIComponent(String(send.id))}`,
		});
	}
	return PENDING_SEND_STATUSES.has(String(current.status))
		? { ...current, waitTimedOut: true }
		: current;
}

const chatbotProperty: INodeProperties = {
	displayName: 'Chatbot',
	name: 'botKey',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The chatbot to start. From the list, or its key (the UUID WTS Chat calls botKey), e.g. from an expression.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChatbots', searchable: true },
		},
		{
			displayName: 'By Key',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2b0c7f1e-8a5d-4c3b-9f21-7d6e5a4b3c21',
		},
	],
};

const channelProperty: INodeProperties = {
	displayName: 'From',
	name: 'from',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The channel the chatbot writes from: its phone number or @instagram user. Not needed with a Session ID.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By Number or User',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 5511999990000',
		},
	],
};

const metadataProperty = (
	displayName: string,
	name: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Pair',
	default: {},
	description,
	options: [
		{
			displayName: 'Pair',
			name: 'pairs',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

const properties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7f3c2a1b-…',
		description:
			'The conversation to run the chatbot in; a completed one runs it without reopening. Empty: the conversation of From and To.',
	},
	chatbotProperty,
	channelProperty,
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5511988887777',
		description: "The recipient's phone number or @instagram user; not needed with a Session ID",
	},
	{
		displayName: 'Force Start Session',
		name: 'forceStartSession',
		type: 'boolean',
		default: false,
		description: 'Whether to complete a conversation in progress and start a new one',
	},
	{
		displayName: 'Skip If Bot In Execution',
		name: 'skipIfBotInExecution',
		type: 'boolean',
		default: false,
		description: 'Whether to skip sending when another chatbot is running in the conversation',
	},
	{
		displayName: 'Skip If In Progress',
		name: 'skipIfInProgress',
		type: 'boolean',
		default: false,
		description:
			'Whether to skip sending when a conversation is in progress (also guarded against executions racing for the same contact)',
	},
	metadataProperty(
		'Session Metadata',
		'sessionMetadata',
		'Key / value pairs saved on this conversation; the chatbot can use them, and they come back in webhooks while it lasts',
	),
	metadataProperty(
		'Contacts Metadata',
		'contactMetadata',
		'Key / value pairs saved on the contact, kept for later conversations too',
	),
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'options',
		options: [
			{
				name: 'Immediate',
				value: 'immediate',
				description: 'POST /chat/v1/chatbot/send: answers the conversation (session)',
			},
			{
				name: 'Queued',
				value: 'queued',
				description:
					'POST /chat/v1/send/chatbot: answers a send status, processed by WTS Chat in the background',
			},
		],
		default: 'immediate',
	},
	{
		displayName: 'Wait for Send',
		name: 'waitForSend',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the queued send leaves PROCESSING / QUEUED',
		displayOptions: { show: { endpoint: ['queued'] } },
	},
	{
		displayName: 'Wait Limit (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
		default: 30,
		description: 'Give up waiting after this long; the output then says waitTimedOut',
		displayOptions: { show: { endpoint: ['queued'], waitForSend: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				description: 'WTS Chat posts here when the chatbot starts or fails',
			},
			{
				displayName: 'Hidden Session',
				name: 'hiddenSession',
				type: 'boolean',
				default: false,
				description:
					'Whether a new conversation stays hidden in the inbox until the contact answers',
			},
			{
				displayName: 'Sender ID',
				name: 'senderId',
				type: 'string',
				default: '',
				description: 'Your own ID for this send, to trace it in WTS Chat',
			},
		],
	},
];

export const sendChatbot: CommandDefinition<SendChatbotInput> = {
	integrationIdn: WTS_CHAT_INTEGRATION,
	commandIdn: 'send_chatbot',
	displayName: 'Send Chatbot Message',
	description: 'Start a WTS Chat chatbot for a contact (seed 004)',
	arguments: [
		{ name: 'botKey', type: 'string', required: true, description: 'The chatbot key (UUID)' },
		{
			name: 'from',
			type: 'string',
			required: false,
			description: 'The channel: its phone number or @instagram user',
		},
		{
			name: 'to',
			type: 'string',
			required: false,
			description: "The recipient's number or @instagram user",
		},
		{
			name: 'sessionId',
			type: 'string',
			required: false,
			description: 'The conversation (UUID), instead of from / to',
		},
		{
			name: 'forceStartSession',
			type: 'boolean',
			required: false,
			description: 'Complete a conversation in progress and start a new one',
		},
		{
			name: 'skipIfBotInExecution',
			type: 'boolean',
			required: false,
			description: 'Skip when another chatbot is running',
		},
		{
			name: 'skipIfInProgress',
			type: 'boolean',
			required: false,
			description: 'Skip when a conversation is in progress',
		},
		{
			name: 'hiddenSession',
			type: 'boolean',
			required: false,
			description: 'Keep a new conversation hidden until the contact answers',
		},
		{
			name: 'sessionMetadata',
			type: 'json',
			required: false,
			description: 'Conversation metadata (object)',
		},
		{
			name: 'contactMetadata',
			type: 'json',
			required: false,
			description: 'Contact metadata (object)',
		},
		{ name: 'senderId', type: 'string', required: false, description: 'Your ID for this send' },
		{
			name: 'callbackUrl',
			type: 'string',
			required: false,
			description: 'Webhook for started / failed',
		},
		{
			name: 'endpoint',
			type: 'string',
			required: false,
			description: 'immediate (default) or queued',
		},
		{
			name: 'waitForSend',
			type: 'boolean',
			required: false,
			description: 'Queued: wait for the send to finish',
		},
		{
			name: 'waitTimeout',
			type: 'number',
			required: false,
			description: 'Queued: seconds to wait at most (default 30)',
		},
	],
	properties,
	validate: (args, request) => readInput(args, request.connectorIdn),
	async run(context, input) {
		const client = await createWtsChatClient(context.functions, context.itemIndex);
		const store = context.store;
		const session = await contactSession(store, input);
		const guarded = (input.body.options as JsonObject).skipIfInProgress === true;
		if (guarded) {
			if (!(await claimStart(store, session))) {
				return {
					status: 'completed',
					result: {
						skipped: true,
						reason: 'A chatbot start for this contact is already in flight (Skip If In Progress)',
					},
				};
			}
			await store.updateSession(session.id, { state: { chatbotStartingAt: Date.now() } });
		}
		try {
			const path = input.endpoint === 'queued' ? QUEUED_PATH : IMMEDIATE_PATH;
			const answer = await client.request<JsonObject>({ method: 'POST', path, body: input.body });
			const result =
				input.waitSeconds !== undefined
					? await waitForSend(client, answer, input.waitSeconds)
					: answer;
			const wtsSessionId = input.endpoint === 'queued' ? result.sessionId : result.id;
			await store.updateSession(session.id, {
				metadata: {
					...(input.body.sessionMetadata as JsonObject | undefined),
					...(typeof wtsSessionId === 'string' ? { wtsSessionId } : {}),
				},
				state: { lastStatus: result.status ?? null, botKey: input.body.botKey },
			});
			return {
				status: 'completed',
				externalId:
					typeof wtsSessionId === 'string'
						? wtsSessionId
						: typeof result.id === 'string'
							? result.id
							: undefined,
				result,
			};
		} finally {
			if (guarded) await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, true, false);
		}
	},
};
