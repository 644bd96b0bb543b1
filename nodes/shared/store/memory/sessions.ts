import { mergeJson, missing } from '../common';
import { timeOrderedId } from '../ids';
import { randomUUID } from 'node:crypto';

import { flagEquals, leaseExpiry, leaseIsFree, patchedSession, upsertedSession } from '../rules';
import type { Session, SessionKey, SessionLease, SessionPatch, UpsertSessionInput } from '../types';
import { copySession, keyOf, type MemoryState } from './state';

export function upsertSession(state: MemoryState, input: UpsertSessionInput): Session {
	const key = keyOf(input.channel, input.integrationIdn, input.connectorIdn, input.externalKey);
	const id = state.sessionIdsByKey.get(key);
	if (id === undefined) {
		const now = Date.now();
		const session: Session = {
			id: timeOrderedId(),
			channel: input.channel,
			integrationIdn: input.integrationIdn,
			connectorIdn: input.connectorIdn,
			externalKey: input.externalKey,
			personaId: input.personaId ?? null,
			status: 'active',
			timeoutSeconds: input.timeoutSeconds ?? null,
			metadata: mergeJson({}, input.metadata),
			state: mergeJson({}, input.state),
			flags: {},
			version: 1,
			createdAt: now,
			updatedAt: now,
		};
		state.sessions.set(session.id, session);
		state.sessionIdsByKey.set(key, session.id);
		return copySession(session);
	}
	return writeSession(state, upsertedSession(requireSession(state, id), input));
}

export function getSession(state: MemoryState, id: string): Session | null {
	const session = state.sessions.get(id);
	return session ? copySession(session) : null;
}

export function findSession(state: MemoryState, key: SessionKey): Session | null {
	const id = state.sessionIdsByKey.get(
		keyOf(key.channel, key.integrationIdn, key.connectorIdn, key.externalKey),
	);
	return id === undefined ? null : copySession(requireSession(state, id));
}

export function updateSession(state: MemoryState, id: string, patch: SessionPatch): Session {
	return writeSession(state, patchedSession(requireSession(state, id), patch));
}

export function compareAndSetSessionFlag(
	state: MemoryState,
	id: string,
	flag: string,
	expected: boolean,
	next: boolean,
): boolean {
	const session = requireSession(state, id);
	if (!flagEquals(session, flag, expected)) return false;
	writeSession(state, { ...session, flags: { ...session.flags, [flag]: next } });
	return true;
}

export function acquireSessionLease(
	state: MemoryState,
	sessionId: string,
	name: string,
	ttlMs: number,
	now: number = Date.now(),
): SessionLease | null {
	const expiresAt = leaseExpiry(now, ttlMs);
	requireSession(state, sessionId);
	const key = keyOf(sessionId, name);
	if (!leaseIsFree(state.sessionLeases.get(key)?.expiresAt, now)) return null;
	const lease = { token: randomUUID(), expiresAt };
	state.sessionLeases.set(key, lease);
	return { name, ...lease };
}

export function releaseSessionLease(
	state: MemoryState,
	sessionId: string,
	name: string,
	token: string,
): boolean {
	const key = keyOf(sessionId, name);
	if (state.sessionLeases.get(key)?.token !== token) return false;
	state.sessionLeases.delete(key);
	return true;
}

export function requireSession(state: MemoryState, id: string): Session {
	const session = state.sessions.get(id);
	if (!session) throw missing('Session', id);
	return session;
}

/** Stores `session` as the new version of its id. */
function writeSession(state: MemoryState, session: Session): Session {
	const stored = { ...session, version: session.version + 1, updatedAt: Date.now() };
	state.sessions.set(stored.id, stored);
	return copySession(stored);
}
