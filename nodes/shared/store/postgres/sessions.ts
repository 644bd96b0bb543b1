import { randomUUID } from 'node:crypto';

import { missing } from '../common';
import { timeOrderedId } from '../ids';
import { FLAG_EQUALS_PG_SQL, leaseExpiry, patchedSession, upsertedSession } from '../rules';
import { toLease, toSession } from '../sql/rows';
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
import type { Database, Executor } from './connection';

/**
 * Read, merge (rules.ts) and write back in one transaction, the row locked
 * FOR UPDATE so that no other writer's merge is lost. A new key is inserted
 * with ON CONFLICT DO NOTHING: when another process inserted it first (its
 * insert waited for that one's commit), the loop finds and updates its row.
 */
export async function upsertSession(db: Database, input: UpsertSessionInput): Promise<Session> {
	return db.transaction(async (tx) => {
		for (;;) {
			const row = await tx.get(`${SESSION_BY_KEY_SQL} FOR UPDATE`, ...sessionKeyParams(input));
			if (row) return await writeSession(tx, upsertedSession(toSession(row), input));
			const inserted = await tx.get(
				SESSION_INSERT_SQL,
				...sessionInsertParams(timeOrderedId(), input, Date.now()),
			);
			if (inserted) return toSession(inserted);
		}
	});
}

export async function getSession(db: Database, id: string): Promise<Session | null> {
	const row = await db.get(SESSION_BY_ID_SQL, id);
	return row ? toSession(row) : null;
}

export async function findSession(db: Database, key: SessionKey): Promise<Session | null> {
	const row = await db.get(SESSION_BY_KEY_SQL, ...sessionKeyParams(key));
	return row ? toSession(row) : null;
}

export async function updateSession(
	db: Database,
	id: string,
	patch: SessionPatch,
): Promise<Session> {
	return db.transaction(async (tx) => {
		const session = await requireSession(tx, id, 'FOR UPDATE');
		return await writeSession(tx, patchedSession(session, patch));
	});
}

/**
 * One statement, the hottest write of a turn (Skip If In Progress, call
 * turns): the flag is compared and set in SQL. Concurrent callers queue on
 * the row, and each one re-checks the flag on the row the one before it left,
 * so exactly one of them sees `expected`.
 */
export async function compareAndSetSessionFlag(
	db: Database,
	id: string,
	flag: string,
	expected: boolean,
	next: boolean,
): Promise<boolean> {
	const changed = await db.run(
		`UPDATE sessions SET flags = (flags::jsonb || jsonb_build_object(?::text, ?::boolean))::text,
			version = version + 1, updated_at = ?
		WHERE id = ? AND ${FLAG_EQUALS_PG_SQL}`,
		flag,
		next,
		Date.now(),
		id,
		flag,
		expected,
	);
	if (changed > 0) return true;
	await requireSession(db, id);
	return false;
}

/** One statement (LEASE_ACQUIRE_SQL); when it takes nothing, a second look tells a missing session from a held lease. */
export async function acquireSessionLease(
	db: Database,
	sessionId: string,
	name: string,
	ttlMs: number,
	now: number = Date.now(),
): Promise<SessionLease | null> {
	const expiresAt = leaseExpiry(now, ttlMs);
	const row = await db.get(LEASE_ACQUIRE_SQL, name, randomUUID(), expiresAt, sessionId, now);
	if (row) return toLease(row);
	await requireSession(db, sessionId);
	return null;
}

export async function releaseSessionLease(
	db: Database,
	sessionId: string,
	name: string,
	token: string,
): Promise<boolean> {
	return (await db.run(LEASE_RELEASE_SQL, sessionId, name, token)) > 0;
}

async function requireSession(db: Executor, id: string, lock = ''): Promise<Session> {
	const row = await db.get(`${SESSION_BY_ID_SQL} ${lock}`, id);
	if (!row) throw missing('Session', id);
	return toSession(row);
}

/** Stores every mutable field of `session`, bumping its version. */
async function writeSession(tx: Executor, session: Session): Promise<Session> {
	return toSession(
		await tx.returning(SESSION_WRITE_SQL, ...sessionWriteParams(session, Date.now())),
	);
}
