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

export interface OutboxSubscription {
	/** Reads what has arrived now (also runs on its own every OUTBOX_POLL_MS). */
	drain(): Promise<void>;
	close(): void;
}

/**
 * Delivers the outbox to one trigger: each event after the consumer's
 * position, oldest first, is offered to `deliver` and then acknowledged, so
 * every active trigger gets every event once. Drains never overlap.
 */
export function subscribeToOutbox(
	store: SessionStore,
	consumerId: string,
	types: string[],
	deliver: (event: StoredEvent) => void,
	onError: (error: unknown) => void,
): OutboxSubscription {
	let running: Promise<void> | undefined;
	let again = false;
	let closed = false;

	const drainOnce = async () => {
		for (;;) {
			const events = await store.readEvents(consumerId, { types, limit: 100 });
			if (events.length === 0 || closed) return;
			for (const event of events) deliver(event);
			await store.ackEvents(consumerId, events[events.length - 1].seq);
		}
	};

	const drain = async (): Promise<void> => {
		if (closed) return;
		if (running) {
			again = true;
			return await running;
		}
		running = (async () => {
			do {
				again = false;
				await drainOnce();
			} while (again && !closed);
		})()
			.catch(onError)
			.finally(() => {
				running = undefined;
			});
		return await running;
	};

	const poll = setInterval(() => void drain(), OUTBOX_POLL_MS);
	poll.unref();
	// What this process appends is delivered now; other processes' events at the next poll.
	const stopWatchingStore = onStoreChange('events', () => void drain());
	return {
		drain,
		close() {
			closed = true;
			clearInterval(poll);
			stopWatchingStore();
		},
	};
}
