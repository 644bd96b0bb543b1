/**
 * The timing rules of programmable timers, free of I/O and clocks (every
 * instant is passed in) so that they can be tested exactly and shared by the
 * engine, the commands that set timers and the trigger that reads fires.
 */

import type { JsonObject, PublishEventInput, Timer } from '../store/types';

/** The outbox event type of a fire; Timer Trigger nodes read these. */
export const TIMER_FIRED_EVENT = 'timer_fired';

/** Later than this, a fire counts as late: it became due while no engine ran. */
export const DEFAULT_LATE_THRESHOLD_MS = 1000;

/** The payload of a `timer_fired` event. Instants are ISO strings, durations milliseconds. */
export type TimerFiredPayload = {
	timerId: string;
	personaId: string;
	timerName: string;
	connectorIdn: string;
	eventIdn: string;
	scheduledAt: string;
	firedAt: string;
	lateMs: number;
	late: boolean;
	/** Fires of this timer so far, this one included. */
	fireCount: number;
	repeatable: boolean;
	/** The timer's interval in seconds; null when it has none. */
	interval: number | null;
	/** The data the timer was set with ({} when none). */
	data: JsonObject;
};

type Cadence = Pick<Timer, 'repeatable' | 'intervalSeconds' | 'nextFireAt'>;

/** The period of a repeatable timer in whole milliseconds; null when it cannot repeat. */
function periodMs(timer: Cadence): number | null {
	if (!timer.repeatable || timer.intervalSeconds === null) return null;
	const ms = Math.round(timer.intervalSeconds * 1000);
	// A zero or negative period would make the timer due again at once, forever.
	return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * When the timer fires next after a fire at `firedAt`: null for a one-shot
 * timer, else the first instant of its cadence (scheduled + k·interval) after
 * `firedAt`. Periods missed while nothing ran are skipped rather than fired
 * one by one, so a timer that was overdue fires once and then keeps its cadence.
 */
export function nextFireAfter(timer: Cadence, firedAt: number): number | null {
	const period = periodMs(timer);
	if (period === null || timer.nextFireAt === null) return null;
	const periods = Math.max(1, Math.floor((firedAt - timer.nextFireAt) / period) + 1);
	return timer.nextFireAt + periods * period;
}

/** How long after its scheduled time a fire happened; never negative. */
export function latenessMs(scheduledAt: number, firedAt: number): number {
	return Math.max(0, firedAt - scheduledAt);
}

export function isLate(lateMs: number, thresholdMs = DEFAULT_LATE_THRESHOLD_MS): boolean {
	return lateMs > thresholdMs;
}

/** The outbox event for a fire at `firedAt` of `timer` as it was claimed (before the fire). */
export function timerFiredEvent(
	timer: Timer,
	firedAt: number,
	lateThresholdMs = DEFAULT_LATE_THRESHOLD_MS,
): PublishEventInput {
	// A claimed timer always has a next fire; the fallback only keeps the types honest.
	const scheduledAt = timer.nextFireAt ?? firedAt;
	const lateMs = latenessMs(scheduledAt, firedAt);
	const payload: TimerFiredPayload = {
		timerId: timer.id,
		personaId: timer.personaId,
		timerName: timer.timerName,
		connectorIdn: timer.connectorIdn,
		eventIdn: timer.eventIdn,
		scheduledAt: new Date(scheduledAt).toISOString(),
		firedAt: new Date(firedAt).toISOString(),
		lateMs,
		late: isLate(lateMs, lateThresholdMs),
		fireCount: timer.fireCount + 1,
		repeatable: timer.repeatable,
		interval: timer.intervalSeconds,
		data: timer.data,
	};
	return {
		type: TIMER_FIRED_EVENT,
		integrationIdn: timer.integrationIdn,
		connectorIdn: timer.connectorIdn,
		payload,
	};
}
