/**
 * Row decoding for both SQL backends: SQLite and PostgreSQL rows into the
 * store's records, checking each column's type so a damaged file or schema
 * fails loudly instead of handing out wrong values. Both schemas store the
 * same column types (text, 64-bit integers, 0/1 for booleans, JSON as text),
 * so one decoder serves both.
 */

import type {
	Act,
	ActStatus,
	Actor,
	ConnectorListener,
	JsonObject,
	JsonValue,
	Persona,
	Session,
	SessionLease,
	SessionStatus,
	StoredEvent,
	Timer,
	TimerState,
} from '../types';

/** What a column holds in either backend (node:sqlite's SQLOutputValue; pg's values as this store reads them). */
export type SqlValue = null | number | bigint | string | Uint8Array;
export type Row = Record<string, SqlValue>;

function corrupt(column: string, value: SqlValue | undefined): Error {
	return new Error(`Unexpected value in session store column "${column}": ${String(value)}`);
}

export function text(row: Row, column: string): string {
	const value = row[column];
	if (typeof value !== 'string') throw corrupt(column, value);
	return value;
}

function textOrNull(row: Row, column: string): string | null {
	return row[column] === null ? null : text(row, column);
}

export function int(row: Row, column: string): number {
	const value = row[column];
	if (typeof value !== 'number') throw corrupt(column, value);
	return value;
}

export function intOrNull(row: Row, column: string): number | null {
	return row[column] === null ? null : int(row, column);
}

function json<T extends JsonValue>(row: Row, column: string): T {
	return JSON.parse(text(row, column)) as T;
}

export const toPersona = (row: Row): Persona => ({
	id: text(row, 'id'),
	name: textOrNull(row, 'name'),
	metadata: json<JsonObject>(row, 'metadata'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

export const toActor = (row: Row): Actor => ({
	id: text(row, 'id'),
	personaId: text(row, 'persona_id'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	externalId: text(row, 'external_id'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

export const toSession = (row: Row): Session => ({
	id: text(row, 'id'),
	channel: text(row, 'channel'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	externalKey: text(row, 'external_key'),
	personaId: textOrNull(row, 'persona_id'),
	// The CHECK constraints in the schema keep these columns to the union's values.
	status: text(row, 'status') as SessionStatus,
	timeoutSeconds: intOrNull(row, 'timeout_seconds'),
	metadata: json<JsonObject>(row, 'metadata'),
	state: json<JsonObject>(row, 'state'),
	flags: JSON.parse(text(row, 'flags')) as Record<string, boolean>,
	version: int(row, 'version'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

export const toLease = (row: Row): SessionLease => ({
	name: text(row, 'name'),
	token: text(row, 'token'),
	expiresAt: int(row, 'expires_at'),
});

export const toAct = (row: Row): Act => ({
	id: text(row, 'id'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	commandIdn: text(row, 'command_idn'),
	arguments: json<JsonObject>(row, 'arguments'),
	personaId: textOrNull(row, 'persona_id'),
	status: text(row, 'status') as ActStatus,
	result: json<JsonValue>(row, 'result'),
	externalId: textOrNull(row, 'external_id'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

export const toTimer = (row: Row): Timer => ({
	id: text(row, 'id'),
	personaId: text(row, 'persona_id'),
	timerName: text(row, 'timer_name'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	eventIdn: text(row, 'event_idn'),
	nextFireAt: intOrNull(row, 'next_fire_at'),
	intervalSeconds: intOrNull(row, 'interval_seconds'),
	repeatable: int(row, 'repeatable') === 1,
	enabled: int(row, 'enabled') === 1,
	state: text(row, 'state') as TimerState,
	fireCount: int(row, 'fire_count'),
	lastFiredAt: intOrNull(row, 'last_fired_at'),
	data: json<JsonObject>(row, 'data'),
	leaseUntil: intOrNull(row, 'lease_until'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

export const toEvent = (row: Row): StoredEvent => ({
	seq: int(row, 'seq'),
	id: text(row, 'id'),
	type: text(row, 'type'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	payload: json<JsonObject>(row, 'payload'),
	createdAt: int(row, 'created_at'),
});

export const toListener = (row: Row): ConnectorListener => ({
	id: text(row, 'id'),
	kind: text(row, 'kind'),
	connectorIdn: text(row, 'connector_idn'),
	webhookUrl: textOrNull(row, 'webhook_url'),
	expiresAt: int(row, 'expires_at'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

/** SQLite has no boolean type; both schemas store 0/1. */
export const bit = (value: boolean): number => (value ? 1 : 0);

/** `?, ?, ?` for an IN list of `count` values. */
export const placeholders = (count: number): string =>
	Array.from({ length: count }, () => '?').join(', ');

/** Turns `{column: value}` filters (undefined: no filter) into ANDed clauses. */
export function equalsClauses(filters: Record<string, string | undefined>): {
	clauses: string[];
	params: string[];
} {
	const clauses: string[] = [];
	const params: string[] = [];
	for (const [column, value] of Object.entries(filters)) {
		if (value === undefined) continue;
		clauses.push(`${column} = ?`);
		params.push(value);
	}
	return { clauses, params };
}

export const whereSql = (clauses: string[]): string =>
	clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
