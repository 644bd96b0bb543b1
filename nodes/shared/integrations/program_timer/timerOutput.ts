import type { JsonObject, Timer } from '../../store/types';
import type { CommandOutcome } from '../../commands/types';
import { toZonedIso } from '../../commands/dates';
import { isLate, latenessMs } from '../../timers/schedule';

/** A stored timer as nodes output it: times in ISO with the workflow's offset. */
export function timerToJson(timer: Timer, timezone: string): JsonObject {
	return {
		timerId: timer.id,
		personaId: timer.personaId,
		timerName: timer.timerName,
		connectorIdn: timer.connectorIdn,
		eventIdn: timer.eventIdn,
		state: timer.state,
		enabled: timer.enabled,
		repeatable: timer.repeatable,
		interval: timer.intervalSeconds,
		nextFireAt: toZonedIso(timer.nextFireAt, timezone),
		fireCount: timer.fireCount,
		lastFiredAt: toZonedIso(timer.lastFiredAt, timezone),
		createdAt: toZonedIso(timer.createdAt, timezone),
		updatedAt: toZonedIso(timer.updatedAt, timezone),
		data: timer.data,
	};
}

/** A timer command's outcome: the timer as it is now (null when it no longer exists). */
export function timerOutcome(timer: Timer | null, timezone: string): CommandOutcome {
	return { status: 'completed', result: timer ? timerToJson(timer, timezone) : null };
}

/**
 * Set Timer's outcome: the timer, and `late` when its next fire is already
 * past (a Fire At in the past): it fires at once, or once enabled, and the
 * fire is flagged late by the same rule the Timer Trigger uses.
 */
export function setTimerOutcome(
	timer: Timer | null,
	timezone: string,
	now: number,
): CommandOutcome {
	if (timer === null) return timerOutcome(timer, timezone);
	const late = timer.nextFireAt !== null && isLate(latenessMs(timer.nextFireAt, now));
	return { status: 'completed', result: { ...timerToJson(timer, timezone), late } };
}
