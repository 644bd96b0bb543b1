/** The outbox role: events appended in order and the consumers (trigger nodes) that read them. */

import type { JsonObject } from './json';

/** An entry in the outbox that trigger nodes consume. */
export interface StoredEvent {
	/** Monotonic per store: consumers read in this order. */
	seq: number;
	id: string;
	/** e.g. 'timer_fired', 'result_success', 'user_message' */
	type: string;
	integrationIdn: string;
	connectorIdn: string;
	payload: JsonObject;
	createdAt: number;
}

export interface PublishEventInput {
	type: string;
	integrationIdn: string;
	connectorIdn: string;
	payload: JsonObject;
}

export interface ReadEventsOptions {
	/** Only these event types; all when omitted. */
	types?: string[];
	limit?: number;
	/**
	 * Only events after this seq as well: a reader with events of its own in
	 * flight reads on from the last one it took, not from the acknowledged
	 * position behind them.
	 */
	after?: number;
}

export interface OutboxRole {
	publishEvent(input: PublishEventInput): Promise<StoredEvent>;
	/**
	 * Events after the consumer's acknowledged position (and after `after`),
	 * oldest first (default limit 100). Does not move the position. An unknown consumer is
	 * registered at position 0, so it receives every event still stored.
	 */
	readEvents(consumerId: string, options?: ReadEventsOptions): Promise<StoredEvent[]>;
	/** Moves the consumer's position forward to `seq` (never backwards); registers an unknown consumer at `seq`. */
	ackEvents(consumerId: string, seq: number): Promise<void>;
	/**
	 * Registers a consumer starting after the current newest event, or after
	 * `fromSeq` (0: every stored event). Does nothing if the consumer exists.
	 */
	registerConsumer(consumerId: string, fromSeq?: number): Promise<void>;
	/** Drops events older than `olderThan` (epoch ms); returns how many. */
	pruneEvents(olderThan: number): Promise<number>;
}
