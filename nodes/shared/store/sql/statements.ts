/**
 * The statements both SQL backends run, each written once. They use `?`
 * placeholders, which SQLite binds as they are and the PostgreSQL connection
 * numbers ($1, $2 …) before sending; both schemas have the same tables and
 * column types, so the text is the same. What only one backend can say
 * (SQLite's INSERT OR REPLACE, PostgreSQL's arrays and row locks) stays in
 * its own files; the rules behind the statements are in ../rules.ts.
 */

import { mergeJson } from '../common';
import {
	ACK_POSITION_SQL,
	ACT_LIST_ORDER_SQL,
	ACT_PATCH_SET_SQL,
	FINISHED_TIMER_SQL,
	LEASE_FREE_SQL,
	registeredPositionSql,
	TIMER_CLAIMABLE_SQL,
	TIMER_DUE_ORDER_SQL,
	TIMER_LIST_ORDER_SQL,
} from '../rules';
import type {
	ActFilter,
	CreateActInput,
	RemovedRecords,
	Session,
	SessionKey,
	Timer,
	TimerFilter,
	UpsertSessionInput,
} from '../types';
import { bit, equalsClauses, placeholders, type SqlValue, whereSql } from './rows';

/** A statement and the values of its placeholders. */
export interface Query {
	sql: string;
	params: SqlValue[];
}

// ---------------------------------------------------------------- identities

export const ACTOR_BY_KEY_SQL =
	'SELECT * FROM actors WHERE integration_idn = ? AND connector_idn = ? AND external_id = ?';
export const PERSONA_BY_ID_SQL = 'SELECT * FROM personas WHERE id = ?';
/** Binds id, name, created_at, updated_at. No row back when another writer created the persona first. */
export const PERSONA_INSERT_SQL = `INSERT INTO personas (id, name, metadata, created_at, updated_at) VALUES (?, ?, '{}', ?, ?)
	ON CONFLICT DO NOTHING RETURNING *`;
/** Binds id, persona_id, the actor key, created_at, updated_at. No row back when the key was taken first. */
export const ACTOR_INSERT_SQL = `INSERT INTO actors (id, persona_id, integration_idn, connector_idn, external_id, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`;

// ---------------------------------------------------------------- sessions

export const SESSION_BY_ID_SQL = 'SELECT * FROM sessions WHERE id = ?';
export const SESSION_BY_KEY_SQL =
	'SELECT * FROM sessions WHERE channel = ? AND integration_idn = ? AND connector_idn = ? AND external_key = ?';
export const sessionKeyParams = (key: SessionKey): string[] => [
	key.channel,
	key.integrationIdn,
	key.connectorIdn,
	key.externalKey,
];

/** A new session; no row back when another writer created one with the same key first. */
export const SESSION_INSERT_SQL = `INSERT INTO sessions (id, channel, integration_idn, connector_idn, external_key, persona_id,
		status, timeout_seconds, metadata, state, flags, version, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, '{}', 1, ?, ?) ON CONFLICT DO NOTHING RETURNING *`;
export function sessionInsertParams(
	id: string,
	input: UpsertSessionInput,
	now: number,
): SqlValue[] {
	return [
		id,
		...sessionKeyParams(input),
		input.personaId ?? null,
		input.timeoutSeconds ?? null,
		JSON.stringify(mergeJson({}, input.metadata)),
		JSON.stringify(mergeJson({}, input.state)),
		now,
		now,
	];
}

/** Stores every mutable field of a session, bumping its version. */
export const SESSION_WRITE_SQL = `UPDATE sessions SET persona_id = ?, status = ?, timeout_seconds = ?, metadata = ?, state = ?,
		flags = ?, version = version + 1, updated_at = ?
	WHERE id = ? RETURNING *`;
export function sessionWriteParams(session: Session, now: number): SqlValue[] {
	return [
		session.personaId,
		session.status,
		session.timeoutSeconds,
		JSON.stringify(session.metadata),
		JSON.stringify(session.state),
		JSON.stringify(session.flags),
		now,
		session.id,
	];
}

/**
 * One statement: the row is inserted, or an expired one taken over, or
 * nothing happens and RETURNING gives no row. Selecting from sessions makes a
 * missing session insert nothing too. Binds name, token, expires_at,
 * session id, now.
 */
export const LEASE_ACQUIRE_SQL = `INSERT INTO session_leases (session_id, name, token, expires_at)
	SELECT id, ?, ?, ? FROM sessions WHERE id = ?
	ON CONFLICT (session_id, name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
		WHERE ${LEASE_FREE_SQL}
	RETURNING name, token, expires_at`;
