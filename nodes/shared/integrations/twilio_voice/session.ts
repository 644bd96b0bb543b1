/**
 * A phone conversation in the store: one session per call SID, holding the
 * turn count, the conversation so far (bounded) and the hand-over of each
 * turn's answer from Reply to Call to the Call Trigger that holds Twilio's
 * request. The store carries the answer, so the two may run in different
 * processes (webhook process and worker in queue mode).
 */
import { storeChangeWithin } from '../../store/changes';
import type { JsonObject, Session, SessionKey, SessionStore } from '../../store/types';
import { VOICE_INTEGRATION } from './constants';

export const CALL_CHANNEL = 'call';
export const DEFAULT_CONVERSATION_LENGTH = 20;
const REPLY_POLL_MS = 100;

export interface CallParties {
	connectorIdn: string;
	callSid: string;
	from: string;
	to: string;
	/** `inbound`, or `outbound-api` / `outbound-dial` for calls placed from here. */
	direction: string;
}

export interface ConversationEntry extends JsonObject {
	role: 'caller' | 'agent';
	text: string;
	turn: number;
	at: string;
}

/** The answer to one turn, as Reply to Call leaves it for the Call Trigger. */
export interface TurnAnswer extends JsonObject {
	turn: number;
	twiml: string;
}

export function callSessionKey(connectorIdn: string, callSid: string): SessionKey {
	return {
		channel: CALL_CHANNEL,
		integrationIdn: VOICE_INTEGRATION,
		connectorIdn,
		externalKey: callSid,
	};
}

/** The party on the other end: the caller of an inbound call, the callee of one placed from here. */
export function remoteParty(parties: CallParties): string {
	return parties.direction === 'inbound' ? parties.from : parties.to;
}

export async function openCallSession(
	store: SessionStore,
	parties: CallParties,
	conversationUrl: string,
): Promise<Session> {
	const key = callSessionKey(parties.connectorIdn, parties.callSid);
	const existing = await store.findSession(key);
	if (existing !== null)
		return existing.state.conversationUrl === conversationUrl
			? existing
			: await store.updateSession(existing.id, { state: { conversationUrl } });
	const { persona } = await store.upsertActor({
		integrationIdn: VOICE_INTEGRATION,
		connectorIdn: parties.connectorIdn,
		externalId: remoteParty(parties),
	});
	return await store.upsertSession({
		...key,
		personaId: persona.id,
		state: {
			callSid: parties.callSid,
			from: parties.from,
			to: parties.to,
			direction: parties.direction,
			turn: 0,
			conversation: [],
			conversationUrl,
		},
	});
}

export function conversationOf(session: Session): ConversationEntry[] {
	const conversation = session.state.conversation;
	return Array.isArray(conversation) ? (conversation as ConversationEntry[]) : [];
}

export function turnOf(session: Session): number {
	return typeof session.state.turn === 'number' ? session.state.turn : 0;
}

/** The Call Trigger URL the call's turns go to; undefined for a call no Call Trigger holds. */
export function conversationUrlOf(session: Session): string | undefined {
	const url = session.state.conversationUrl;
	return typeof url === 'string' ? url : undefined;
}

/** The conversation with `entry` added, the oldest dropped beyond `length`. */
export function appended(
	session: Session,
	entry: ConversationEntry | undefined,
	length = DEFAULT_CONVERSATION_LENGTH,
): ConversationEntry[] {
	const conversation = conversationOf(session);
	return entry === undefined ? conversation : [...conversation, entry].slice(-Math.max(1, length));
}

/** A new turn of the caller (what they said, if anything), counted and kept in the conversation. */
export async function recordCallerTurn(
	store: SessionStore,
	session: Session,
	text: string | undefined,
	length = DEFAULT_CONVERSATION_LENGTH,
): Promise<Session> {
	const turn = turnOf(session) + 1;
	const entry: ConversationEntry | undefined = text
		? { role: 'caller', text, turn, at: new Date().toISOString() }
		: undefined;
	return await store.updateSession(session.id, {
		state: { turn, conversation: appended(session, entry, length) },
	});
}

function settledFlag(turn: number): string {
	return `turnSettled:${turn}`;
}

/**
 * Leaves the answer of `turn` for the trigger; `session` must be freshly read,
 * its conversation is extended. True when the trigger was
 * still waiting and will speak it; false when it had already given up and
 * spoken its fallback phrase (the answer is late).
 */
export async function leaveTurnAnswer(
	store: SessionStore,
	session: Session,
	answer: TurnAnswer,
	spokenText: string | undefined,
	length = DEFAULT_CONVERSATION_LENGTH,
): Promise<boolean> {
	const entry: ConversationEntry | undefined = spokenText
		? { role: 'agent', text: spokenText, turn: answer.turn, at: new Date().toISOString() }
		: undefined;
	// The answer is in place before the turn is marked settled, so a trigger that sees the mark finds the answer.
	await store.updateSession(session.id, {
		state: { answer, conversation: appended(session, entry, length) },
	});
	return await store.compareAndSetSessionFlag(session.id, settledFlag(answer.turn), false, true);
}

/**
 * Waits for the answer of `turn` until `deadline` (epoch ms). Undefined when
 * none came in time: the turn is then settled as unanswered, so an answer
 * arriving later knows it is late.
 */
export async function awaitTurnAnswer(
	store: SessionStore,
	sessionId: string,
	turn: number,
	deadline: number,
): Promise<string | undefined> {
	const answerOf = (session: Session | null): string | undefined => {
		const answer = session?.state.answer as TurnAnswer | undefined;
		return answer?.turn === turn && session?.flags[settledFlag(turn)] === true
			? answer.twiml
			: undefined;
	};
	for (;;) {
		// Reply to Call marks the answer written with a session flag: that
		// change wakes this wait at once, also from another process on
		// PostgreSQL; the poll finds it otherwise.
		const looked = storeChangeWithin(
			'sessions',
			Math.min(REPLY_POLL_MS, Math.max(0, deadline - Date.now())),
		);
		const session = await store.getSession(sessionId);
		const answer = answerOf(session);
		if (answer !== undefined) return answer;
		if (Date.now() >= deadline) break;
		await looked;
	}
	if (await store.compareAndSetSessionFlag(sessionId, settledFlag(turn), false, true))
		return undefined;
	// The answer came between the last look and giving up.
	return answerOf(await store.getSession(sessionId));
}

/** What the agent said into the call outside the answer of a turn (set_turn_message), kept in the conversation. */
export async function recordAgentSaid(
	store: SessionStore,
	session: Session,
	text: string,
): Promise<void> {
	const entry: ConversationEntry = {
		role: 'agent',
		text,
		turn: turnOf(session),
		at: new Date().toISOString(),
	};
	await store.updateSession(session.id, { state: { conversation: appended(session, entry) } });
}

export async function endCallSession(
	store: SessionStore,
	session: Session,
	outcome: JsonObject,
): Promise<Session> {
	return await store.updateSession(session.id, { status: 'ended', state: { outcome } });
}
