import { cloneJson, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import {
	ackedPosition,
	readPosition,
	registeredPosition,
	UNKNOWN_CONSUMER_POSITION,
} from '../rules';
import type { PublishEventInput, ReadEventsOptions, StoredEvent } from '../types';
import { copyEvent, type MemoryState } from './state';

/** An event before it gets its seq, i.e. before it is stored. */
export type PendingEvent = Omit<StoredEvent, 'seq'>;

/**
 * Built before anything is written: copying the payload is the step that can
 * throw, and it must not leave a write done without its event.
 */
export function newEvent(input: PublishEventInput): PendingEvent {
	return {
		id: timeOrderedId(),
		type: input.type,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		payload: cloneJson(input.payload),
		createdAt: Date.now(),
	};
}

export function appendEvent(state: MemoryState, pending: PendingEvent): StoredEvent {
	const event: StoredEvent = { seq: ++state.lastSeq, ...pending };
	state.events.push(event);
	return copyEvent(event);
}

export function publishEvent(state: MemoryState, input: PublishEventInput): StoredEvent {
	return appendEvent(state, newEvent(input));
}

export function readEvents(
	state: MemoryState,
	consumerId: string,
	options: ReadEventsOptions = {},
): StoredEvent[] {
	const limit = resolveLimit(options.limit);
	let position = state.consumers.get(consumerId);
	if (position === undefined) {
		position = UNKNOWN_CONSUMER_POSITION;
		state.consumers.set(consumerId, position);
	}
	const after = readPosition(position, options.after);
	const types = options.types === undefined ? undefined : new Set(options.types);
	const found: StoredEvent[] = [];
	for (const event of state.events) {
		if (found.length >= limit) break;
		if (event.seq > after && (types === undefined || types.has(event.type)))
			found.push(copyEvent(event));
	}
	return found;
}

export function ackEvents(state: MemoryState, consumerId: string, seq: number): void {
	state.consumers.set(consumerId, ackedPosition(state.consumers.get(consumerId), seq));
}

export function registerConsumer(state: MemoryState, consumerId: string, fromSeq?: number): void {
	if (!state.consumers.has(consumerId))
		state.consumers.set(consumerId, registeredPosition(fromSeq, state.lastSeq));
}

export function pruneEvents(state: MemoryState, olderThan: number): number {
	const before = state.events.length;
	state.events = state.events.filter((event) => event.createdAt >= olderThan);
	return before - state.events.length;
}