export const LEASE_RELEASE_SQL =
	'DELETE FROM session_leases WHERE session_id = ? AND name = ? AND token = ?';

// ---------------------------------------------------------------- acts

export const ACT_COLUMNS = `id, integration_idn, connector_idn, command_idn, arguments, persona_id, status, result,
	external_id, created_at, updated_at`;
/** The values of ACT_COLUMNS for a new act. */
export function actRow(id: string, input: CreateActInput, now: number): SqlValue[] {
	return [
		id,
		input.integrationIdn,
		input.connectorIdn,
		input.commandIdn,
		JSON.stringify(input.arguments),
		input.personaId ?? null,
		input.status ?? 'pending',
		JSON.stringify(input.result ?? null),
		input.externalId ?? null,
		now,
		now,
	];
}

export function listActsQuery(filter: ActFilter, limit: number): Query {
	const { clauses, params } = equalsClauses({
		integration_idn: filter.integrationIdn,
		connector_idn: filter.connectorIdn,
		command_idn: filter.commandIdn,
		persona_id: filter.personaId,
		status: filter.status,
	});
	if (filter.ids !== undefined) {
		clauses.push(`id IN (${placeholders(filter.ids.length)})`);
		params.push(...filter.ids);
	}
	return {
		sql: `SELECT * FROM acts ${whereSql(clauses)} ORDER BY ${ACT_LIST_ORDER_SQL} LIMIT ?`,
		params: [...params, limit],
	};
}

export const ACT_EXISTS_SQL = 'SELECT 1 AS found FROM acts WHERE id = ?';
/** patchedAct: binds actPatchParams(patch), updated_at, id. */
export const ACT_PATCH_SQL = `UPDATE acts SET ${ACT_PATCH_SET_SQL}, updated_at = ? WHERE id = ? RETURNING *`;
/** settleAct's update: binds actPatchParams(patch), updated_at, id, the expected status. */
export const ACT_SETTLE_SQL = `UPDATE acts SET ${ACT_PATCH_SET_SQL}, updated_at = ? WHERE id = ? AND status = ? RETURNING *`;

// ---------------------------------------------------------------- timers

export const TIMER_COLUMNS = `id, persona_id, timer_name, integration_idn, connector_idn, event_idn, next_fire_at,
	interval_seconds, repeatable, enabled, state, fire_count, last_fired_at, data, lease_token, lease_until,
	created_at, updated_at`;
/** The values a put timer stores, in TIMER_COLUMNS order minus the ones every new timer starts with. */
export function timerRow(timer: Timer): SqlValue[] {
	return [
		timer.id,
		timer.personaId,
		timer.timerName,
		timer.integrationIdn,
		timer.connectorIdn,
		timer.eventIdn,
		timer.nextFireAt,
		timer.intervalSeconds,
		bit(timer.repeatable),
		bit(timer.enabled),
		timer.state,
		JSON.stringify(timer.data),
		timer.createdAt,
		timer.updatedAt,
	];
}

export const TIMER_BY_NAME_SQL = 'SELECT * FROM timers WHERE persona_id = ? AND timer_name = ?';

export function listTimersQuery(filter: TimerFilter, limit: number): Query {
	const { clauses, params } = equalsClauses({
		persona_id: filter.personaId,
		connector_idn: filter.connectorIdn,
		state: filter.state,
	});
	return {
		sql: `SELECT * FROM timers ${whereSql(clauses)} ORDER BY ${TIMER_LIST_ORDER_SQL} LIMIT ?`,
		params: [...params, limit],
	};
}

/** Binds enabled, next_fire_at, state, updated_at, id. */
export const TIMER_ENABLE_SQL =
	'UPDATE timers SET enabled = ?, next_fire_at = ?, state = ?, updated_at = ? WHERE id = ? RETURNING *';

/** Binds updated_at, persona id, timer name. */
export const TIMER_CANCEL_SQL = `UPDATE timers SET state = 'cancelled', next_fire_at = NULL, lease_token = NULL,
		lease_until = NULL, updated_at = ?
	WHERE persona_id = ? AND timer_name = ?`;

/**
 * claimDueTimers in one statement: leases up to `limit` claimable timers due
 * by now, in due order. `token` is the backend's random token per row; `lock`
 * what keeps claimers in other transactions off the same rows (SQLite's write
 * lock already does). Binds lease_until, updated_at, now, now, limit.
 */
export const timerClaimSql = (token: string, lock = ''): string =>
	`UPDATE timers SET lease_token = ${token}, lease_until = ?, updated_at = ?
	WHERE id IN (${dueTimersSql('id', lock)})
	RETURNING *`;

