/**
 * SMS sessions in the store, the way seed 003's SMS Gateway keeps them: one
 * per (tenant number, user number), with a GUID of its own that changes when
 * a terminated session starts again, an optional timeout of silence, and the
 * state variables every SMS Trigger output carries.
 */
import { randomUUID } from 'node:crypto';

import type { JsonObject, JsonValue, Session, SessionKey, SessionStore } from '../../store/types';
import { MESSENGER_INTEGRATION } from './constants';

export const SMS_CHANNEL = 'sms';
/**
 * Sessions are keyed by their two numbers; a session's smsSessionID is found
 * through a record of this channel keyed by the ID, pointing at the session.
 * The store's unique session key makes it an index without a schema change.
 */
const SESSION_ID_CHANNEL = 'sms-session-id';
/** Text keywords of seed 003, sent in the `text` of the SMS Trigger's output. */
export const SMS_RESPONSE_TIMEOUT = 'smsResponseTimeout';
export const SMS_NO_INPUT_TURN = 'smsNoInputTurn';
export const SMS_ERROR = 'smsError';
/** Outbox event a forced no-input turn publishes for the SMS Trigger. */
export const SMS_NO_INPUT_TURN_EVENT = 'sms_no_input_turn';
const TIMEOUT_TIMER_PREFIX = 'sms-session-timeout:';

export interface SmsParties {
	connectorIdn: string;
	/** The number of the account the user writes to (seed: smsTenantPhoneNumber). */
	tenantNumber: string;
	/** The user's number (seed: smsUserPhoneNumber). */
	userNumber: string;
}

export function smsSessionKey({ connectorIdn, tenantNumber, userNumber }: SmsParties): SessionKey {
	return {
		channel: SMS_CHANNEL,
		integrationIdn: MESSENGER_INTEGRATION,
		connectorIdn,
		externalKey: `${tenantNumber}|${userNumber}`,
	};
}

export function sessionTimeoutTimerName(sessionId: string): string {
	return `${TIMEOUT_TIMER_PREFIX}${sessionId}`;
}

/** The session a timeout timer belongs to, or undefined for any other timer. */
export function sessionOfTimeoutTimer(timerName: string): string | undefined {
	return timerName.startsWith(TIMEOUT_TIMER_PREFIX)
		? timerName.slice(TIMEOUT_TIMER_PREFIX.length)
		: undefined;
}

export interface OpenSessionOptions {
	/** smsUserData: passed verbatim to every turn of the session. */
	userData?: JsonValue;
	/** Seconds of silence before smsResponseTimeout; null: none. Omitted: kept. */
	timeoutSeconds?: number | null;
}

/**
 * The active session of the two numbers, started when there is none or the
 * last one ended. The user gets a persona and actor if they have none.
 */
export async function openSmsSession(
	store: SessionStore,
	parties: SmsParties,
	options: OpenSessionOptions = {},
): Promise<{ session: Session; started: boolean }> {
	const { persona } = await store.upsertActor({
		integrationIdn: MESSENGER_INTEGRATION,
		connectorIdn: parties.connectorIdn,
		externalId: parties.userNumber,
	});
	const key = smsSessionKey(parties);
	const existing = await store.findSession(key);
	const started = existing === null || existing.status === 'ended';
	const state: JsonObject = started
		? {
				smsTenantPhoneNumber: parties.tenantNumber,
				smsUserPhoneNumber: parties.userNumber,
				smsSessionID: randomUUID(),
				smsUserData: options.userData ?? null,
			}
		: options.userData !== undefined
			? { smsUserData: options.userData }
			: {};
	const session = await store.upsertSession({
		...key,
		personaId: persona.id,
		reopen: true,
		// A session that starts again does not inherit the old one's timeout.
		timeoutSeconds:
			options.timeoutSeconds !== undefined ? options.timeoutSeconds : started ? null : undefined,
		state,
	});
	if (started) await indexSmsSessionId(store, session);
	return { session, started };
}

function sessionIdKey(connectorIdn: string, smsSessionID: string): SessionKey {
	return {
		channel: SESSION_ID_CHANNEL,
		integrationIdn: MESSENGER_INTEGRATION,
		connectorIdn,
		externalKey: smsSessionID,
	};
}

/** Makes the session findable by its smsSessionID; the record goes with the persona when it is deleted. */
async function indexSmsSessionId(store: SessionStore, session: Session): Promise<void> {
	const smsSessionID = session.state.smsSessionID;
	if (typeof smsSessionID !== 'string') return;
	await store.upsertSession({
		...sessionIdKey(session.connectorIdn, smsSessionID),
		personaId: session.personaId,
		state: { sessionId: session.id },
	});
}

/** Once its session ends the ID names nothing, so the record ages out with ended sessions. */
export async function endSmsSessionId(store: SessionStore, session: Session): Promise<void> {
	const smsSessionID = session.state.smsSessionID;
	if (typeof smsSessionID !== 'string') return;
	const record = await store.findSession(sessionIdKey(session.connectorIdn, smsSessionID));
	if (record !== null && record.status !== 'ended')
		await store.updateSession(record.id, { status: 'ended' });
}

/** The active session whose smsSessionID this is, on this connector; null when there is none. */
export async function findSmsSessionById(
	store: SessionStore,
	connectorIdn: string,
	smsSessionID: string,
): Promise<Session | null> {
	const record = await store.findSession(sessionIdKey(connectorIdn, smsSessionID));
	const sessionId = record?.state.sessionId;
	if (typeof sessionId !== 'string') return null;
	const session = await store.getSession(sessionId);
	// A terminated session that started again has a new ID; the old one names nothing.
	return session?.status === 'active' && session.state.smsSessionID === smsSessionID
		? session
		: null;
}

export async function findSmsSession(
	store: SessionStore,
	parties: SmsParties,
): Promise<Session | null> {
	const session = await store.findSession(smsSessionKey(parties));
	return session?.status === 'active' ? session : null;
}

/**
 * Starts the session's silence over: its timeout timer is set to fire
 * `timeoutSeconds` from now, or removed when the session has no timeout or
 * has ended.
 */
export async function restartSessionTimeout(store: SessionStore, session: Session): Promise<void> {
	if (session.personaId === null) return;
	const timerName = sessionTimeoutTimerName(session.id);
	if (
		session.status !== 'active' ||
		session.timeoutSeconds === null ||
		session.timeoutSeconds <= 0
	) {
		await store.cancelTimer(session.personaId, timerName);
		return;
	}
	await store.putTimer({
		personaId: session.personaId,
		timerName,
		integrationIdn: MESSENGER_INTEGRATION,
		connectorIdn: session.connectorIdn,
		eventIdn: SMS_RESPONSE_TIMEOUT,
		nextFireAt: Date.now() + session.timeoutSeconds * 1000,
		intervalSeconds: null,
		repeatable: false,
		enabled: true,
	});
}

/** Seed 003's state variables of a session, as every SMS Trigger output carries them. */
export function smsStateVariables(session: Session): JsonObject {
	const state = session.state;
	return {
		smsTenantPhoneNumber: state.smsTenantPhoneNumber ?? null,
		smsUserPhoneNumber: state.smsUserPhoneNumber ?? null,
		smsSessionID: state.smsSessionID ?? null,
		smsUserData: state.smsUserData ?? null,
		smsSessionTimeoutCount: session.timeoutSeconds,
	};
}
