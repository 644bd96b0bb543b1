/**
 * Fires the programmable timers kept in a session store.
 *
 * One engine per store per process (TimerEngine.forProcess), with a single
 * Node timer aimed at the store's earliest due fire rather than one per
 * timer: the timers live only in the store, so 100,000 of them cost the
 * process nothing and survive a restart. The sleep is capped so that timers
 * set by other processes sharing the store file are noticed; a running engine
 * re-aims at once whenever this process writes timers (the store signals it).
 *
 * Several processes may run an engine over one store. fireDueTimers takes
 * each due timer, records its fire and appends its event in one atomic store
 * step, so no timer fires twice and none is left half fired when a process dies.
 */

import { onStoreChange } from '../store/changes';
import type { FiredTimer, SessionStore } from '../store/types';
import { DEFAULT_LATE_THRESHOLD_MS, nextFireAfter, timerFiredEvent } from './schedule';

export type { FiredTimer } from '../store/types';

export interface TimerEngineOptions {
	/** Longest sleep between looks at the store, which bounds how late a timer set by another process fires; default 5000. */
	maxSleepMs?: number;
	/** Timers claimed by the first store call of a wake-up; default 100. */
	batchSize?: number;
	/**
	 * While claims come back full (a burst is due), each claim takes twice
	 * the last, up to this; default 1000. Fewer, larger store steps fire a
	 * burst sooner; the first stays small so a lone due timer costs little.
	 */
	maxBatchSize?: number;
	/** Later than this, a fire is marked late; default 1000. */
	lateThresholdMs?: number;
	/** Told about failures of a wake-up (the engine tries again at the next one) and of listeners. */
	onError?: (error: Error) => void;
}

/** Called with the fires of one batch, after they are in the store's outbox. */
export type FiredListener = (fired: readonly FiredTimer[]) => void;

const DEFAULTS = {
	maxSleepMs: 5000,
	batchSize: 100,
	maxBatchSize: 1000,
	lateThresholdMs: DEFAULT_LATE_THRESHOLD_MS,
};

/**
 * The engine of a process looks at the store at least every quarter second,
 * so that timers set by other processes (workers, the CLI) fire that late at
 * most; each look is one indexed read.
 */
const PROCESS_ENGINE: TimerEngineOptions = { maxSleepMs: 250 };

const engines = new WeakMap<SessionStore, TimerEngine>();

