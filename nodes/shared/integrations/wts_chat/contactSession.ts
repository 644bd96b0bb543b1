import type { Session, SessionStore } from '../../store/types';
import { WTS_CHAT_INTEGRATION } from './api';
import type { SendChatbotInput } from './chatbotInput';

/** A start claimed in the store longer ago than this was abandoned (its process died mid-request). */
const STALE_START_MS = 60_000;
const STARTING_FLAG = 'chatbotStarting';

/** The store's record of the conversation with a contact on a channel (or of a session named by ID). */
function contactKey(input: SendChatbotInput): string {
	const { from, to, sessionId } = input.body;
	return to !== undefined ? `${String(from ?? '')}|${String(to)}` : `session:${String(sessionId)}`;
}

export async function contactSession(
	store: SessionStore,
	input: SendChatbotInput,
): Promise<Session> {
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
export async function claimStart(store: SessionStore, session: Session): Promise<boolean> {
	if (!(await takeStartFlag(store, session))) return false;
	await store.updateSession(session.id, { state: { chatbotStartingAt: Date.now() } });
	return true;
}

async function takeStartFlag(store: SessionStore, session: Session): Promise<boolean> {
	if (await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, false, true)) return true;
	const current = await store.getSession(session.id);
	const since =
		typeof current?.state.chatbotStartingAt === 'number' ? current.state.chatbotStartingAt : 0;
	if (Date.now() - since < STALE_START_MS) return false;
	return await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, true, true);
}

/** Ends this execution's claim, whether its start succeeded or not. */
export async function releaseStart(store: SessionStore, session: Session): Promise<void> {
	await store.compareAndSetSessionFlag(session.id, STARTING_FLAG, true, false);
}
