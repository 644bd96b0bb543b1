/**
 * The rules every backend follows, each written once. The memory backend
 * calls the functions here; the SQL backends (SQLite, PostgreSQL) run the SQL
 * beside each function. Each pair must agree: change a rule here, in both forms, and the
 * shared contract tests (test/store/contract) check that they still do.
 */

import { cloneJson, mergeJson } from './common';
import { timeOrderedId } from './ids';
import type {
	Act,
	ActPatch,
	ConnectorListener,
	JsonObject,
	JsonValue,
	PutTimerInput,
	RateTake,
	Session,
	SessionPatch,
	Timer,
	TimerFireOutcome,
	RemovedRecords,
	TimerState,
	UpsertSessionInput,
} from './types';

// ---------------------------------------------------------------- timers

/**
 * A timer's state follows from whether it is enabled and has a next fire;
 * only `cancelTimer` sets a state ('cancelled') outside this rule.
 */
export function deriveTimerState(enabled: boolean, nextFireAt: number | null): TimerState {
	if (!enabled) return 'disabled';
	return nextFireAt === null ? 'done' : 'scheduled';
}

/** A timer as put: a new id, never fired, no lease; both backends store exactly this. */
export function newTimer(input: PutTimerInput, data: JsonObject, now: number): Timer {
	return {
		id: timeOrderedId(now),
		personaId: input.personaId,
		timerName: input.timerName,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		eventIdn: input.eventIdn,
		nextFireAt: input.nextFireAt,
		intervalSeconds: input.intervalSeconds,
		repeatable: input.repeatable,
		enabled: input.enabled,
		state: deriveTimerState(input.enabled, input.nextFireAt),
		fireCount: 0,
		lastFiredAt: null,
		data,
		leaseUntil: null,
		createdAt: now,
		updatedAt: now,
	};
}

/** Scheduled, enabled, and not under a lease that still holds at `now`. */
export function isClaimable(timer: Timer, now: number): boolean {
	return (
		timer.state === 'scheduled' &&
		timer.enabled &&
		(timer.leaseUntil === null || timer.leaseUntil <= now)
	);
}
/** isClaimable in SQL; its one parameter is `now`. */
export const TIMER_CLAIMABLE_SQL = `state = 'scheduled' AND enabled = 1 AND (lease_until IS NULL OR lease_until <= ?)`;

/** Due timers are claimed by next fire, then id (the order of the timers_due index). */
export function compareDue(a: Timer, b: Timer): number {
	return (a.nextFireAt ?? 0) - (b.nextFireAt ?? 0) || compareIds(a.id, b.id);
}
export const TIMER_DUE_ORDER_SQL = 'next_fire_at, id';

/** Listed timers: scheduled fires first by time, unscheduled last, then by age and id. */
export function compareTimersForListing(a: Timer, b: Timer): number {
	if (a.nextFireAt !== b.nextFireAt) {
		if (a.nextFireAt === null) return 1;
		if (b.nextFireAt === null) return -1;
		return a.nextFireAt - b.nextFireAt;
	}
	return a.createdAt - b.createdAt || compareIds(a.id, b.id);
}
export const TIMER_LIST_ORDER_SQL = 'next_fire_at IS NULL, next_fire_at, created_at, id';

