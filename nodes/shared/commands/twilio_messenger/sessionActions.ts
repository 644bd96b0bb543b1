/**
 * Seed 003's session actions (setSessionTimeoutCount, terminateSession,
 * smsActForceNoInputTurn) and starting a session with smsUserData, on the
 * sessions the SMS Trigger reads. They change the store only; nothing is
 * sent to Twilio.
 */
import type { INodeProperties } from 'n8n-workflow';

import { notifyOutbox } from '../../triggers/outbox';
import type { JsonObject, JsonValue, Session } from '../../store/types';
import { addressPattern, E164_PATTERN } from '../../integrations/twilio/addresses';
import { checkHttpUrl, isBlank, jsonArgument, optionalList, requiredString } from '../arguments';
import { ArgumentError } from '../errors';
import type {
	ArgumentSpec,
	CommandArguments,
	CommandContext,
	CommandDefinition,
	CommandOutcome,
} from '../types';
import { MAX_MEDIA_URLS, sendMessage, type SendMessageInput } from './sendMessage';
import {
	findSmsSession,
	MESSENGER_INTEGRATION,
	openSmsSession,
	restartSessionTimeout,
	SMS_NO_INPUT_TURN_EVENT,
	smsSessionKey,
	smsStateVariables,
	type SmsParties,
} from './smsSession';

/** An E.164 number, optionally behind a channel prefix such as `whatsapp:`. */
const SMS_ADDRESS = addressPattern(`(?:whatsapp|rcs):${E164_PATTERN}`);
/** A day: longer silences are better served by a timer. */
const MAX_TIMEOUT_SECONDS = 86_400;

type PartiesInput = Omit<SmsParties, 'connectorIdn'>;

function readAddress(args: CommandArguments, name: string, hint: string): string {
	const address = requiredString(args, name, hint);
	if (!SMS_ADDRESS.test(address))
		throw new ArgumentError(
			name,
			`must be an E.164 number such as +16505550100 (or whatsapp:+…), got "${address}"`,
		);
	return address;
}

function readParties(args: CommandArguments): PartiesInput {
	return {
		tenantNumber: readAddress(
			args,
			'tenantPhoneNumber',
			'Your Twilio number the user writes to (smsTenantPhoneNumber)',
		),
		userNumber: readAddress(args, 'phoneNumber', "The user's number (smsUserPhoneNumber)"),
	};
}

/** Seconds of silence; 0 (or empty in Start Session) means no timeout. */
function readTimeout(
	args: CommandArguments,
	name: string,
	required: boolean,
): number | null | undefined {
	const value = args[name];
	if (isBlank(value)) {
		if (required)
			throw new ArgumentError(
				name,
				'is required',
				'Seconds the user may stay silent; 0 turns the timeout off',
			);
		return undefined;
	}
	const seconds = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(seconds) || seconds < 0)
		throw new ArgumentError(
			name,
			`must be a whole number of seconds (0 turns it off), got "${String(value)}"`,
		);
	if (seconds > MAX_TIMEOUT_SECONDS)
		throw new ArgumentError(name, `must be at most ${MAX_TIMEOUT_SECONDS} (a day), got ${seconds}`);
	return seconds === 0 ? null : seconds;
}

function parties(context: { connectorIdn: string }, input: PartiesInput): SmsParties {
	return { connectorIdn: context.connectorIdn, ...input };
}

function sessionOutcome(session: Session, extra: JsonObject = {}): CommandOutcome {
	return {
		status: 'completed',
		externalId: String(session.state.smsSessionID ?? session.id),
		result: {
			...smsStateVariables(session),
			sessionId: session.id,
			personaId: session.personaId,
			status: session.status,
			...extra,
		},
	};
}

async function requireSession(context: CommandContext, input: SmsParties): Promise<Session> {
	const session = await findSmsSession(context.store, input);
	if (session === null) {
		throw new ArgumentError(
			'phoneNumber',
			`has no active SMS session with ${input.tenantNumber} (connector ${input.connectorIdn})`,
			'A session starts when the user writes to the SMS Trigger, or with Start Session',
		);
	}
	return session;
}

