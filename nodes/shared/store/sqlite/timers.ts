import { cloneJson, resolveLimit } from '../common';
import {
	compareDue,
	deriveTimerState,
	enabledTimerFields,
	firedTimer,
	firedStateParams,
	newTimer,
	TIMER_FIRE_SQL,
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
	TimerFireOutcome,
	TimerFirePlan,
} from '../types';
import type { Connection } from './connection';
import { appendEvent, appendEvents } from './outbox';

/** Rows per INSERT when timers are put in bulk (14 parameters each, well under SQLite's limit). */
const TIMER_INSERT_CHUNK = 50;
const TIMER_ROW_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, NULL, NULL, ?, ?)';

/**
 * Inserts timers, replacing each persona's timer of the same name, with
 * one multi-row INSERT OR REPLACE per chunk: the row delete and insert
 * happen in the same statement, so a replacement gets a new id and no
 * lease, and a scheduler still holding the old lease token can no longer
 * complete it. Chunks spare bulk scheduling one statement run per timer.
 * The timers are assembled here rather than read back with RETURNING, which
 * would double the cost of scheduling many timers.
 */
export function putTimers(conn: Connection, inputs: PutTimerInput[]): Timer[] {
	if (inputs.length === 0) return [];
	return conn.transaction(() => {
		const now = Date.now();
		// Through JSON, so the caller gets what a reader of the row would.
		const timers = inputs.map((input) => newTimer(input, cloneJson(input.data ?? {}), now));
		for (let start = 0; start < timers.length; start += TIMER_INSERT_CHUNK) {
			const chunk = timers.slice(start, start + TIMER_INSERT_CHUNK);
			conn.run(
				`INSERT OR REPLACE INTO timers (${TIMER_COLUMNS})
				VALUES ${chunk.map(() => TIMER_ROW_VALUES).join(', ')}`,
				...chunk.flatMap(timerRow),
			);
		}
		return timers;
	});
}

export function getTimer(conn: Connection, personaId: string, timerName: string): Timer | null {
	const row = conn.get(TIMER_BY_NAME_SQL, personaId, timerName);
	return row ? toTimer(row) : null;
}

export function listTimers(conn: Connection, filter: TimerFilter = {}): Timer[] {
	const { sql, params } = listTimersQuery(filter, resolveLimit(filter.limit));
	return conn.all(sql, ...params).map(toTimer);
}

export function setTimerEnabled(
	conn: Connection,
	personaId: string,
	timerName: string,
	enabled: boolean,
	nextFireAt: number | null | undefined,
): Timer | null {
	return conn.transaction(() => {
		const timer = getTimer(conn, personaId, timerName);
		if (!timer) return null;
		const fields = enabledTimerFields(timer, enabled, nextFireAt);
		return toTimer(
			conn.returning(
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

export function cancelTimer(conn: Connection, personaId: string, timerName: string): boolean {
	const { changes } = conn.run(TIMER_CANCEL_SQL, Date.now(), personaId, timerName);
	return Number(changes) > 0;
}

export function nextDueAt(conn: Connection): number | null {
	const row = conn.get(NEXT_DUE_SQL, Date.now());
	return row ? intOrNull(row, 'due') : null;
}

export function claimDueTimers(
	conn: Connection,
	now: number,
	limit: number,
	leaseMs: number,
): ClaimedTimer[] {
	const max = resolveLimit(limit);
	// One statement for the whole batch (an UPDATE takes the write lock before
	// it reads), which costs a fraction of one per timer. randomblob is drawn
	// per row, so every claimed timer still gets its own lease token.
	const rows = conn.all(
		timerClaimSql('lower(hex(randomblob(16)))'),
		now + leaseMs,
		Date.now(),
		now,
		now,
		max,
	);
	// RETURNING has no order; claims come in the order they fall due.
	return rows
		.map((row) => ({ timer: toTimer(row), leaseToken: text(row, 'lease_token') }))
		.sort((a, b) => compareDue(a.timer, b.timer));
}

export function fireTimers(conn: Connection, fires: TimerFire[]): Array<FiredTimer | null> {
	if (fires.length === 0) return [];
	return conn.transaction(() =>
		fires.map(({ timerId, leaseToken, outcome, event }) => {
			const timer = recordFire(conn, timerId, leaseToken, outcome);
			return timer === null ? null : { timer, event: appendEvent(conn, event) };
		}),
	);
}

const DUE_TIMERS_SQL = dueTimersSql('*');

/** Fires per multi-row UPDATE of fireDueTimers (4 parameters each). */
const TIMER_FIRE_CHUNK = 100;

/** Binds id, fired_at, next_fire_at and state per fire, then updated_at. */
const dueFireSql = (fires: number): string =>
	`WITH f (id, fired_at, next_fire_at, state) AS (VALUES ${Array.from({ length: fires }, () => '(?, ?, ?, ?)').join(', ')})
	UPDATE timers SET ${timerFireSetSql({
		firedAt: 'f.fired_at',
		nextFireAt: 'f.next_fire_at',
		enabledState: 'f.state',
		disabledState: "'disabled'",
		updatedAt: '?',
	})}
	FROM f WHERE timers.id = f.id`;

/**
 * One IMMEDIATE transaction: SQLite's write lock keeps every other claimer
 * out from the read to the commit, so no lease needs writing; the fired
 * timers are assembled rather than read back.
 */
export function fireDueTimers(
	conn: Connection,
	now: number,
	limit: number,
	plan: TimerFirePlan,
): FiredTimer[] {
	const max = resolveLimit(limit);
	return conn.transaction(() => {
		const fires = conn
			.all(DUE_TIMERS_SQL, now, now, max)
			.map(toTimer)
			.map((timer) => ({ timer, ...plan(timer) }));
		const updatedAt = Date.now();
		for (let start = 0; start < fires.length; start += TIMER_FIRE_CHUNK) {
			const chunk = fires.slice(start, start + TIMER_FIRE_CHUNK);
			conn.run(
				dueFireSql(chunk.length),
				...chunk.flatMap(({ timer, outcome }) => [
					timer.id,
					outcome.firedAt,
					outcome.nextFireAt,
					deriveTimerState(true, outcome.nextFireAt),
				]),
				updatedAt,
			);
		}
		const events = appendEvents(
			conn,
			fires.map(({ event }) => event),
		);
		return fires.map(({ timer, outcome }, index) => ({
			timer: firedTimer(timer, outcome, updatedAt),
			event: events[index],
		}));
	});
}

/** One statement that does nothing unless the lease token still holds. */
function recordFire(
	conn: Connection,
	timerId: string,
	leaseToken: string,
	outcome: TimerFireOutcome,
): Timer | null {
	const row = conn.get(
		TIMER_FIRE_SQL,
		outcome.firedAt,
		outcome.nextFireAt,
		...firedStateParams(outcome),
		Date.now(),
		timerId,
		leaseToken,
	);
	return row ? toTimer(row) : null;
}
