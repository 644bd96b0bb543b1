import { randomUUID } from 'node:crypto';

import { missing } from '../common';
import { timeOrderedId } from '../ids';
import { flagEquals, leaseExpiry, patchedSession, upsertedSession } from '../rules';
import { type Row, toLease, toSession } from '../sql/rows';
import {
	LEASE_ACQUIRE_SQL,
	LEASE_RELEASE_SQL,
	SESSION_BY_ID_SQL,
	SESSION_BY_KEY_SQL,
	SESSION_INSERT_SQL,
	SESSION_WRITE_SQL,
	sessionInsertParams,
	sessionKeyParams,
	sessionWriteParams,
} from '../sql/statements';
import type { Session, SessionKey, SessionLease, SessionPatch, UpsertSessionInput } from '../types';
import type { Connection } from './connection';

export function upsertSession(conn: Connection, input: UpsertSessionInput): Session {
	return conn.transaction(() => {
		const row = findSessionRow(conn, input);
		if (row) return writeSession(conn, upsertedSession(toSession(row), input));
		return toSession(
			conn.returning(
				SESSION_INSERT_SQL,
				...sessionInsertParams(timeOrderedId(), input, Date.now()),
			),
		);
	});
}

export function getSession(conn: Connection, id: string): Session | null {
	const row = conn.get(SESSION_BY_ID_SQL, id);
	return row ? toSession(row) : null;
}

export function findSession(conn: Connection, key: SessionKey): Session | null {
	const row = findSessionRow(conn, key);
	return row ? toSession(row) : null;
}

export function updateSession(conn: Connection, id: string, patch: SessionPatch): Session {
	return conn.transaction(() =>
		writeSession(conn, patchedSession(requireSession(conn, id), patch)),
	);
}

export function compareAndSetSessionFlag(
	conn: Connection,
	id: string,
	flag: string,
	expected: boolean,
	next: boolean,
): boolean {
	return conn.transaction(() => {
		const session = requireSession(conn, id);
		if (!flagEquals(session, flag, expected)) return false;
		writeSession(conn, { ...session, flags: { ...session.flags, [flag]: next } });
		return true;
	});
}

/**
 * One statement (LEASE_ACQUIRE_SQL); when it takes nothing, a second look
 * tells a missing session (an error) from a lease someone else holds (null).
 */
export function acquireSessionLease(
	conn: Connection,
	sessionId: string,
	name: string,
	ttlMs: number,
	now: number = Date.now(),
): SessionLease | null {
	const expiresAt = leaseExpiry(now, ttlMs);
	const row = conn.get(LEASE_ACQUIRE_SQL, name, randomUUID(), expiresAt, sessionId, now);
	if (row) return toLease(row);
	requireSession(conn, sessionId);
	return null;
}

export function releaseSessionLease(
	conn: Connection,
	sessionId: string,
	name: string,
	token: string,
): boolean {
	const { changes } = conn.run(LEASE_RELEASE_SQL, sessionId, name, token);
	return Number(changes) > 0;
}

export function requireSession(conn: Connection, id: string): Session {
	const row = conn.get(SESSION_BY_ID_SQL, id);
	if (!row) throw missing('Session', id);
	return toSession(row);
}

function findSessionRow(conn: Connection, key: SessionKey): Row | undefined {
	return conn.get(SESSION_BY_KEY_SQL, ...sessionKeyParams(key));
}

/** Stores every mutable field of `session`, bumping its version. */
function writeSession(conn: Connection, session: Session): Session {
	return toSession(conn.returning(SESSION_WRITE_SQL, ...sessionWriteParams(session, Date.now())));
}
