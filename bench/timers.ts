/**
 * Timer figures for `npm run bench` (also runnable alone:
 * node -r ./test/support/ts-register.js bench/timers.ts). Each figure has a
 * baseline measured in the same run and the goal from the issue beside it;
 * nothing passes or fails, the machine is shared and noisy.
 *
 * 1. Scheduling 100,000 timers into SQLite, with one putTimer each and with
 *    putTimers in batches, against putTimer into the memory store.
 * 2. Lateness of 10,000 timers due within one second, fired by one engine over
 *    SQLite, from each event's scheduledAt to the moment the engine's
 *    notification reached a listener; baseline: plain setTimeouts aimed at the
 *    same instants.
 * 3. Reload after a restart: reopening the file of (1), the first nextDueAt()
 *    and claiming the first batch, which is all an engine does before firing.
 * 4. The same on PostgreSQL: scheduling in batches, reload, and a burst due
 *    at one instant, against the SQLite figures of the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryStore, SqliteStore } from '../nodes/shared/store';
import { PostgresStore } from '../nodes/shared/store/postgres';
import type { PutTimerInput, SessionStore } from '../nodes/shared/store/types';
import { TimerEngine } from '../nodes/shared/timers/engine';
import type { TimerFiredPayload } from '../nodes/shared/timers/schedule';
import { temporaryPostgresDatabase } from './postgresStore';

const SCHEDULED = 100_000;
const BURST = 10_000;
/** Of the SCHEDULED timers, this many are already overdue when the store reopens. */
const OVERDUE_AT_RELOAD = 1_000;
const CLAIM_BATCH = 100;
const PUT_BATCH = 1000;
const MIB = 1024 * 1024;

const GOALS = {
	scheduleMs: 2000,
	postgresScheduleMs: 3000,
	/** The queue-mode issue's goal for a burst due at one instant, on either backend. */
	burstP99Ms: 200,
	p99Ms: 50,
	reloadMs: 1000,
	rssMiB: 100,
};

function timerInput(index: number, nextFireAt: number): PutTimerInput {
	return {
		personaId: `persona-${index % 5000}`,
		timerName: `followup-${index}`,
		integrationIdn: 'program_timer',
		connectorIdn: 'timers',
		eventIdn: 'followup_due',
		nextFireAt,
		intervalSeconds: index % 10 === 0 ? 3600 : null,
		repeatable: index % 10 === 0,
		enabled: true,
		data: { text: `follow up ${index}` },
	};
}

