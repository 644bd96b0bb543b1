import { cloneJson, resolveLimit } from '../common';
import {
	compareDue,
	deriveTimerState,
	enabledTimerFields,
	firedTimer,
	firedStateParams,
	newTimer,
	timerFireSetSql,
} from '../rules';
import { bit, intOrNull, text, toTimer } from '../sql/rows';
import {
	listTimersQuery,
	NEXT_DUE_SQL,
	TIMER_BY_NAME_SQL,
	TIMER_CANCEL_SQL,
	TIMER_COLUMNS,
	TIMER_ENABLE_SQL,
	dueTimersSql,
	timerClaimSql,
	timerRow,
} from '../sql/statements';
import type {
	ClaimedTimer,
	FiredTimer,
	PutTimerInput,
	Timer,
	TimerFilter,
	TimerFire,
	TimerFirePlan,
} from '../types';
import { columnsOf } from './arrays';
import type { Database, Executor } from './connection';
import { appendEvents } from './outbox';

/** Timers per INSERT when put in bulk: each statement sends one array per column. */
const TIMER_INSERT_CHUNK = 5000;

/** What a replacement takes from the new timer: every column but the name it is found by. */
const REPLACED_COLUMNS = TIMER_COLUMNS.split(',')
	.map((column) => column.trim())
	.filter((column) => column !== 'persona_id' && column !== 'timer_name')
	.map((column) => `${column} = excluded.${column}`)
	.join(', ');

/**
 * Inserts timers, replacing each persona's timer of the same name in the
 * same statement: the replacement takes the new id and starts without a
 * lease, so a scheduler still holding the old lease token can no longer
 * complete it. One INSERT … SELECT FROM unnest() per chunk, whatever the
 * number of timers. A statement may not change a row twice, so of several
 * inputs with one name only the last is written (it would replace the
 * others anyway); each input still gets its timer back.
 */
export async function putTimers(db: Database, inputs: PutTimerInput[]): Promise<Timer[]> {
	if (inputs.length === 0) return [];
	const now = Date.now();
	// Through JSON, so the caller gets what a reader of the row would.
	const timers = inputs.map((input) => newTimer(input, cloneJson(input.data ?? {}), now));
	const last = new Map(
		timers.map((timer) => [`${timer.personaId}\u0000${timer.timerName}`, timer]),
	);
	const chunks: Timer[][] = [];
	const written = [...last.values()];
	for (let start = 0; start < written.length; start += TIMER_INSERT_CHUNK)
		chunks.push(written.slice(start, start + TIMER_INSERT_CHUNK));
	// One statement is atomic by itself: a single chunk skips the transaction, which costs more than the write.
	if (chunks.length === 1) await insertTimers(db, chunks[0], now);
	else
		await db.transaction(async (tx) => {
			for (const chunk of chunks) await insertTimers(tx, chunk, now);
		});
	return timers;
}

async function insertTimers(db: Executor, timers: Timer[], now: number): Promise<void> {
	// timerRow ends with created_at and updated_at, the same for every timer here.
	await db.run(
		`INSERT INTO timers (${TIMER_COLUMNS})
		SELECT t.id, t.persona_id, t.timer_name, t.integration_idn, t.connector_idn, t.event_idn, t.next_fire_at,
			t.interval_seconds, t.repeatable, t.enabled, t.state, 0, NULL, t.data, NULL, NULL, ?, ?
		FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],
			?::smallint[], ?::smallint[], ?::text[], ?::text[])
			AS t (id, persona_id, timer_name, integration_idn, connector_idn, event_idn, next_fire_at,
				interval_seconds, repeatable, enabled, state, data)
		ON CONFLICT (persona_id, timer_name) DO UPDATE SET ${REPLACED_COLUMNS}`,
		now,
		now,
		...columnsOf(timers.map(timerRow), 12),
	);
}

export async function getTimer(
	db: Database,
	personaId: string,
	timerName: string,
): Promise<Timer | null> {
	const row = await db.get(TIMER_BY_NAME_SQL, personaId, timerName);
	return row ? toTimer(row) : null;
}

export async function listTimers(db: Database, filter: TimerFilter = {}): Promise<Timer[]> {
	const { sql, params } = listTimersQuery(filter, resolveLimit(filter.limit));
	return (await db.all(sql, ...params)).map(toTimer);
}

export async function setTimerEnabled(
	db: Database,
	personaId: string,
	timerName: string,
	enabled: boolean,
	nextFireAt: number | null | undefined,
): Promise<Timer | null> {
	return db.transaction(async (tx) => {
		const row = await tx.get(`${TIMER_BY_NAME_SQL} FOR UPDATE`, personaId, timerName);
		if (!row) return null;
		const timer = toTimer(row);
		const fields = enabledTimerFields(timer, enabled, nextFireAt);
		return toTimer(
			await tx.returning(
				TIMER_ENABLE_SQL,
				bit(fields.enabled),
				fields.nextFireAt,
				fields.state,
				Date.now(),
				timer.id,
			),
		);
	});
}

export async function cancelTimer(
	db: Database,
	personaId: string,
	timerName: string,
): Promise<boolean> {
	return (await db.run(TIMER_CANCEL_SQL, Date.now(), personaId, timerName)) > 0;
}

