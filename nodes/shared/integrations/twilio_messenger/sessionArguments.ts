/**
 * What seed 003's session actions share: the two numbers that name a
 * session, its timeout, and the result every action reports. They change
 * the store only; nothing is sent to Twilio.
 */
import type { INodeProperties } from 'n8n-workflow';

import { isBlank, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext, CommandOutcome } from '../../commands/types';
import type { JsonObject, Session } from '../../store/types';
import { addressPattern, E164_PATTERN } from '../twilio/addresses';
import { findSmsSession, smsStateVariables, type SmsParties } from './session';

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