const partyProperties: INodeProperties[] = [
	{
		displayName: 'Tenant Number',
		name: 'tenantPhoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +16505550100',
		description: 'Your Twilio number the user writes to (smsTenantPhoneNumber of the SMS Trigger)',
	},
	{
		displayName: 'User Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +16507000000',
		description: "The user's number (smsUserPhoneNumber of the SMS Trigger)",
	},
];

const partyArguments: ArgumentSpec[] = [
	{
		name: 'tenantPhoneNumber',
		type: 'string',
		required: true,
		description: 'Your Twilio number (smsTenantPhoneNumber)',
	},
	{
		name: 'phoneNumber',
		type: 'string',
		required: true,
		description: "The user's number (smsUserPhoneNumber)",
	},
];

const timeoutDescription =
	'Seconds the user may stay silent before the SMS Trigger gets smsResponseTimeout; 0: no timeout';
const timeoutProperty: INodeProperties = {
	displayName: 'Session Timeout (Seconds)',
	name: 'count',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_TIMEOUT_SECONDS },
	default: 300,
	required: true,
	description: timeoutDescription,
};
const optionalTimeoutProperty: INodeProperties = {
	...timeoutProperty,
	default: 0,
	required: false,
};

interface StartSessionInput extends PartiesInput {
	userData?: JsonValue;
	timeoutSeconds?: number | null;
}

/** Requests from a typed node and Send Command carry the connector; the command needs it for the session key. */
interface WithConnector<T> {
	connectorIdn: string;
	input: T;
}

export const startSession: CommandDefinition<WithConnector<StartSessionInput>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'start_session',
	displayName: 'Start Session',
	description:
		'Open an SMS session from your side, with user data every turn carries (smsUserData)',
	arguments: [
		...partyArguments,
		{
			name: 'userData',
			type: 'json',
			required: false,
			description: 'smsUserData: JSON passed verbatim with every turn',
		},
		{
			name: 'count',
			type: 'number',
			required: false,
			description: 'Session timeout in seconds (0: none)',
		},
	],
	properties: [
		...partyProperties,
		{
			displayName: 'User Data (JSON)',
			name: 'userData',
			type: 'json',
			default: '{}',
			description: 'Passed verbatim with every turn of the session (smsUserData)',
		},
		optionalTimeoutProperty,
	],
	validate(args, request) {
		const userData = jsonArgument(args, 'userData');
		return {
			connectorIdn: request.connectorIdn,
			input: { ...readParties(args), userData, timeoutSeconds: readTimeout(args, 'count', false) },
		};
	},
	async run(context, { connectorIdn, input }) {
		const { session, started } = await openSmsSession(
			context.store,
			parties({ connectorIdn }, input),
			{
				userData: input.userData,
				timeoutSeconds: input.timeoutSeconds,
			},
		);
		await restartSessionTimeout(context.store, session);
		return sessionOutcome(session, { started });
	},
};

export const setSessionTimeout: CommandDefinition<
	WithConnector<PartiesInput & { timeoutSeconds: number | null }>
> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'set_session_timeout',
	displayName: 'Set Session Timeout',
	description:
		'Seed setSessionTimeoutCount: after this many silent seconds the SMS Trigger gets smsResponseTimeout',
	arguments: [
		...partyArguments,
		{
			name: 'count',
			type: 'number',
			required: true,
			description: 'Seconds of silence (0 turns the timeout off)',
		},
	],
	properties: [...partyProperties, timeoutProperty],
	validate(args, request) {
		return {
			connectorIdn: request.connectorIdn,
			input: { ...readParties(args), timeoutSeconds: readTimeout(args, 'count', true) ?? null },
		};
	},
	async run(context, { connectorIdn, input }) {
		const { session } = await openSmsSession(context.store, parties({ connectorIdn }, input), {
			timeoutSeconds: input.timeoutSeconds,
		});
		await restartSessionTimeout(context.store, session);
		return sessionOutcome(session);
	},
};