/**
 * Up to `limit` claimable timers due by now, in due order; `lock` as for
 * timerClaimSql. Binds now, now, limit.
 */
export const dueTimersSql = (columns: string, lock = ''): string =>
	`SELECT ${columns} FROM timers WHERE ${TIMER_CLAIMABLE_SQL} AND next_fire_at <= ?
	ORDER BY ${TIMER_DUE_ORDER_SQL} LIMIT ? ${lock}`;

/** Binds now. */
export const NEXT_DUE_SQL = `SELECT min(next_fire_at) AS due FROM timers WHERE ${TIMER_CLAIMABLE_SQL}`;

// ---------------------------------------------------------------- outbox

export const CONSUMER_POSITION_SQL = 'SELECT position FROM event_consumers WHERE id = ?';
/** Binds id, position, created_at, updated_at; leaves an existing consumer alone. */
export const CONSUMER_INSERT_SQL = `INSERT INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ?, ?, ?)
	ON CONFLICT (id) DO NOTHING`;
/** Binds id, seq, created_at, updated_at; an existing consumer moves forward only. */
export const CONSUMER_ACK_SQL = `INSERT INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET ${ACK_POSITION_SQL}, updated_at = excluded.updated_at`;
/** Binds id, fromSeq (or null), created_at, updated_at; `lastSeq` is the backend's SQL for the newest seq handed out. */
export const consumerRegisterSql = (lastSeq: string): string =>
	`INSERT INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ${registeredPositionSql(lastSeq)}, ?, ?)
	ON CONFLICT (id) DO NOTHING`;

/** The events of `types` (all when undefined), as an AND clause of a WHERE; binds the types. */
export function eventTypesClause(types: string[] | undefined): string {
	// PostgreSQL has no empty IN list; no types asked for, none read.
	if (types === undefined) return '';
	return types.length === 0 ? 'AND 1 = 0' : `AND type IN (${placeholders(types.length)})`;
}

export function readEventsQuery(
	position: number,
	types: string[] | undefined,
	limit: number,
): Query {
	return {
		sql: `SELECT * FROM events WHERE seq > ? ${eventTypesClause(types)} ORDER BY seq LIMIT ?`,
		params: [position, ...(types ?? []), limit],
	};
}

export const EVENTS_PRUNE_SQL = 'DELETE FROM events WHERE created_at < ?';

// ---------------------------------------------------------------- retention

/**
 * One step of a removal: a DELETE and the kind it counts for (null: removed
 * along with that kind, not counted on its own). Each backend runs the steps
 * of a removal in order, in one transaction.
 */
export interface RemovalStep {
	kind: keyof RemovedRecords | null;
	sql: string;
}

const ENDED_SESSIONS = `SELECT id FROM sessions WHERE status = 'ended' AND updated_at < ? LIMIT ?`;

/** pruneRecords: at most `limit` rows of each kind; every step binds olderThan, limit. */
export const PRUNE_STEPS: readonly RemovalStep[] = [
	{
		kind: 'acts',
		sql: 'DELETE FROM acts WHERE id IN (SELECT id FROM acts WHERE created_at < ? LIMIT ?)',
	},
	{ kind: null, sql: `DELETE FROM session_leases WHERE session_id IN (${ENDED_SESSIONS})` },
	{ kind: 'sessions', sql: `DELETE FROM sessions WHERE id IN (${ENDED_SESSIONS})` },
	{
		kind: 'timers',
		sql: `DELETE FROM timers WHERE id IN
			(SELECT id FROM timers WHERE ${FINISHED_TIMER_SQL} AND updated_at < ? LIMIT ?)`,
	},
];

/** deletePersona: everything that names the persona, then the persona; every step binds its id. */
export const DELETE_PERSONA_STEPS: readonly RemovalStep[] = [
	{ kind: 'acts', sql: 'DELETE FROM acts WHERE persona_id = ?' },
	{
		kind: null,
		sql: 'DELETE FROM session_leases WHERE session_id IN (SELECT id FROM sessions WHERE persona_id = ?)',
	},
	{ kind: 'sessions', sql: 'DELETE FROM sessions WHERE persona_id = ?' },
	{ kind: 'timers', sql: 'DELETE FROM timers WHERE persona_id = ?' },
	{ kind: 'actors', sql: 'DELETE FROM actors WHERE persona_id = ?' },
	{ kind: 'personas', sql: 'DELETE FROM personas WHERE id = ?' },
];