export async function nextDueAt(db: Database): Promise<number | null> {
	const row = await db.get(NEXT_DUE_SQL, Date.now());
	return row ? intOrNull(row, 'due') : null;
}

/**
 * One statement for the whole batch. FOR UPDATE SKIP LOCKED: a scheduler in
 * another process claiming at the same moment passes over the rows this one
 * is taking instead of waiting for them, and takes the next due ones.
 */
const CLAIM_SQL = timerClaimSql('gen_random_uuid()::text', 'FOR UPDATE SKIP LOCKED');

export async function claimDueTimers(
	db: Database,
	now: number,
	limit: number,
	leaseMs: number,
): Promise<ClaimedTimer[]> {
	const max = resolveLimit(limit);
	const rows = await db.all(CLAIM_SQL, now + leaseMs, Date.now(), now, now, max);
	// RETURNING has no order; claims come in the order they fall due.
	return rows
		.map((row) => ({ timer: toTimer(row), leaseToken: text(row, 'lease_token') }))
		.sort((a, b) => compareDue(a.timer, b.timer));
}

/** Every fire of a batch in one UPDATE, each guarded by its lease token. */
const FIRE_SQL = `UPDATE timers SET ${timerFireSetSql({
	firedAt: 'f.fired_at',
	nextFireAt: 'f.next_fire_at',
	enabledState: 'f.enabled_state',
	disabledState: 'f.disabled_state',
	updatedAt: '?',
})}
FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])
	AS f (id, token, fired_at, next_fire_at, enabled_state, disabled_state)
WHERE timers.id = f.id AND timers.lease_token = f.token
RETURNING timers.*, f.token AS fired_token`;

/**
 * Records the fires whose lease still holds, then appends their events in
 * fire order, in one transaction; the event step comes last because it
 * takes the outbox's publish lock (see appendEvents).
 */
export async function fireTimers(
	db: Database,
	fires: TimerFire[],
): Promise<Array<FiredTimer | null>> {
	if (fires.length === 0) return [];
	// One UPDATE changes a row once: a fire repeated in the batch (same timer,
	// same token) is a fire of an already released lease, so it comes back null.
	const claims = new Set<string>();
	const firsts = fires.filter(({ timerId, leaseToken }) => {
		const claim = `${timerId} ${leaseToken}`;
		if (claims.has(claim)) return false;
		claims.add(claim);
		return true;
	});
	return db.transaction(async (tx) => {
		const rows = await tx.all(
			FIRE_SQL,
			Date.now(),
			...columnsOf(
				firsts.map(({ timerId, leaseToken, outcome }) => [
					timerId,
					leaseToken,
					outcome.firedAt,
					outcome.nextFireAt,
					...firedStateParams(outcome),
				]),
				6,
			),
		);
		const timers = new Map(
			rows.map((row) => [`${text(row, 'id')} ${text(row, 'fired_token')}`, toTimer(row)]),
		);
		const fired = firsts.flatMap((fire) => {
			const timer = timers.get(`${fire.timerId} ${fire.leaseToken}`);
			return timer === undefined ? [] : [{ fire, timer }];
		});
		const events = await appendEvents(
			tx,
			fired.map(({ fire }) => fire.event),
		);
		const results = new Map<TimerFire, FiredTimer>(
			fired.map(({ fire, timer }, index) => [fire, { timer, event: events[index] }]),
		);
		return fires.map((fire) => results.get(fire) ?? null);
	});
}

/** FOR UPDATE SKIP LOCKED, as for claims: the rows stay locked until the fires commit. */
const DUE_TIMERS_SQL = dueTimersSql('*', 'FOR UPDATE SKIP LOCKED');

/** Every fire of a batch in one UPDATE, over rows the transaction has locked. */
const DUE_FIRE_SQL = `UPDATE timers SET ${timerFireSetSql({
	firedAt: 'f.fired_at',
	nextFireAt: 'f.next_fire_at',
	enabledState: 'f.state',
	disabledState: "'disabled'",
	updatedAt: '?',
})}
FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[]) AS f (id, fired_at, next_fire_at, state)
WHERE timers.id = f.id`;

/**
 * Locks the due rows, records their fires and appends their events in one
 * transaction: no lease is written and no row read back, and the whole
 * batch waits for one commit instead of two.
 */
export async function fireDueTimers(
	db: Database,
	now: number,
	limit: number,
	plan: TimerFirePlan,
): Promise<FiredTimer[]> {
	const max = resolveLimit(limit);
	return db.transaction(async (tx) => {
		const due = (await tx.all(DUE_TIMERS_SQL, now, now, max)).map(toTimer);
		if (due.length === 0) return [];
		const fires = due.map((timer) => ({ timer, ...plan(timer) }));
		const updatedAt = Date.now();
		await tx.run(
			DUE_FIRE_SQL,
			updatedAt,
			...columnsOf(
				fires.map(({ timer, outcome }) => [
					timer.id,
					outcome.firedAt,
					outcome.nextFireAt,
					deriveTimerState(true, outcome.nextFireAt),
				]),
				4,
			),
		);
		const events = await appendEvents(
			tx,
			fires.map(({ event }) => event),
		);
		return fires.map(({ timer, outcome }, index) => ({
			timer: firedTimer(timer, outcome, updatedAt),
			event: events[index],
		}));
	});
}
