import { resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import {
	ACK_POSITION_SQL,
	readPosition,
	REGISTERED_POSITION_SQL,
	UNKNOWN_CONSUMER_POSITION,
} from '../rules';
import type { JsonObject, PublishEventInput, ReadEventsOptions, StoredEvent } from '../types';
import type { Connection } from './connection';
import { int, placeholders, toEvent } from './rows';

/**
 * One INSERT, atomic on its own or as part of the caller's transaction. The
 * event is assembled here rather than read back with RETURNING, which costs
 * as much again in node:sqlite; its seq is the rowid SQLite assigned.
 */
export function appendEvent(conn: Connection, input: PublishEventInput): StoredEvent {
	const id = timeOrderedId();
	const payload = JSON.stringify(input.payload);
	const createdAt = Date.now();
	const { lastInsertRowid } = conn.run(
		`INSERT INTO events (id, type, integration_idn, connector_idn, payload, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		id,
		input.type,
		input.integrationIdn,
		input.connectorIdn,
		payload,
		createdAt,
	);
	return {
		seq: Number(lastInsertRowid),
		id,
		type: input.type,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		// Parsed from what was stored, so the caller gets what a reader would.
		payload: JSON.parse(payload) as JsonObject,
		createdAt,
	};
}

export const publishEvent = appendEvent;

export function readEvents(
	conn: Connection,
	consumerId: string,
	options: ReadEventsOptions = {},
): StoredEvent[] {
	const limit = resolveLimit(options.limit);
	let position = consumerPosition(conn, consumerId);
	if (position === null) {
		const now = Date.now();
		position = conn.transaction(() => {
			conn.run(
				'INSERT OR IGNORE INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ?, ?, ?)',
				consumerId,
				UNKNOWN_CONSUMER_POSITION,
				now,
				now,
			);
			return consumerPosition(conn, consumerId) ?? UNKNOWN_CONSUMER_POSITION;
		});
	}
	const types =
		options.types === undefined ? '' : `AND type IN (${placeholders(options.types.length)})`;
	return conn
		.all(
			`SELECT * FROM events WHERE seq > ? ${types} ORDER BY seq LIMIT ?`,
			readPosition(position, options.after),
			...(options.types ?? []),
			limit,
		)
		.map(toEvent);
}

export function ackEvents(conn: Connection, consumerId: string, seq: number): void {
	const now = Date.now();
	conn.run(
		`INSERT INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET ${ACK_POSITION_SQL}, updated_at = excluded.updated_at`,
		consumerId,
		seq,
		now,
		now,
	);
}

export function registerConsumer(conn: Connection, consumerId: string, fromSeq?: number): void {
	const now = Date.now();
	conn.run(
		`INSERT OR IGNORE INTO event_consumers (id, position, created_at, updated_at)
		VALUES (?, ${REGISTERED_POSITION_SQL}, ?, ?)`,
		consumerId,
		fromSeq ?? null,
		now,
		now,
	);
}

export function pruneEvents(conn: Connection, olderThan: number): number {
	return Number(conn.run('DELETE FROM events WHERE created_at < ?', olderThan).changes);
}

function consumerPosition(conn: Connection, consumerId: string): number | null {
	const row = conn.get('SELECT position FROM event_consumers WHERE id = ?', consumerId);
	return row ? int(row, 'position') : null;
}