/** Runs `work` on `store` and closes it, whatever happens. */
async function withStore<T>(
	store: SessionStore,
	work: (store: SessionStore) => Promise<T>,
): Promise<T> {
	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

function elapsedMs(started: bigint): number {
	return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const goal = (ok: boolean, text: string): string => `goal ${text}: ${ok ? 'met' : 'MISSED'}`;

interface ScheduleRun {
	ms: number;
	rssMiB: number;
}

/**
 * Puts SCHEDULED timers, the first OVERDUE_AT_RELOAD already due, the rest
 * over the next hour: with one putTimer each, or with putTimers in batches.
 */
async function scheduleAll(store: SessionStore, batch?: number): Promise<ScheduleRun> {
	const now = Date.now();
	const input = (index: number): PutTimerInput =>
		timerInput(index, now + (index - OVERDUE_AT_RELOAD) * 36);
	const rssBefore = process.memoryUsage().rss;
	const started = process.hrtime.bigint();
	if (batch === undefined) {
		for (let index = 0; index < SCHEDULED; index++) await store.putTimer(input(index));
	} else {
		for (let first = 0; first < SCHEDULED; first += batch)
			await store.putTimers(
				Array.from({ length: Math.min(batch, SCHEDULED - first) }, (_, i) => input(first + i)),
			);
	}
	return { ms: elapsedMs(started), rssMiB: (process.memoryUsage().rss - rssBefore) / MIB };
}

interface Lateness {
	p50: number;
	p99: number;
	max: number;
}

function summarize(lateness: number[]): Lateness {
	return {
		p50: percentile(lateness, 50),
		p99: percentile(lateness, 99),
		max: Math.max(...lateness),
	};
}

/** Due instants of the burst: BURST timers spread evenly over one second from `from`, or all at `from`. */
function burstInstants(from: number, spread: boolean): number[] {
	return Array.from(
		{ length: BURST },
		(_, i) => from + (spread ? Math.floor((i * 1000) / BURST) : 0),
	);
}

/** Baseline: one plain setTimeout per instant, the lateness of each callback. */
async function plainTimeouts(instants: number[]): Promise<Lateness> {
	const lateness = await Promise.all(
		instants.map(
			(at) =>
				new Promise<number>((resolve) =>
					setTimeout(() => resolve(Date.now() - at), at - Date.now()),
				),
		),
	);
	return summarize(lateness);
}

/** Baseline: a single plain setTimeout aimed at `at`. */
function singleTimeout(at: number): Promise<number> {
	return new Promise((resolve) => setTimeout(() => resolve(Date.now() - at), at - Date.now()));
}

interface EngineRun {
	engine: Lateness;
	single: number;
}

/**
 * Seeds BURST timers into a fresh SQLite file, due from a moment far enough
 * ahead for seeding to finish, then lets one engine fire them; a single plain
 * setTimeout aims at the first instant meanwhile.
 */
async function engineBurst(store: SessionStore, spread: boolean): Promise<EngineRun> {
	const engine = new TimerEngine(store);
	try {
		const from = Date.now() + 3000;
		const instants = burstInstants(from, spread);
		await store.putTimers(
			instants.map((at, index) => ({
				...timerInput(index, at),
				repeatable: false,
				intervalSeconds: null,
			})),
		);
		if (Date.now() >= from) throw new Error(`Seeding ${BURST} timers outlasted the 3 s head start`);

		const lateness: number[] = [];
		const allFired = new Promise<void>((resolve) => {
			engine.onFired((fired) => {
				const heardAt = Date.now();
				for (const { event } of fired) {
					const { scheduledAt } = event.payload as TimerFiredPayload;
					lateness.push(heardAt - Date.parse(scheduledAt));
				}
				if (lateness.length >= BURST) resolve();
			});
		});
		// The engine's own timer is not kept alive; this one holds the process until the burst is done.
		const keepAlive = setInterval(() => undefined, 1000);
		engine.start();
		const single = singleTimeout(from);
		await allFired;
		clearInterval(keepAlive);
		return { engine: summarize(lateness), single: await single };
	} finally {
		await engine.stop();
	}
}

interface Reload {
	openMs: number;
	nextDueMs: number;
	claimMs: number;
	claimed: number;
}

async function reload(open: () => Promise<SessionStore>): Promise<Reload> {
	let started = process.hrtime.bigint();
	const store = await open();
	const openMs = elapsedMs(started);
	try {
		started = process.hrtime.bigint();
		await store.nextDueAt();
		const nextDueMs = elapsedMs(started);
		started = process.hrtime.bigint();
		const claims = await store.claimDueTimers(Date.now(), CLAIM_BATCH, 30_000);
		return { openMs, nextDueMs, claimMs: elapsedMs(started), claimed: claims.length };
	} finally {
		await store.close();
	}
}

const pad = (label: string): string => label.padEnd(54);
const ms = (value: number, digits = 0): string => `${value.toFixed(digits)} ms`;

export async function benchTimers(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'agent-connectors-bench-timers-'));
	try {
		const path = join(folder, 'scheduled.sqlite');
		const sqlite = new SqliteStore(path);
		const sqliteRun = await scheduleAll(sqlite);
		await sqlite.close();
		const batched = new SqliteStore(join(folder, 'batched.sqlite'));
		const batchedRun = await scheduleAll(batched, PUT_BATCH);
		await batched.close();
		const memory = new MemoryStore();
		const memoryRun = await scheduleAll(memory);
		await memory.close();

		const reloaded = await reload(async () => new SqliteStore(path));
		const reloadMs = reloaded.openMs + reloaded.nextDueMs + reloaded.claimMs;

		const spreadTimeouts = await plainTimeouts(burstInstants(Date.now() + 500, true));
		const spread = await withStore(new SqliteStore(join(folder, 'spread.sqlite')), (store) =>
			engineBurst(store, true),
		);
		const sameInstant = await withStore(new SqliteStore(join(folder, 'instant.sqlite')), (store) =>
			engineBurst(store, false),
		);

		// PostgreSQL: the same three figures, each in a schema of its own.
		const postgres = await temporaryPostgresDatabase();
		let postgresLines: string[];
		try {
			const scheduledTarget = postgres.freshTarget();
			const postgresRun = await withStore(await PostgresStore.open(scheduledTarget), (store) =>
				scheduleAll(store, PUT_BATCH),
			);
			const postgresReload = await reload(() => PostgresStore.open(scheduledTarget));
			const postgresReloadMs =
				postgresReload.openMs + postgresReload.nextDueMs + postgresReload.claimMs;
			const postgresInstant = await withStore(
				await PostgresStore.open(postgres.freshTarget()),
				(store) => engineBurst(store, false),
			);
			postgresLines = [
				`Timers on PostgreSQL (loopback, a schema of its own each)`,
				`${pad(`  scheduling ${SCHEDULED.toLocaleString('en')}, putTimers in batches of ${PUT_BATCH.toLocaleString('en')}`)}${ms(postgresRun.ms)}   ratio ${(postgresRun.ms / batchedRun.ms).toFixed(1)} to SQLite   ${goal(postgresRun.ms < GOALS.postgresScheduleMs, `< ${GOALS.postgresScheduleMs} ms`)}`,
				`${pad('  reopen + nextDueAt + claim')}${ms(postgresReloadMs, 1)}   ${goal(postgresReloadMs < GOALS.reloadMs, `< ${GOALS.reloadMs} ms`)}`,
				`${pad(`  ${BURST.toLocaleString('en')} due at the same instant, one engine`)}p50 ${ms(postgresInstant.engine.p50)}   p99 ${ms(postgresInstant.engine.p99)}   max ${ms(postgresInstant.engine.max)}   ${goal(postgresInstant.engine.p99 < GOALS.burstP99Ms, `p99 < ${GOALS.burstP99Ms} ms`)}`,
			];
		} finally {
			await postgres.drop();
		}

		const lines = [
			`Timers: scheduling ${SCHEDULED.toLocaleString('en')}`,
			`${pad('  baseline: memory store, putTimer each')}${ms(memoryRun.ms)}   RSS +${memoryRun.rssMiB.toFixed(1)} MiB`,
			`${pad('  SQLite store (WAL, one file), putTimer each')}${ms(sqliteRun.ms)}   RSS +${sqliteRun.rssMiB.toFixed(1)} MiB   ratio ${(sqliteRun.ms / memoryRun.ms).toFixed(1)}`,
			`${pad(`  SQLite store, putTimers in batches of ${PUT_BATCH.toLocaleString('en')}`)}${ms(batchedRun.ms)}   RSS +${batchedRun.rssMiB.toFixed(1)} MiB   ratio ${(batchedRun.ms / memoryRun.ms).toFixed(1)}`,
			`  ${goal(sqliteRun.ms < GOALS.scheduleMs, `< ${GOALS.scheduleMs} ms (putTimer each)`)}; ${goal(batchedRun.ms < GOALS.scheduleMs, `< ${GOALS.scheduleMs} ms (putTimers)`)}; ${goal(Math.max(sqliteRun.rssMiB, batchedRun.rssMiB) < GOALS.rssMiB, `< ${GOALS.rssMiB} MiB (SQLite)`)}`,
			`Timers: lateness of ${BURST.toLocaleString('en')} due within one second (one engine, SQLite; scheduledAt → listener)`,
			`${pad('  baseline: a single plain setTimeout, same instant')}${ms(spread.single)}`,
			`${pad('  baseline: 10,000 plain setTimeouts, spread')}p50 ${ms(spreadTimeouts.p50)}   p99 ${ms(spreadTimeouts.p99)}   max ${ms(spreadTimeouts.max)}`,
			`${pad('  engine, spread evenly over the second')}p50 ${ms(spread.engine.p50)}   p99 ${ms(spread.engine.p99)}   max ${ms(spread.engine.max)}`,
			`${pad('  engine, all due at the same instant')}p50 ${ms(sameInstant.engine.p50)}   p99 ${ms(sameInstant.engine.p99)}   max ${ms(sameInstant.engine.max)}   (single setTimeout ${ms(sameInstant.single)})`,
			`  ${goal(spread.engine.p99 < GOALS.p99Ms, `p99 < ${GOALS.p99Ms} ms (spread)`)}; ${goal(sameInstant.engine.p99 < GOALS.p99Ms, `p99 < ${GOALS.p99Ms} ms (same instant)`)}`,
			`Timers: reload of ${SCHEDULED.toLocaleString('en')} after a restart (reopen, first nextDueAt, claim a batch of ${CLAIM_BATCH})`,
			`${pad('  baseline: reopening the file alone')}${ms(reloaded.openMs, 1)}`,
			`${pad('  reopen + nextDueAt + claim')}${ms(reloadMs, 1)}   (nextDueAt ${ms(reloaded.nextDueMs, 1)}, claim ${ms(reloaded.claimMs, 1)}, ${reloaded.claimed} claimed)   ratio ${(reloadMs / reloaded.openMs).toFixed(1)}`,
			`  ${goal(reloadMs < GOALS.reloadMs, `< ${GOALS.reloadMs} ms`)}`,
			...postgresLines,
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

if (require.main === module) void benchTimers();
