/**
 * Forgetting what is old: acts, ended sessions (with their transcripts) and
 * finished timers hold phone numbers and message texts, so every process
 * that opens the store prunes what is older than the retention period, in
 * small steps with pauses between them, so the nodes never wait on it.
 */
import type { RemovedRecords, SessionStore } from './types';

export const RETENTION_ENV = 'AGENT_CONNECTORS_RETENTION_DAYS';
export const DEFAULT_RETENTION_DAYS = 30;

/** Rows of each kind one step removes: a short transaction even on SQLite. */
export const PRUNE_BATCH = 500;
const PAUSE_BETWEEN_STEPS_MS = 50;
/** The first sweep waits until n8n has started; then one an hour. */
const FIRST_SWEEP_MS = 60_000;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * The retention period in ms, or null when records are kept for ever (0).
 * A value that is not a number of days stops the store from opening, since
 * guessing could delete what the user meant to keep.
 */
export function retentionMs(env: NodeJS.ProcessEnv = process.env): number | null {
	const raw = env[RETENTION_ENV]?.trim() ?? '';
	if (raw === '') return DEFAULT_RETENTION_DAYS * 86_400_000;
	const days = Number(raw);
	if (!Number.isFinite(days) || days < 0)
		throw new Error(
			`${RETENTION_ENV} must be a number of days (0 keeps records for ever), got "${raw}"`,
		);
	return days === 0 ? null : days * 86_400_000;
}

/** Prunes everything older than `olderThan`, step by step; returns what went. */
export async function pruneOlderThan(
	store: SessionStore,
	olderThan: number,
	batch = PRUNE_BATCH,
	pauseMs = PAUSE_BETWEEN_STEPS_MS,
): Promise<RemovedRecords> {
	const total: RemovedRecords = { acts: 0, sessions: 0, timers: 0, actors: 0, personas: 0 };
	for (;;) {
		const removed = await store.pruneRecords(olderThan, batch);
		for (const kind of Object.keys(total) as Array<keyof RemovedRecords>)
			total[kind] += removed[kind];
		if (removed.acts < batch && removed.sessions < batch && removed.timers < batch) return total;
		await new Promise((resolve) => setTimeout(resolve, pauseMs));
	}
}

/**
 * Sweeps the store now and then while it is open; returns the stop function.
 * A failed sweep is simply tried again at the next one.
 */
export function startRetention(store: SessionStore, periodMs: number | null): () => void {
	if (periodMs === null) return () => undefined;
	let stopped = false;
	let timer: NodeJS.Timeout;
	const sweep = async () => {
		await pruneOlderThan(store, Date.now() - periodMs).catch(() => undefined);
		if (!stopped) schedule(SWEEP_EVERY_MS);
	};
	const schedule = (delayMs: number) => {
		timer = setTimeout(() => void sweep(), delayMs);
		timer.unref();
	};
	schedule(FIRST_SWEEP_MS);
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