function positive(name: string, value: number, integer: boolean): number {
	if (!(Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
		throw new RangeError(
			`The timer engine's ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
		);
	}
	return value;
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}

/** Lets other work of the process (webhooks, executions) run between batches. */
function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

export class TimerEngine {
	private readonly maxSleepMs: number;
	private readonly batchSize: number;
	private readonly maxBatchSize: number;
	private readonly lateThresholdMs: number;
	private readonly onError: ((error: Error) => void) | undefined;
	private readonly listeners = new Set<FiredListener>();
	/** The error loggers of the users that acquired the engine. */
	private readonly userErrorLoggers: Array<(error: Error) => void> = [];
	private stopWatchingStore: (() => void) | undefined;

	private running = false;
	private handle: NodeJS.Timeout | undefined;
	/** The wake-up in progress; only one runs at a time. */
	private pass: Promise<void> | undefined;
	/** Look again as soon as the wake-up in progress ends. */
	private wakeRequested = false;
	private references = 0;

	constructor(
		readonly store: SessionStore,
		options: TimerEngineOptions = {},
	) {
		this.maxSleepMs = positive('maxSleepMs', options.maxSleepMs ?? DEFAULTS.maxSleepMs, false);
		this.batchSize = positive('batchSize', options.batchSize ?? DEFAULTS.batchSize, true);
		this.maxBatchSize = Math.max(
			this.batchSize,
			positive('maxBatchSize', options.maxBatchSize ?? DEFAULTS.maxBatchSize, true),
		);
		this.lateThresholdMs = positive(
			'lateThresholdMs',
			options.lateThresholdMs ?? DEFAULTS.lateThresholdMs,
			false,
		);
		this.onError = options.onError;
	}

	/**
	 * The engine every node of this process shares for `store`, always with
	 * the process settings, whichever node asks first.
	 */
	static forProcess(store: SessionStore): TimerEngine {
		let engine = engines.get(store);
		if (engine === undefined) {
			engine = new TimerEngine(store, PROCESS_ENGINE);
			engines.set(store, engine);
		}
		return engine;
	}

	get isRunning(): boolean {
		return this.running;
	}

	/** Starts firing timers; the first look at the store is at once. Starting again does nothing. */
	start(): void {
		if (this.running) return;
		this.running = true;
		this.stopWatchingStore = onStoreChange('timers', () => this.wake());
		this.wake();
	}

	/**
	 * Stops firing. Resolves once a wake-up in progress has finished its
	 * batch, so the store may be closed afterwards. Stopping again does nothing.
	 */
	async stop(): Promise<void> {
		this.running = false;
		this.wakeRequested = false;
		this.stopWatchingStore?.();
		this.stopWatchingStore = undefined;
		this.clearHandle();
		await this.pass;
	}

	/** Looks at the store at once, e.g. after this process set a timer sooner than the one aimed at. */
	wake(): void {
		if (!this.running) return;
		// A wake-up in progress may have looked before the change; it looks again when it ends.
		if (this.pass !== undefined) this.wakeRequested = true;
		else this.aim(0);
	}

	/**
	 * One more user (e.g. a Timer Trigger); starts the engine for the first.
	 * `onError` hears the engine's failures until the matching release().
	 */
	acquire(onError?: (error: Error) => void): void {
		this.references += 1;
		if (onError) this.userErrorLoggers.push(onError);
		this.start();
	}

	/** Ends one acquire(); the engine stops when the last user goes. Extra calls do nothing. */
	async release(onError?: (error: Error) => void): Promise<void> {
		if (this.references === 0) return;
		this.references -= 1;
		const logger = onError ? this.userErrorLoggers.indexOf(onError) : -1;
		if (logger >= 0) this.userErrorLoggers.splice(logger, 1);
		if (this.references === 0) await this.stop();
	}

	/** Calls `listener` after each batch of fires; returns the function that unsubscribes it. */
	onFired(listener: FiredListener): () => void {
		// Wrapped so that one function subscribed twice is also called (and unsubscribed) twice.
		const subscription: FiredListener = (fired) => listener(fired);
		this.listeners.add(subscription);
		return () => {
			this.listeners.delete(subscription);
		};
	}

	private aim(delayMs: number): void {
		this.clearHandle();
		this.handle = setTimeout(() => {
			this.handle = undefined;
			this.pass = this.wakeUp().then((nextDelayMs) => {
				this.pass = undefined;
				if (!this.running) return;
				const requested = this.wakeRequested;
				this.wakeRequested = false;
				this.aim(requested ? 0 : nextDelayMs);
			});
		}, delayMs);
		// Timers must never be the reason n8n (or a test) does not exit.
		this.handle.unref();
	}

	private clearHandle(): void {
		if (this.handle === undefined) return;
		clearTimeout(this.handle);
		this.handle = undefined;
	}

	/** Fires everything due; resolves to how long to sleep. Never rejects: errors go to onError. */
	private async wakeUp(): Promise<number> {
		try {
			await this.fireDue();
			const due = await this.store.nextDueAt();
			if (due === null) return this.maxSleepMs;
			return Math.min(this.maxSleepMs, Math.max(0, due - Date.now()));
		} catch (error) {
			this.report(error);
			return this.maxSleepMs;
		}
	}

	private async fireDue(): Promise<void> {
		for (let limit = this.batchSize; ; limit = Math.min(limit * 2, this.maxBatchSize)) {
			const firedAt = Date.now();
			// Claimed and fired in one store step; the timers are as they were due.
			const fired = await this.store.fireDueTimers(firedAt, limit, (timer) => ({
				outcome: { firedAt, nextFireAt: nextFireAfter(timer, firedAt) },
				event: timerFiredEvent(timer, firedAt, this.lateThresholdMs),
			}));
			this.notify(fired);
			// A short batch took everything due when it was taken; what fell due
			// since is found by nextDueAt.
			if (fired.length < limit || !this.running) return;
			await yieldToEventLoop();
		}
	}

	private notify(fired: FiredTimer[]): void {
		if (fired.length === 0) return;
		for (const listener of [...this.listeners]) {
			try {
				listener(fired);
			} catch (error) {
				this.report(error);
			}
		}
	}

	private report(error: unknown): void {
		// One user's logger is enough: the failure is the engine's, not a user's.
		const handler = this.onError ?? this.userErrorLoggers[0];
		try {
			handler?.(asError(error));
		} catch {
			// A failing error handler has nowhere left to report to; the engine must keep running.
		}
	}
}
