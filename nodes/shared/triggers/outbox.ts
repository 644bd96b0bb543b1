import { onStoreChange } from '../store/changes';
import type { SessionStore, StoredEvent } from '../store/types';

/**
 * How long a fire or result waits in the outbox for a trigger that is not
 * active yet (a workflow being saved, n8n restarting): an hour, or
 * AGENT_CONNECTORS_OUTBOX_MAX_AGE_SECONDS. Older events are pruned.
 */
export function outboxMaxAgeMs(env: NodeJS.ProcessEnv = process.env): number {
	const seconds = Number(env.AGENT_CONNECTORS_OUTBOX_MAX_AGE_SECONDS);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
}

/** How often a trigger looks for events written by other n8n processes. */
export const OUTBOX_POLL_MS = 1000;

/** The most events one read takes, however much room the bound leaves. */
const READ_BATCH = 100;

/**
 * How long a run may stay unfinished before it stops taking one of the
 * trigger's slots: ten minutes, or AGENT_CONNECTORS_RUN_SLOT_TIMEOUT_SECONDS.
 * n8n can leave a run unsettled for good (in queue mode, when its database
 * went away while the run finished); without this, such runs would hold
 * their slots until n8n restarts and the trigger would stop taking fires.
 */
export function runSlotTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
	const seconds = Number(env.AGENT_CONNECTORS_RUN_SLOT_TIMEOUT_SECONDS);
	return (Number.isFinite(seconds) && seconds > 0 ? seconds : 600) * 1000;
}

/** A failed hand-off is offered again after this, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Gives one event to the trigger. Resolves once the event is delivered (n8n
 * has the execution it starts, or the trigger does not want it); rejects
 * when it was not, and the event is offered again.
 */
export type HandOff = (event: StoredEvent) => Promise<void>;

export interface OutboxSubscription {
	/** Takes what has arrived now, as far as the bound allows (also runs every OUTBOX_POLL_MS). */
	drain(): Promise<void>;
	/** Events handed off and not delivered yet. */
	readonly inFlight: number;
	/** Of those, the ones unfinished for longer than the slot timeout, which no longer take a slot. */
	readonly overdue: number;
	close(): void;
}

/**
 * Delivers the outbox to one trigger: each event after the consumer's
 * position, oldest first, is handed off, and at most `maxInFlight` are
 * handed off and not yet delivered; the rest wait in the store. The stored
 * position only passes an event once it is delivered, so the events taken
 * but not delivered when the process stops are handed off again by the next
 * subscription (n8n's deduplication key turns a repeat into no second run).
 * Reads never overlap.
 *
 * An event undelivered for `slotTimeoutMs` stops counting against
 * `maxInFlight` but stays undelivered: the position still waits for it, so
 * after a restart it is handed off again under the same key (and n8n,
 * which has its execution, starts nothing new).
 */
export function subscribeToOutbox(
	store: SessionStore,
	consumerId: string,
	types: string[],
	handOff: HandOff,
	maxInFlight: number,
	onError: (error: unknown) => void,
	slotTimeoutMs = runSlotTimeoutMs(),
): OutboxSubscription {
	if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
		throw new RangeError(`maxInFlight must be a positive integer, got ${String(maxInFlight)}`);
	// Keyed by seq and filled in seq order, so the first key is the oldest event not delivered.
	const inFlight = new Map<number, StoredEvent>();
	const overdue = new Set<number>();
	const slotTimers = new Map<number, NodeJS.Timeout>();
	let takenThrough: number | undefined;
	let closed = false;
	const acknowledgement = acknowledger(store, consumerId, onError);

	const startSlotTimer = (event: StoredEvent) => {
		const timer = setTimeout(() => {
			slotTimers.delete(event.seq);
			if (closed || !inFlight.has(event.seq)) return;
			overdue.add(event.seq);
			onError(
				new Error(
					`Event ${event.id} has had no finished run for ${Math.round(slotTimeoutMs / 1000)} s; its slot is freed, and it is offered again after a restart`,
				),
			);
			void drain();
		}, slotTimeoutMs);
		timer.unref();
		slotTimers.set(event.seq, timer);
	};

	const delivered = (event: StoredEvent) => {
		inFlight.delete(event.seq);
		overdue.delete(event.seq);
		clearTimeout(slotTimers.get(event.seq));
		slotTimers.delete(event.seq);
		const oldestUndelivered = inFlight.keys().next().value;
		const position = oldestUndelivered === undefined ? takenThrough : oldestUndelivered - 1;
		if (position !== undefined) acknowledgement.moveTo(position);
		void drain();
	};

	const offer = (event: StoredEvent, retryMs = RETRY_FIRST_MS) => {
		handOff(event).then(
			() => delivered(event),
			(error: unknown) => {
				onError(error);
				// After close the event stays unacknowledged: the next subscription takes it.
				if (closed) return;
				const retry = setTimeout(() => offer(event, Math.min(retryMs * 2, RETRY_MAX_MS)), retryMs);
				retry.unref();
			},
		);
	};

	/** Takes one batch; true when there may be more to take. */
	const takeOnce = async (): Promise<boolean> => {
		const room = Math.min(maxInFlight - (inFlight.size - overdue.size), READ_BATCH);
		if (room <= 0) return false;
		const events = await store.readEvents(consumerId, { types, limit: room, after: takenThrough });
		if (closed) return false;
		for (const event of events) {
			takenThrough = event.seq;
			inFlight.set(event.seq, event);
			startSlotTimer(event);
			offer(event);
		}
		return events.length === room;
	};

	let running: Promise<void> | undefined;
	let again = false;
	const drain = async (): Promise<void> => {
		if (closed) return;
		if (running) {
			again = true;
			return await running;
		}
		running = (async () => {
			do {
				again = false;
				while (!closed && (await takeOnce()));
			} while (again && !closed);
		})()
			.catch(onError)
			.finally(() => {
				running = undefined;
				// A call that came after the loop's last check but before this point is not lost.
				if (again && !closed) void drain();
			});
		return await running;
	};

	const poll = setInterval(() => void drain(), OUTBOX_POLL_MS);
	poll.unref();
	// What this process appends is taken now; other processes' events at the next poll.
	const stopWatchingStore = onStoreChange('events', () => void drain());
	return {
		drain,
		get inFlight() {
			return inFlight.size;
		},
		get overdue() {
			return overdue.size;
		},
		close() {
			closed = true;
			for (const timer of slotTimers.values()) clearTimeout(timer);
			slotTimers.clear();
			clearInterval(poll);
			stopWatchingStore();
		},
	};
}

/**
 * Writes a consumer's position forward, one write at a time: positions
 * asked for while a write runs are folded into the next one. A failed write
 * is logged and left to the next move; until then the events after the
 * stored position would only be handed off again.
 */
function acknowledger(
	store: SessionStore,
	consumerId: string,
	onError: (error: unknown) => void,
): { moveTo(position: number): void } {
	let wanted = -1;
	let written = -1;
	let writing = false;
	const write = async () => {
		writing = true;
		try {
			while (written < wanted) {
				const position = wanted;
				await store.ackEvents(consumerId, position);
				written = position;
			}
		} catch (error) {
			onError(error);
		} finally {
			writing = false;
		}
	};
	return {
		moveTo(position) {
			if (position <= wanted) return;
			wanted = position;
			if (!writing) void write();
		},
	};
}
