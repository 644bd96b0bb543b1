/** The sessions role: one conversation on one channel, its state and its flags. */

import type { JsonObject } from './json';

export type SessionStatus = 'active' | 'ended';

export interface Session {
	id: string;
	/** e.g. 'sms', 'call', 'chat' */
	channel: string;
	integrationIdn: string;
	connectorIdn: string;
	/** The key the channel identifies a session by, e.g. `+1555…|+1666…` for SMS. */
	externalKey: string;
	personaId: string | null;
	status: SessionStatus;
	/** Seconds of silence after which the session times out; null: never. */
	timeoutSeconds: number | null;
	metadata: JsonObject;
	/** Per-session state variables (seed 003), kept verbatim. */
	state: JsonObject;
	/** Boolean flags set and cleared with compare-and-set (e.g. `botInProgress`). */
	flags: Record<string, boolean>;
	/** Incremented on every write; callers may use it for optimistic checks. */
	version: number;
	createdAt: number;
	updatedAt: number;
}

export interface SessionKey {
	channel: string;
	integrationIdn: string;
	connectorIdn: string;
	externalKey: string;
}

export interface UpsertSessionInput extends SessionKey {
	personaId?: string | null;
	timeoutSeconds?: number | null;
	/** Merged key by key into the stored metadata. */
	metadata?: JsonObject;
	/** Merged key by key into the stored state variables. */
	state?: JsonObject;
	/** Re-open an ended session (true) or leave its status alone (default). */
	reopen?: boolean;
}

/** Omitted fields are kept; metadata and state are merged key by key, as in upsertSession. */
export interface SessionPatch {
	status?: SessionStatus;
	personaId?: string | null;
	timeoutSeconds?: number | null;
	metadata?: JsonObject;
	state?: JsonObject;
}

/**
 * A named claim on a session (e.g. "a bot turn is running") that ends by
 * itself at `expiresAt`, so a holder that died cannot block the session forever.
 */
export interface SessionLease {
	name: string;
	/** Proves the holder: only this token releases the lease. */
	token: string;
	/** Epoch ms; at and after this moment the lease is free to take. */
	expiresAt: number;
}

export interface SessionsRole {
	upsertSession(input: UpsertSessionInput): Promise<Session>;
	getSession(id: string): Promise<Session | null>;
	findSession(key: SessionKey): Promise<Session | null>;
	updateSession(id: string, patch: SessionPatch): Promise<Session>;
	/**
	 * Atomically sets `flag` to `next` only if it currently equals `expected`
	 * (an absent flag counts as false). Returns whether it was set.
	 */
	compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean>;
	/**
	 * Atomically takes the session's lease `name` when it has none or its
	 * lease has expired (expiresAt <= now): a fresh random token, expiring at
	 * now + ttlMs. Null, changing nothing, while another holder's lease holds.
	 * Taking and timing the claim is one step, so no racer can see a claim
	 * without its expiry. Rejects for a missing session or a ttlMs that is not
	 * a positive number.
	 */
	acquireSessionLease(
		sessionId: string,
		name: string,
		ttlMs: number,
		now?: number,
	): Promise<SessionLease | null>;
	/**
	 * Ends the lease only while `token` is still its token, so a holder whose
	 * lease expired and was taken over cannot end the newer holder's. Returns
	 * whether it ended one.
	 */
	releaseSessionLease(sessionId: string, name: string, token: string): Promise<boolean>;
}
