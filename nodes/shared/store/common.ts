/**
 * Helpers both backends share: limits, JSON copies and the errors they
 * throw. The rules records follow (order, claimability, patches) are in rules.ts.
 */

import type { JsonObject, JsonValue } from './types';

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
