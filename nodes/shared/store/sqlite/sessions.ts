import { mergeJson, missing } from '../common';
import { timeOrderedId } from '../ids';
import { flagEquals, patchedSession, upsertedSession } from '../rules';
import type { Session, SessionKey, SessionPatch, UpsertSessionInput } from '../types';
import type { Connection } from './connection';
import { type Row, toSession } from './rows';

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
