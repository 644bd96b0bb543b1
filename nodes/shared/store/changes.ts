/**
 * Tells this process that the store changed, so that what waits on it acts
 * at once instead of at its next poll: the timer engine re-aims when timers
 * change, outbox subscribers drain when events are appended, a call waiting
 * for its answer looks again when a session flag is set. Writers never call
 * this themselves: the store that `getStore()` hands out signals after each
 * write that needs it. Other processes' writes are seen by polling, and on
 * PostgreSQL at once as well, through LISTEN/NOTIFY (postgres/changes.ts).
 */
import type { SessionStore } from './types';

export type StoreChange = 'timers' | 'events' | 'sessions';

export const STORE_CHANGES: readonly StoreChange[] = ['timers', 'events', 'sessions'];

const listeners: Record<StoreChange, Set<() => void>> = {
	timers: new Set(),
	events: new Set(),
	sessions: new Set(),
};

/** Calls `listener` after every write of that kind in this process; returns the unsubscribe. */
export function onStoreChange(change: StoreChange, listener: () => void): () => void {
	// Wrapped so that one function subscribed twice is also called (and unsubscribed) twice.
	const subscription = () => listener();
	listeners[change].add(subscription);
	return () => {
		listeners[change].delete(subscription);
	};
}

/**
 * Resolves at the next change of that kind in this process, or after `ms`,
 * whichever comes first. Listens from the call on, so a caller that asks
 * before reading the store cannot miss a change made while it reads.
 */
export function storeChangeWithin(change: StoreChange, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			stop();
			resolve();
		};
		const timer = setTimeout(done, ms);
		const stop = onStoreChange(change, done);
	});
}

/** Wakes this process's listeners of `change`: after its own writes, or when another process reports one. */
export function signalStoreChange(change: StoreChange): void {
	for (const listener of [...listeners[change]]) {
		try {
			listener();
		} catch {
			// A listener's failure is its own (each logs through its node); the write succeeded.
		}
	}
}

/** The writes after which something may have to look again. */
const SIGNALLED_WRITES: Partial<Record<keyof SessionStore, StoreChange>> = {
	putTimer: 'timers',
	putTimers: 'timers',
	setTimerEnabled: 'timers',
	publishEvent: 'events',
	settleAct: 'events',
	fireTimers: 'events',
	fireDueTimers: 'events',
	// How a call turn's answer is marked written (twilio_voice/session.ts).
	compareAndSetSessionFlag: 'sessions',
};

/**
 * `store`, calling `onChange` (by default: this process's listeners) after
 * the writes in SIGNALLED_WRITES once they have succeeded.
 */
export function withChangeSignals<Store extends SessionStore>(
	store: Store,
	onChange: (change: StoreChange) => void = signalStoreChange,
): Store {
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
				onChange(change);
				return result;
			};
		},
	});
}
