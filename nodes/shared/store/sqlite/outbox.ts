import { resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { readPosition, UNKNOWN_CONSUMER_POSITION } from '../rules';
import { int, toEvent } from '../sql/rows';
import {
	CONSUMER_ACK_SQL,
	CONSUMER_INSERT_SQL,
	CONSUMER_POSITION_SQL,
	consumerRegisterSql,
	EVENTS_PRUNE_SQL,
	readEventsQuery,
} from '../sql/statements';
import type { JsonObject, PublishEventInput, ReadEventsOptions, StoredEvent } from '../types';
import type { Connection } from './connection';

/** Rows per multi-row INSERT of appendEvents (6 parameters each). */
const EVENT_INSERT_CHUNK = 100;
const EVENT_ROW_VALUES = '(?, ?, ?, ?, ?, ?)';

/**
 * appendEvent for each input, in order, with one multi-row INSERT per chunk
 * (a fraction of one statement each); the caller's transaction makes them
 * atomic. Nobody else writes between the rows of one statement, so its
 * events hold consecutive seqs ending at the rowid SQLite reports last.
 */
export function appendEvents(conn: Connection, inputs: PublishEventInput[]): StoredEvent[] {
	const createdAt = Date.now();
	const events: StoredEvent[] = [];
	for (let start = 0; start < inputs.length; start += EVENT_INSERT_CHUNK) {
		const chunk = inputs.slice(start, start + EVENT_INSERT_CHUNK).map((input) => ({
			id: timeOrderedId(createdAt),
			type: input.type,
			integrationIdn: input.integrationIdn,
			connectorIdn: input.connectorIdn,
			payload: JSON.stringify(input.payload),
		}));
		const { lastInsertRowid } = conn.run(
			`INSERT INTO events (id, type, integration_idn, connector_idn, payload, created_at)
			VALUES ${chunk.map(() => EVENT_ROW_VALUES).join(', ')}`,
			...chunk.flatMap((event) => [
				event.id,
				event.type,
				event.integrationIdn,
				event.connectorIdn,
				event.payload,
				createdAt,
			]),
		);
		const firstSeq = Number(lastInsertRowid) - chunk.length + 1;
		chunk.forEach(({ payload, ...event }, index) =>
			events.push({
				seq: firstSeq + index,
				...event,
				payload: JSON.parse(payload) as JsonObject,
				createdAt,
			}),
		);
	}
	return events;
}

/** One INSERT, atomic on its own or as part of the caller's transaction. */
export const appendEvent = (conn: Connection, input: PublishEventInput): StoredEvent =>
	appendEvents(conn, [input])[0];

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
			conn.run(CONSUMER_INSERT_SQL, consumerId, UNKNOWN_CONSUMER_POSITION, now, now);
			return consumerPosition(conn, consumerId) ?? UNKNOWN_CONSUMER_POSITION;
		});
	}
	const { sql, params } = readEventsQuery(
		readPosition(position, options.after),
		options.types,
		limit,
	);
	return conn.all(sql, ...params).map(toEvent);
}

export function ackEvents(conn: Connection, consumerId: string, seq: number): void {
	const now = Date.now();
	conn.run(CONSUMER_ACK_SQL, consumerId, seq, now, now);
}

/** sqlite_sequence keeps the last seq AUTOINCREMENT handed out, also after pruning. */
const REGISTER_SQL = consumerRegisterSql(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`);

export function registerConsumer(conn: Connection, consumerId: string, fromSeq?: number): void {
	const now = Date.now();
	conn.run(REGISTER_SQL, consumerId, fromSeq ?? null, now, now);
}

export function pruneEvents(conn: Connection, olderThan: number): number {
	return Number(conn.run(EVENTS_PRUNE_SQL, olderThan).changes);
}

function consumerPosition(conn: Connection, consumerId: string): number | null {
	const row = conn.get(CONSUMER_POSITION_SQL, consumerId);
	return row ? int(row, 'position') : null;
}
