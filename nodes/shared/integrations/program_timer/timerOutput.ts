import type { JsonObject, Timer } from '../../store/types';
import type { CommandOutcome } from '../../commands/types';
import { toZonedIso } from '../../commands/dates';

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
	};
}

/** A timer command's outcome: the timer as it is now (null when it no longer exists). */
export function timerOutcome(timer: Timer | null, timezone: string): CommandOutcome {
	return { status: 'completed', result: timer ? timerToJson(timer, timezone) : null };
}