/** Ids are ASCII UUIDs, so code-unit order equals SQLite's BINARY collation. */
function compareIds(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

/** What setTimerEnabled changes: the schedule is kept unless a new one is given. */
export function enabledTimerFields(
	timer: Timer,
	enabled: boolean,
	nextFireAt: number | null | undefined,
): Pick<Timer, 'enabled' | 'nextFireAt' | 'state'> {
	const schedule = nextFireAt === undefined ? timer.nextFireAt : nextFireAt;
	return { enabled, nextFireAt: schedule, state: deriveTimerState(enabled, schedule) };
}

/**
 * What a fire changes. The state follows the timer's own enabled flag, so a
 * timer disabled while it was firing stays disabled.
 */
export function firedTimerFields(
	timer: Timer,
	outcome: TimerFireOutcome,
): Pick<Timer, 'fireCount' | 'lastFiredAt' | 'nextFireAt' | 'state' | 'leaseUntil'> {
	return {
		fireCount: timer.fireCount + 1,
		lastFiredAt: outcome.firedAt,
		nextFireAt: outcome.nextFireAt,
		state: deriveTimerState(timer.enabled, outcome.nextFireAt),
		leaseUntil: null,
	};
}
/**
 * firedTimerFields in SQL: the SET list of a fire, over the SQL that gives
 * each value (placeholders, or the columns of a batch of fires): the fire's
 * time and next fire, then firedStateParams(outcome), then updated_at.
 */
export function timerFireSetSql(values: {
	firedAt: string;
	nextFireAt: string;
	enabledState: string;
	disabledState: string;
	updatedAt: string;
}): string {
	return `fire_count = fire_count + 1, last_fired_at = ${values.firedAt}, next_fire_at = ${values.nextFireAt},
	state = CASE WHEN enabled = 1 THEN ${values.enabledState} ELSE ${values.disabledState} END,
	lease_token = NULL, lease_until = NULL, updated_at = ${values.updatedAt}`;
}
/**
 * One fire, guarded by the lease token. Parameters: firedAt, nextFireAt, then
 * firedStateParams(outcome), then updated_at, id, token.
 */
export const TIMER_FIRE_SQL = `UPDATE timers SET ${timerFireSetSql({
	firedAt: '?',
	nextFireAt: '?',
	enabledState: '?',
	disabledState: '?',
	updatedAt: '?',
})}
WHERE id = ? AND lease_token = ? RETURNING *`;
/** The timer as a fire leaves it, assembled rather than read back. */
export const firedTimer = (timer: Timer, outcome: TimerFireOutcome, updatedAt: number): Timer => ({
	...timer,
	...firedTimerFields(timer, outcome),
	updatedAt,
});
export const firedStateParams = (outcome: TimerFireOutcome): [TimerState, TimerState] => [
	deriveTimerState(true, outcome.nextFireAt),
	deriveTimerState(false, outcome.nextFireAt),
];

// ---------------------------------------------------------------- acts

/** Omitted fields are kept; an explicit null is stored. Copies `result` so callers never share it. */
export function patchedAct(act: Act, patch: ActPatch): Act {
	return {
		...act,
		status: patch.status ?? act.status,
		result: patch.result === undefined ? act.result : cloneJson(patch.result),
		externalId: patch.externalId === undefined ? act.externalId : patch.externalId,
	};
}
/**
 * patchedAct in SQL (a SET list); bind actPatchParams(patch). `result` is
 * stored as JSON text, so a null result is the text 'null', never SQL NULL.
 */
export const ACT_PATCH_SET_SQL = `status = COALESCE(?, status), result = COALESCE(?, result),
	external_id = CASE WHEN ? THEN ? ELSE external_id END`;
export function actPatchParams(patch: ActPatch): Array<string | number | null> {
	return [
		patch.status ?? null,
		patch.result === undefined ? null : JSON.stringify(patch.result satisfies JsonValue),
		patch.externalId === undefined ? 0 : 1,
		patch.externalId ?? null,
	];
}

/**
 * Acts are listed newest first; among acts created in the same millisecond
 * the later insert is newer (`order` in memory, rowid in SQLite).
 */
export function compareActsNewestFirst(
	a: { act: Act; order: number },
	b: { act: Act; order: number },
): number {
	return b.act.createdAt - a.act.createdAt || b.order - a.order;
}
export const ACT_LIST_ORDER_SQL = 'created_at DESC, rowid DESC';

// ---------------------------------------------------------------- sessions

/** A session's fields after an upsert of an existing key; the writer bumps version and updatedAt. */
export function upsertedSession(session: Session, input: UpsertSessionInput): Session {
	return {
		...session,
		personaId: input.personaId === undefined ? session.personaId : input.personaId,
		timeoutSeconds:
			input.timeoutSeconds === undefined ? session.timeoutSeconds : input.timeoutSeconds,
		status: input.reopen === true ? 'active' : session.status,
		metadata: mergeJson(session.metadata, input.metadata),
		state: mergeJson(session.state, input.state),
	};
}

/** A session's fields after updateSession; the writer bumps version and updatedAt. */
export function patchedSession(session: Session, patch: SessionPatch): Session {
	return {
		...session,
		status: patch.status ?? session.status,
		personaId: patch.personaId === undefined ? session.personaId : patch.personaId,
		timeoutSeconds:
			patch.timeoutSeconds === undefined ? session.timeoutSeconds : patch.timeoutSeconds,
		metadata: mergeJson(session.metadata, patch.metadata),
		state: mergeJson(session.state, patch.state),
	};
}

/** An absent flag counts as false. */
export function flagEquals(session: Session, flag: string, expected: boolean): boolean {
	return (session.flags[flag] ?? false) === expected;
}
/**
 * flagEquals in PostgreSQL, which compares and sets a flag in one statement
 * (SQLite, locked for the whole transaction anyway, calls flagEquals).
 * Binds the flag, then `expected`.
 */
export const FLAG_EQUALS_PG_SQL = `coalesce((flags::jsonb ->> ?::text)::boolean, false) = ?::boolean`;

/** A lease can be taken when there is none or it has run out: at its expiry it is already free. */
export function leaseIsFree(expiresAt: number | undefined, now: number): boolean {
	return expiresAt === undefined || expiresAt <= now;
}
/** leaseIsFree in SQL, the condition under which an existing lease row is taken over; binds `now`. */
export const LEASE_FREE_SQL = 'session_leases.expires_at <= ?';

/** A lease that expires at once, or never, is a caller bug rather than a lease. */
export function leaseExpiry(now: number, ttlMs: number): number {
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
		throw new RangeError(`A lease's ttlMs must be a positive number, got ${String(ttlMs)}`);
	}
	return now + ttlMs;
}

