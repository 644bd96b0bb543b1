/**
 * What seed 003's session actions share: the two numbers that name a
 * session, its timeout, and the result every action reports. They change
 * the store only; nothing is sent to Twilio.
 */
import type { INodeProperties } from 'n8n-workflow';

import { isBlank, optionalString, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext, CommandOutcome } from '../../commands/types';
import type { JsonObject, Session } from '../../store/types';
import { addressPattern, E164_PATTERN } from '../twilio/addresses';
import { findSmsSession, findSmsSessionById, smsStateVariables, type SmsParties } from './session';

/** An E.164 number, optionally behind a channel prefix such as `whatsapp:`. */
const SMS_ADDRESS = addressPattern(`(?:whatsapp|rcs):${E164_PATTERN}`);
/** A day: longer silences are better served by a timer. */
const MAX_TIMEOUT_SECONDS = 86_400;

export type PartiesInput = Omit<SmsParties, 'connectorIdn'>;

/** Requests from a typed node and Send Command carry the connector; the command needs it for the session key. */
export interface WithConnector<T> {
	connectorIdn: string;
	input: T;
}

function readAddress(args: CommandArguments, name: string, hint: string): string {
	const address = requiredString(args, name, hint);
	if (!SMS_ADDRESS.test(address))
		throw new ArgumentError(
			name,
			`must be an E.164 number such as +16505550100 (or whatsapp:+…), got "${address}"`,
		);
	return address;
}

export function readParties(args: CommandArguments): PartiesInput {
	return {
		tenantNumber: readAddress(
			args,
			'tenantPhoneNumber',
			'Your Twilio number the user writes to (smsTenantPhoneNumber)',
		),
		userNumber: readAddress(args, 'phoneNumber', "The user's number (smsUserPhoneNumber)"),
	};
}

/** How a session action names its session: by the two numbers, or by the session's smsSessionID. */
export type SessionAddress = PartiesInput | { smsSessionID: string };

/**
 * The smsSessionID an action names its session by, if it does: Send
 * Command's argument, or the typed node's Session ID when it is chosen.
 */
export function readSessionId(args: CommandArguments): string | undefined {
	const by = optionalString(args, 'sessionBy');
	const smsSessionID = by === 'numbers' ? undefined : optionalString(args, 'smsSessionID');
	if (smsSessionID === undefined && by === 'sessionId')
		throw new ArgumentError(
			'smsSessionID',
			'is required',
			'The smsSessionID the SMS Trigger outputs',
		);
	return smsSessionID;
}

export function readSessionAddress(args: CommandArguments): SessionAddress {
	const smsSessionID = readSessionId(args);
	return smsSessionID !== undefined ? { smsSessionID } : readParties(args);
}

/** The numbers of the addressed session; an smsSessionID must name an active session of the connector. */
export async function resolveParties(
	context: CommandContext,
	connectorIdn: string,
	address: SessionAddress,
): Promise<SmsParties> {
	if (!('smsSessionID' in address)) return parties({ connectorIdn }, address);
	const session = await findSmsSessionById(context.store, connectorIdn, address.smsSessionID);
	if (session === null)
		throw new ArgumentError(
			'smsSessionID',
			`names no active SMS session on connector ${connectorIdn}: "${address.smsSessionID}"`,
			'Use the smsSessionID of a current turn of the SMS Trigger; a terminated session that starts again gets a new one',
		);
	return {
		connectorIdn,
		tenantNumber: String(session.state.smsTenantPhoneNumber),
		userNumber: String(session.state.smsUserPhoneNumber),
	};
}

/** Seconds of silence; 0 (or empty in Start Session) means no timeout. */
export function readTimeout(
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

export function parties(context: { connectorIdn: string }, input: PartiesInput): SmsParties {
	return { connectorIdn: context.connectorIdn, ...input };
}

export function sessionOutcome(session: Session, extra: JsonObject = {}): CommandOutcome {
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

export async function requireSession(context: CommandContext, input: SmsParties): Promise<Session> {
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

export const partyProperties: INodeProperties[] = [
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

export const timeoutProperty: INodeProperties = {
	displayName: 'Session Timeout (Seconds)',
	name: 'count',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: MAX_TIMEOUT_SECONDS },
	default: 300,
	required: true,
	description:
		'Seconds the user may stay silent before the SMS Trigger gets smsResponseTimeout; 0: no timeout',
};

/** The session actions' fields: the session by its numbers, or by its ID. */
export const sessionAddressProperties: INodeProperties[] = [
	{
		displayName: 'Find Session By',
		name: 'sessionBy',
		type: 'options',
		options: [
			{ name: 'Numbers', value: 'numbers', description: "Your Twilio number and the user's" },
			{
				name: 'Session ID',
				value: 'sessionId',
				description: 'The smsSessionID the SMS Trigger outputs',
			},
		],
		default: 'numbers',
	},
	...partyProperties.map((property) => ({
		...property,
		displayOptions: { show: { sessionBy: ['numbers'] } },
	})),
	{
		displayName: 'Session ID',
		name: 'smsSessionID',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { sessionBy: ['sessionId'] } },
		placeholder: 'e.g. a23de67h-e527-40d5-a867-5c0ce9e72d0d',
		description: 'The smsSessionID of the session, as the SMS Trigger outputs it',
	},
];
