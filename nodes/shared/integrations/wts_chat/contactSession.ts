import type { Session, SessionLease, SessionStore } from '../../store/types';
import { WTS_CHAT_INTEGRATION } from './api';
import type { SendChatbotInput } from './chatbotInput';

/**
 * How long a claimed start holds when its execution never ends it (its
 * process died mid-request); then the next execution may start the bot.
 */
const START_LEASE_MS = 60_000;
const START_LEASE = 'chatbotStart';

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
 * session exists). The claim is a lease taken in one atomic step: no racer
 * can see it half-made and take it over. Null when another execution holds it.
 */
export async function claimStart(
	store: SessionStore,
	session: Session,
): Promise<SessionLease | null> {
	return await store.acquireSessionLease(session.id, START_LEASE, START_LEASE_MS);
}

/** Ends this execution's claim, whether its start succeeded or not; a claim already taken over stays with its new holder. */
export async function releaseStart(
	store: SessionStore,
	session: Session,
	claim: SessionLease,
): Promise<void> {
	await store.releaseSessionLease(session.id, claim.name, claim.token);
}
