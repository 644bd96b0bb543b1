import { mergeJson, missing } from '../common';
import { timeOrderedId } from '../ids';
import { randomUUID } from 'node:crypto';

import { flagEquals, LEASE_FREE_SQL, leaseExpiry, patchedSession, upsertedSession } from '../rules';
import type { Session, SessionKey, SessionLease, SessionPatch, UpsertSessionInput } from '../types';
import type { Connection } from './connection';
import { int, type Row, text, toSession } from './rows';

export function upsertSession(conn: Connection, input: UpsertSessionInput): Session {
	return conn.transaction(() => {
		const row = findSessionRow(conn, input);
		if (row) return writeSession(conn, upsertedSession(toSession(row), input));
		const now = Date.now();
		return toSession(
			conn.returning(
				`INSERT INTO sessions (id, channel, integration_idn, connector_idn, external_key, persona_id, status,
					timeout_seconds, metadata, state, flags, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, '{}', 1, ?, ?) RETURNING *`,
				timeOrderedId(),
				input.channel,
				input.integrationIdn,
				input.connectorIdn,
				input.externalKey,
				input.personaId ?? null,
				input.timeoutSeconds ?? null,
				JSON.stringify(mergeJson({}, input.metadata)),
				JSON.stringify(mergeJson({}, input.state)),
				now,
				now,
			),
		);
	});
}

export function getSession(conn: Connection, id: string): Session | null {
	const row = conn.get('SELECT * FROM sessions WHERE id = ?', id);
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
 * One statement: the row is inserted, or an expired one taken over, or
 * nothing happens and RETURNING gives no row. Selecting from sessions makes a
 * missing session insert nothing too; sessions are never deleted, so the
 * follow-up check that tells the two apart cannot be fooled by a race.
 */
export function acquireSessionLease(
	conn: Connection,
	sessionId: string,
	name: string,
	ttlMs: number,
	now: number = Date.now(),
): SessionLease | null {
	const expiresAt = leaseExpiry(now, ttlMs);
	const row = conn.get(
		`INSERT INTO session_leases (session_id, name, token, expires_at)
		SELECT id, ?, ?, ? FROM sessions WHERE id = ?
		ON CONFLICT (session_id, name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
			WHERE ${LEASE_FREE_SQL}
		RETURNING name, token, expires_at`,
		name,
		randomUUID(),
		expiresAt,
		sessionId,
		now,
	);
	if (row)
		return {
			name: text(row, 'name'),
			token: text(row, 'token'),
			expiresAt: int(row, 'expires_at'),
		};
	requireSession(conn, sessionId);
	return null;
}

export function releaseSessionLease(
	conn: Connection,
	sessionId: string,
	name: string,
	token: string,
): boolean {
	const { changes } = conn.run(
		'DELETE FROM session_leases WHERE session_id = ? AND name = ? AND token = ?',
		sessionId,
		name,
		token,
	);
	return Number(changes) > 0;
}

export function requireSession(conn: Connection, id: string): Session {
	const row = conn.get('SELECT * FROM sessions WHERE id = ?', id);
	if (!row) throw missing('Session', id);
	return toSession(row);
}

function findSessionRow(conn: Connection, key: SessionKey): Row | undefined {
	return conn.get(
		'SELECT * FROM sessions WHERE channel = ? AND integration_idn = ? AND connector_idn = ? AND external_key = ?',
		key.channel,
		key.integrationIdn,
		key.connectorIdn,
		key.externalKey,
	);
}

/** Stores every mutable field of `session`, bumping its version. */
function writeSession(conn: Connection, session: Session): Session {
	return toSession(
		conn.returning(
			`UPDATE sessions SET persona_id = ?, status = ?, timeout_seconds = ?, metadata = ?, state = ?, flags = ?,
				version = version + 1, updated_at = ?
			WHERE id = ? RETURNING *`,
			session.personaId,
			session.status,
			session.timeoutSeconds,
			JSON.stringify(session.metadata),
			JSON.stringify(session.state),
			JSON.stringify(session.flags),
			Date.now(),
			session.id,
		),
	);
}
