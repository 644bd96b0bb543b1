import { resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { ACK_POSITION_SQL, readPosition, UNKNOWN_CONSUMER_POSITION } from '../rules';
import { int, toEvent } from '../sql/rows';
import {
	CONSUMER_INSERT_SQL,
	CONSUMER_POSITION_SQL,
	consumerRegisterSql,
	EVENTS_PRUNE_SQL,
	eventTypesClause,
	readEventsQuery,
} from '../sql/statements';
import type { JsonObject, PublishEventInput, ReadEventsOptions, StoredEvent } from '../types';
import type { Database, Executor } from './connection';

/**
 * Appends events in one statement, on its own or in the caller's transaction.
 *
 * Readers go by seq: a consumer reads the events after the last seq it took
 * and never looks behind it. So an event must never become visible after
 * one with a higher seq, or a reader that already passed its seq skips it for
 * good. With a sequence that happens: two transactions draw 7 and 8, the one
 * with 8 commits first, a reader takes 8, then 7 commits. So seqs come from
 * the one row of event_seq instead, taken with an UPDATE that holds its row
 * lock until the publishing transaction ends: the next publisher waits there
 * until this one has committed (or rolled back, undoing its seqs, which also
 * leaves no gap), so seq order is commit order and every reader sees the
 * events in seq order, complete. Publishers queue on that lock for as long
 * as a commit takes; events of one transaction (a batch of timer fires) share
 * one turn. Callers take it last in their transaction and commit right after,
 * and take no other lock after it, so that no two publishers wait on each other.
 */
export async function appendEvents(
	db: Executor,
	inputs: PublishEventInput[],
): Promise<StoredEvent[]> {
	if (inputs.length === 0) return [];
	const createdAt = Date.now();
	const events = inputs.map((input) => ({
		id: timeOrderedId(createdAt),
		type: input.type,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		payload: JSON.stringify(input.payload),
	}));
	const rows = await db.all(
		`WITH next AS (UPDATE event_seq SET last = last + ? RETURNING last)
		INSERT INTO events (seq, id, type, integration_idn, connector_idn, payload, created_at)
		SELECT next.last - ? + e.position, e.id, e.type, e.integration_idn, e.connector_idn, e.payload, ?
		FROM next, unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
			AS e (id, type, integration_idn, connector_idn, payload, position)
		RETURNING seq, id`,
		events.length,
		events.length,
		createdAt,
		events.map((event) => event.id),
		events.map((event) => event.type),
		events.map((event) => event.integrationIdn),
		events.map((event) => event.connectorIdn),
		events.map((event) => event.payload),
	);
	// RETURNING promises no order: each event finds its seq by id.
	const seqs = new Map(rows.map((row) => [row.id, int(row, 'seq')]));
	return events.map(({ payload, ...event }) => ({
		seq: seqs.get(event.id) ?? missingRow(event.id),
		...event,
		// Parsed from what was stored, so the caller gets what a reader would.
		payload: JSON.parse(payload) as JsonObject,
		createdAt,
	}));
}

function missingRow(id: string): never {
	throw new Error(`PostgreSQL stored event ${id} but did not return its seq`);
}

export async function publishEvent(db: Database, input: PublishEventInput): Promise<StoredEvent> {
	const [event] = await appendEvents(db, [input]);
	return event;
}

/**
 * Reads lock nothing: an event is not claimed by one reader but read by every
 * consumer from its own position, and n8n runs each trigger (each consumer)
 * in one process, the main instance or the leader of several. What readers
 * need from the database is the order appendEvents guarantees.
 */
export async function readEvents(
	db: Database,
	consumerId: string,
	options: ReadEventsOptions = {},
): Promise<StoredEvent[]> {
	const limit = resolveLimit(options.limit);
	const known = await db.all(
		knownConsumerReadSql(options.types),
		options.after ?? null,
		...(options.types ?? []),
		limit,
		consumerId,
	);
	if (known.length > 0) return known.filter((row) => row.seq !== null).map(toEvent);
	const now = Date.now();
	await db.run(CONSUMER_INSERT_SQL, consumerId, UNKNOWN_CONSUMER_POSITION, now, now);
	// Another process may have registered it first, at another position.
	const position = (await consumerPosition(db, consumerId)) ?? UNKNOWN_CONSUMER_POSITION;
	const { sql, params } = readEventsQuery(
		readPosition(position, options.after),
		options.types,
		limit,
	);
	return (await db.all(sql, ...params)).map(toEvent);
}

/**
 * A known consumer's read in one round trip: its position and the events
 * after it (or after `after`, when further on, as readPosition says). It
 * gives one row of nulls when there is nothing to read, and no row at all for
 * an unknown consumer. Binds after (or null), the types, limit, consumer id.
 */
function knownConsumerReadSql(types: string[] | undefined): string {
	return `SELECT e.* FROM event_consumers c
	LEFT JOIN LATERAL (
		SELECT * FROM events
		WHERE seq > greatest(c.position, coalesce(?::bigint, c.position)) ${eventTypesClause(types)}
		ORDER BY seq LIMIT ?
	) e ON true
	WHERE c.id = ?`;
}

/**
 * CONSUMER_ACK_SQL committed without waiting for the disk flush: set_config
 * local to the statement's own transaction still holds when it commits, so
 * this costs one round trip. An acknowledgement lost when the database server
 * crashes only means its events are offered again, under the deduplication
 * keys n8n already saw; waiting for the flush cost as much as the rest of a
 * publish and consume (npm run bench). Binds id, seq, created_at, updated_at.
 */
const ACK_SQL = `INSERT INTO event_consumers (id, position, created_at, updated_at)
	SELECT ?::text, ?::bigint, ?::bigint, ?::bigint
	FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed
	ON CONFLICT (id) DO UPDATE SET ${ACK_POSITION_SQL}, updated_at = excluded.updated_at`;

export async function ackEvents(db: Database, consumerId: string, seq: number): Promise<void> {
	const now = Date.now();
	await db.run(ACK_SQL, consumerId, seq, now, now);
}

/** event_seq keeps the last seq handed out, also after its event was pruned. */
const REGISTER_SQL = consumerRegisterSql('SELECT last FROM event_seq');

export async function registerConsumer(
	db: Database,
	consumerId: string,
	fromSeq?: number,
): Promise<void> {
	const now = Date.now();
	await db.run(REGISTER_SQL, consumerId, fromSeq ?? null, now, now);
}

export async function pruneEvents(db: Database, olderThan: number): Promise<number> {
	return await db.run(EVENTS_PRUNE_SQL, olderThan);
}

async function consumerPosition(db: Database, consumerId: string): Promise<number | null> {
	const row = await db.get(CONSUMER_POSITION_SQL, consumerId);
	return row ? int(row, 'position') : null;
}