export const terminateSession: CommandDefinition<WithConnector<PartiesInput>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'terminate_session',
	displayName: 'Terminate Session',
	description: "Seed terminateSession: end the session; the user's next message starts a new one",
	arguments: partyArguments,
	properties: partyProperties,
	validate: (args, request) => ({ connectorIdn: request.connectorIdn, input: readParties(args) }),
	async run(context, { connectorIdn, input }) {
		const session = await findSmsSession(context.store, parties({ connectorIdn }, input));
		if (session === null) {
			const key = smsSessionKey(parties({ connectorIdn }, input));
			return {
				status: 'completed',
				result: { terminated: false, reason: 'no active session', externalKey: key.externalKey },
			};
		}
		const ended = await context.store.updateSession(session.id, { status: 'ended' });
		await restartSessionTimeout(context.store, ended);
		return sessionOutcome(ended, { terminated: true });
	},
};

export const forceNoInputTurn: CommandDefinition<WithConnector<PartiesInput>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'force_no_input_turn',
	displayName: 'Force No-Input Turn',
	description:
		'Seed smsActForceNoInputTurn: the SMS Trigger gets a turn with text smsNoInputTurn, without the user writing',
	arguments: partyArguments,
	properties: partyProperties,
	validate: (args, request) => ({ connectorIdn: request.connectorIdn, input: readParties(args) }),
	async check(context, { connectorIdn, input }) {
		await requireSession(context, parties({ connectorIdn }, input));
	},
	async run(context, { connectorIdn, input }) {
		const session = await requireSession(context, parties({ connectorIdn }, input));
		await context.store.publishEvent({
			type: SMS_NO_INPUT_TURN_EVENT,
			integrationIdn: MESSENGER_INTEGRATION,
			connectorIdn,
			payload: { sessionId: session.id },
		});
		notifyOutbox();
		return sessionOutcome(session, { noInputTurn: true });
	},
};

/**
 * Seed smsActSendMedia: an MMS of the media URLs (`mediaURL`, a list) to the
 * user, sent like Send Message (whose checks and result it shares).
 */
export const sendMedia: CommandDefinition<SendMessageInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_media',
	displayName: 'Send Media',
	description: 'Seed smsActSendMedia: send the user media (MMS) from a list of URLs',
	arguments: [
		{
			name: 'phoneNumber',
			type: 'string',
			required: true,
			description: "The user's number (E.164) or channel address",
		},
		{
			name: 'from',
			type: 'string',
			required: false,
			description: 'Your Twilio number (or a messagingServiceSid)',
		},
		{
			name: 'messagingServiceSid',
			type: 'string',
			required: false,
			description: 'Messaging Service SID (MG…) instead of from',
		},
		{
			name: 'mediaURL',
			type: 'json',
			required: true,
			description: 'Up to 10 public http(s) media URLs: a JSON list, or comma-separated',
		},
		{ name: 'text', type: 'string', required: false, description: 'A caption' },
	],
	properties: [
		{
			displayName: 'To',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +16507000000',
			description: "The user's number (E.164) or channel address (whatsapp:+…)",
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +16505550100',
			description: 'Your Twilio number the media comes from',
		},
		{
			displayName: 'Media URLs',
			name: 'mediaURL',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/first.gif, https://example.com/second.gif',
			description: 'Up to 10 public http(s) URLs, comma-separated or a JSON list',
		},
		{
			displayName: 'Caption',
			name: 'text',
			type: 'string',
			default: '',
			description: 'Text sent with the media',
		},
	],
	validate(args, request) {
		const urls = optionalList(args, 'mediaURL');
		if (urls === undefined)
			throw new ArgumentError(
				'mediaURL',
				'is required',
				'Give the media to send: up to 10 public http(s) URLs',
			);
		if (urls.length > MAX_MEDIA_URLS)
			throw new ArgumentError(
				'mediaURL',
				`has ${urls.length} URLs; Twilio takes at most ${MAX_MEDIA_URLS} per message`,
			);
		const mediaUrl = urls.map((url, index) => checkHttpUrl('mediaURL', url, `(URL ${index + 1}) `));
		return sendMessage.validate({ ...args, mediaURL: null, mediaUrl }, request);
	},
	run: (context, input, act) => sendMessage.run(context, input, act),
};

export const smsSessionCommands = [
	startSession,
	setSessionTimeout,
	terminateSession,
	forceNoInputTurn,
	sendMedia,
];
