/**
 * Rules both backends share, kept in one place so that the memory store used
 * by unit tests cannot drift from the SQLite store used in production.
 */

import { timeOrderedId } from './ids';
import type { JsonObject, JsonValue, PutTimerInput, Timer, TimerState } from './types';

const DEFAULT_LIST_LIMIT = 100;

/** A limit must be a positive integer: SQLite reads LIMIT -1 as "no limit", which would hide caller bugs. */
export function resolveLimit(limit: number | undefined, fallback = DEFAULT_LIST_LIMIT): number {
	if (limit === undefined) return fallback;
	if (!Number.isSafeInteger(limit) || limit < 1) {
		throw new RangeError(`The limit must be a positive integer, got ${String(limit)}`);
	}
	return limit;
}

/**
 * A timer's state follows from whether it is enabled and has a next fire;
 * only `cancelTimer` sets a state ('cancelled') outside this rule.
 */
export function deriveTimerState(enabled: boolean, nextFireAt: number | null): TimerState {
	if (!enabled) return 'disabled';
	return nextFireAt === null ? 'done' : 'scheduled';
}

/**
 * Copies through JSON so the memory store keeps exactly what SQLite would
 * (undefined dropped, NaN to null …) and callers never share its objects.
 */
export function cloneJson<T extends JsonValue>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** Key-by-key merge of stored JSON objects (metadata, state). */
export function mergeJson(stored: JsonObject, patch: JsonObject | undefined): JsonObject {
	return patch === undefined ? stored : { ...stored, ...cloneJson(patch) };
}

export function missing(kind: 'Session' | 'Act', id: string): Error {
	return new Error(`${kind} "${id}" does not exist in the session store`);
}

export function closedStoreError(backend: string): Error {
	return new Error(
		`The ${backend} session store has been closed; open a new one (getStore()) to keep using it`,
	);
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
