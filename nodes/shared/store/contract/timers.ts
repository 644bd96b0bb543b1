/** The timers role: named, per-persona timers and the leases schedulers claim them with. */

import type { JsonObject } from './json';
import type { PublishEventInput, StoredEvent } from './outbox';

export type TimerState = 'scheduled' | 'disabled' | 'done' | 'cancelled';

export interface Timer {
	id: string;
	personaId: string;
	timerName: string;
	integrationIdn: string;
	connectorIdn: string;
	eventIdn: string;
	/** Epoch ms of the next fire; null when nothing is due (disabled, done). */
	nextFireAt: number | null;
	/** Seconds between fires of a repeatable timer. */
	intervalSeconds: number | null;
	repeatable: boolean;
	enabled: boolean;
	state: TimerState;
	fireCount: number;
	lastFiredAt: number | null;
	/** Free data the caller keeps with the timer (e.g. the original arguments). */
	data: JsonObject;
	/** While claimed by a scheduler: until when the claim holds. */
	leaseUntil: number | null;
	createdAt: number;
	updatedAt: number;
}

export interface PutTimerInput {
	personaId: string;
	timerName: string;
	integrationIdn: string;
	connectorIdn: string;
	eventIdn: string;
	nextFireAt: number | null;
	intervalSeconds: number | null;
	repeatable: boolean;
	enabled: boolean;
	data?: JsonObject;
}

/** Ordered by nextFireAt (timers without one last), then createdAt; default limit 100. */
export interface TimerFilter {
	personaId?: string;
	connectorIdn?: string;
	state?: TimerState;
	limit?: number;
}

/** A timer handed to one scheduler; nobody else gets it until the lease ends. */
export interface ClaimedTimer {
	timer: Timer;
	/** Pass back to fireTimers so a stale claim cannot overwrite a newer one. */
	leaseToken: string;
}

export interface TimerFireOutcome {
	/** Next fire (repeatable) or null (one-shot: the timer becomes `done`). */
	nextFireAt: number | null;
	firedAt: number;
}

/** One fire for fireTimers: the claim it completes, its outcome and the event it publishes. */
export interface TimerFire {
	timerId: string;
	leaseToken: string;
	outcome: TimerFireOutcome;
	event: PublishEventInput;
}

/**
 * What firing `timer` records, from the timer as it was due: its outcome and
 * the event it publishes. Synchronous and free of side effects: a backend may
 * call it again for the same timer when it retries a transaction.
 */
export type TimerFirePlan = (timer: Timer) => Pick<TimerFire, 'outcome' | 'event'>;

/** A fire recorded by fireTimers: the timer after it, and the event it appended. */
export interface FiredTimer {
	timer: Timer;
	event: StoredEvent;
}

export interface TimersRole {
	/** Creates the timer, or atomically replaces the persona's timer of the same name. */
	putTimer(input: PutTimerInput): Promise<Timer>;
	/**
	 * putTimer for each input, in order, as one atomic step: far faster than
	 * one call each for many timers, since a SQLite commit costs more than the
	 * writes in it. A later input replaces an earlier one of the same name.
	 */
	putTimers(inputs: PutTimerInput[]): Promise<Timer[]>;
	getTimer(personaId: string, timerName: string): Promise<Timer | null>;
	listTimers(filter?: TimerFilter): Promise<Timer[]>;
	/**
	 * Enables / disables without changing the schedule; null when absent.
	 * Disabling keeps nextFireAt; enabling schedules at `nextFireAt` when
	 * given, else at the stored one, and marks the timer done if there is none.
	 */
	setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null>;
	/**
	 * Marks the timer cancelled and unschedules it; false when absent. An
	 * outstanding lease on it becomes stale.
	 */
	cancelTimer(personaId: string, timerName: string): Promise<boolean>;
	/** Epoch ms of the earliest scheduled, enabled, unclaimed fire (for the single wake-up). */
	nextDueAt(): Promise<number | null>;
	/**
	 * Claims up to `limit` enabled timers due at or before `now` whose lease is
	 * free or expired; each claimed timer is leased for `leaseMs`. Two
	 * schedulers never get the same timer while a lease holds.
	 */
	claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]>;
	/**
	 * Records each fire of a claimed timer AND appends its event to the outbox,
	 * in order, as one atomic step (one commit for a whole claimed batch). A
	 * fire sets fireCount+1, lastFiredAt, the next schedule (or done) and
	 * releases the lease; a timer disabled while it fired stays disabled. Each
	 * result is null, and that fire changes nothing, where the lease token is
	 * stale, e.g. the timer was replaced or cancelled meanwhile.
	 */
	fireTimers(fires: TimerFire[]): Promise<Array<FiredTimer | null>>;
	/**
	 * claimDueTimers and fireTimers as one atomic step, with no lease written
	 * and nothing read back: takes up to `limit` claimable timers due at or
	 * before `now`, in due order, records for each the fire `plan` gives it
	 * and appends its event. Two callers never fire the same timer, and a
	 * timer leased by claimDueTimers is left to its claimer while the lease
	 * holds. A scheduler's burst costs half the writes of claim-then-fire.
	 */
	fireDueTimers(now: number, limit: number, plan: TimerFirePlan): Promise<FiredTimer[]>;
}
