/**
 * The workflow's reply to a user's message, handed to the SMS Trigger that
 * holds Twilio's webhook request (seed 003's smsConversationResponseTimeout):
 * the trigger opens a reply turn in the session and waits; the first message
 * the workflow sends to that user in time goes back as the webhook's TwiML
 * instead of through the REST API. The store carries the hand-over, so the
 * trigger (main or webhook process) and the sender (a worker) may be
 * different processes.
 *
 * One claim per turn decides who delivers: the sender claims it to answer
 * through the webhook, the trigger claims it when it stops waiting. Whoever
 * loses knows: a sender then uses the REST API, a trigger waits for the
 * reply the sender is writing.
 */
import { storeChangeWithin } from '../../store/changes';
import type { JsonObject, Session, SessionStore } from '../../store/types';
import { findSmsSession, type SmsParties } from './session';

const POLL_MS = 100;
/** A sender that won the claim writes its reply at once; this bounds the wait for a process that died in between. */
const CLAIMED_GRACE_MS = 2_000;
/** Twilio gives up on a messaging webhook after 15 s; the answer must be out before. */
export const TWILIO_MESSAGING_WEBHOOK_MS = 15_000;
export const MAX_RESPONSE_TIMEOUT_MS = TWILIO_MESSAGING_WEBHOOK_MS - 1_000;

export interface SmsReplyContent extends JsonObject {
	text: string | null;
	media: string[];
	/** Where Twilio reports the reply's status (the message's Status Callback URL). */
	statusCallback: string | null;
}

export interface SmsReply extends SmsReplyContent {
	turn: number;
}

interface ReplyTurn extends JsonObject {
	turn: number;
	/** Epoch ms: a sender after this (or after the trigger died) uses the REST API. */
	until: number;
}

const claimFlag = (turn: number) => `replyClaimed:${turn}`;
const readyFlag = (turn: number) => `replyReady:${turn}`;

function pendingTurn(session: Session): ReplyTurn | undefined {
	const turn = session.state.replyTurn as ReplyTurn | null | undefined;
	return typeof turn?.turn === 'number' && typeof turn.until === 'number' ? turn : undefined;
}

/** The trigger starts waiting: a new reply turn, answered through the webhook until `until`. */
export async function openReplyTurn(
	store: SessionStore,
	session: Session,
	until: number,
): Promise<number> {
	const turn = (pendingTurn(session)?.turn ?? 0) + 1;
	await store.updateSession(session.id, { state: { replyTurn: { turn, until } } });
	return turn;
}

/**
 * Hands `reply` to the trigger waiting on the session of these parties;
 * true when it will answer Twilio with it, false when the message must go
 * through the REST API (no trigger waits, or it gave up).
 */
export async function handReplyToWebhook(
	store: SessionStore,
	parties: SmsParties,
	reply: SmsReplyContent,
): Promise<boolean> {
	const session = await findSmsSession(store, parties);
	const pending = session && pendingTurn(session);
	if (!session || !pending || Date.now() >= pending.until) return false;
	if (!(await store.compareAndSetSessionFlag(session.id, claimFlag(pending.turn), false, true)))
		return false;
	await store.updateSession(session.id, { state: { reply: { ...reply, turn: pending.turn } } });
	// The flag write wakes the waiting trigger, in this process or through the store's notifications.
	await store.compareAndSetSessionFlag(session.id, readyFlag(pending.turn), false, true);
	return true;
}

function replyOf(session: Session | null, turn: number): SmsReply | undefined {
	const reply = session?.state.reply as SmsReply | null | undefined;
	return reply?.turn === turn && session?.flags[readyFlag(turn)] === true ? reply : undefined;
}

async function waitForReply(
	store: SessionStore,
	sessionId: string,
	turn: number,
	until: number,
): Promise<SmsReply | undefined> {
	for (;;) {
		const looked = storeChangeWithin(
			'sessions',
			Math.min(POLL_MS, Math.max(0, until - Date.now())),
		);
		const reply = replyOf(await store.getSession(sessionId), turn);
		if (reply !== undefined || Date.now() >= until) return reply;
		await looked;
	}
}

/**
 * Waits for the reply of `turn` until `deadline` (epoch ms). Undefined when
 * none came in time: the turn is then claimed, so a later reply goes through
 * the REST API.
 */
export async function awaitReply(
	store: SessionStore,
	sessionId: string,
	turn: number,
	deadline: number,
): Promise<SmsReply | undefined> {
	const reply = await waitForReply(store, sessionId, turn, deadline);
	if (reply !== undefined) return reply;
	if (await store.compareAndSetSessionFlag(sessionId, claimFlag(turn), false, true))
		return undefined;
	// A sender claimed the turn just now and is writing its reply.
	return await waitForReply(store, sessionId, turn, Date.now() + CLAIMED_GRACE_MS);
}