// ---------------------------------------------------------------- retention

export function noneRemoved(): RemovedRecords {
	return { acts: 0, sessions: 0, timers: 0, actors: 0, personas: 0 };
}

/** Timers that can never fire again, what retention may remove: done or cancelled. */
export function timerCanFire(state: TimerState): boolean {
	return state !== 'done' && state !== 'cancelled';
}
/** The same in SQL: the condition of the timers retention removes. */
export const FINISHED_TIMER_SQL = `state IN ('done', 'cancelled')`;

// ---------------------------------------------------------------- outbox

/** Where a consumer that reads before it registered starts: before every stored event. */
export const UNKNOWN_CONSUMER_POSITION = 0;

/** Acknowledging never moves a consumer back; an unknown consumer starts at `seq`. */
export function ackedPosition(current: number | undefined, seq: number): number {
	return Math.max(current ?? seq, seq);
}
/** ackedPosition in an upsert's SET list; a CASE, since SQLite's max(a, b) is PostgreSQL's greatest(). */
export const ACK_POSITION_SQL = `position = CASE WHEN excluded.position > event_consumers.position
	THEN excluded.position ELSE event_consumers.position END`;

/** Where a read starts: after the acknowledged position, or further on when the reader asks. */
export function readPosition(position: number, after: number | undefined): number {
	return after === undefined ? position : Math.max(position, after);
}

/** A new consumer starts after `fromSeq`, else after the newest seq handed out (even if pruned). */
export function registeredPosition(fromSeq: number | undefined, lastSeq: number): number {
	return fromSeq ?? lastSeq;
}
/**
 * registeredPosition in SQL; binds fromSeq (or null). `lastSeq` selects the
 * newest seq handed out, which each backend keeps after pruning in its own way.
 */
export const registeredPositionSql = (lastSeq: string): string => `coalesce(?, (${lastSeq}), 0)`;

// ---------------------------------------------------------------- listeners

/**
 * A registration this long expired is removed when another registers: its
 * trigger is not coming back to renew it (a live one renews every minute).
 */
export const LISTENER_FORGET_MS = 24 * 3600_000;

/** A registration counts strictly before its expiry, as a lease holds. */
export function listenerHolds(expiresAt: number, now: number): boolean {
	return expiresAt > now;
}

/** Oldest registration first, ties by id: which of several listeners a command picks. */
export function compareListeners(a: ConnectorListener, b: ConnectorListener): number {
	return a.createdAt - b.createdAt || compareIds(a.id, b.id);
}
export const LISTENER_ORDER_SQL = 'created_at, id';

// ---------------------------------------------------------------- rates

/**
 * A take's interval and how far ahead of now its bucket's arrival time may
 * be for a take to be granted (burst − 1 intervals); throws for a rate or a
 * burst out of range.
 */
export function rateBounds(take: RateTake): { intervalMs: number; aheadMs: number } {
	if (!Number.isFinite(take.ratePerSecond) || take.ratePerSecond <= 0)
		throw new RangeError(`A rate must be a positive number, got ${String(take.ratePerSecond)}`);
	if (!Number.isInteger(take.burst) || take.burst < 1)
		throw new RangeError(`A burst must be a whole number of at least 1, got ${String(take.burst)}`);
	const intervalMs = 1000 / take.ratePerSecond;
	return { intervalMs, aheadMs: (take.burst - 1) * intervalMs };
}

/** A refused take's wait: until the arrival time is no more than aheadMs ahead; at least 1 ms. */
export function rateWait(arrival: number, aheadMs: number, now: number): number {
	return Math.max(1, Math.ceil(arrival - aheadMs - now));
}
