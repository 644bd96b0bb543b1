/**
 * Tells this process that the store changed, so that what waits on it acts
 * at once instead of at its next poll: the timer engine re-aims when timers
 * change, outbox subscribers drain when events are appended. Writers never
 * call this themselves: the store that `getStore()` hands out signals after
 * each write that needs it. Other processes' writes are seen by polling.
 */
import type { SessionStore } from './types';

export type StoreChange = 'timers' | 'events';

const listeners: Record<StoreChange, Set<() => void>> = { timers: new Set(), events: new Set() };

/** Calls `listener` after every write of that kind in this process; returns the unsubscribe. */
export function onStoreChange(change: StoreChange, listener: () => void): () => void {
	// Wrapped so that one function subscribed twice is also called (and unsubscribed) twice.
	const subscription = () => listener();
	listeners[change].add(subscription);
	return () => {
		listeners[change].delete(subscription);
	};
}

function signal(change: StoreChange): void {
	for (const listener of [...listeners[change]]) {
		try {
			listener();
		} catch {
			// A listener's failure is its own (each logs through its node); the write succeeded.
		}
	}
}

/** The writes after which something in this process must look again. */
const SIGNALLED_WRITES: Partial<Record<keyof SessionStore, StoreChange>> = {
	putTimer: 'timers',
	putTimers: 'timers',
	setTimerEnabled: 'timers',
	publishEvent: 'events',
	settleAct: 'events',
	fireTimers: 'events',
};

/** `store`, signalling after the writes in SIGNALLED_WRITES once they have succeeded. */
export function withChangeSignals(store: SessionStore): SessionStore {
	return new Proxy(store, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			const change = SIGNALLED_WRITES[property as keyof SessionStore];
			if (change === undefined || typeof value !== 'function') return value;
			return async (...args: unknown[]) => {
				const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
					target,
					args,
				);
				signal(change);
				return result;
			};
		},
	});
}
