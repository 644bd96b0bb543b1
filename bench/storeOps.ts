/**
 * Store operation latencies for `npm run bench` (also runnable alone:
 * node -r ./test/support/ts-register.js bench/storeOps.ts): p50 and p99 of
 * each operation the nodes make per item or per fire, one call at a time,
 * on every backend, with the memory store as the baseline measured in the
 * same run. Nothing passes or fails; the goals from the queue-mode issue
 * are printed beside the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryStore, SqliteStore } from '../nodes/shared/store';
import type { ClaimedTimer, SessionStore } from '../nodes/shared/store/types';
import {
	DEFAULT_LATE_THRESHOLD_MS,
	nextFireAfter,
	timerFiredEvent,
} from '../nodes/shared/timers/schedule';
import { temporaryPostgresStore } from './postgresStore';

const CALLS = 2_000;
/** Calls before measuring: the first calls pay for statement preparation and page faults. */
const WARM_UP = 200;
const GOAL_P50_MS: Partial<Record<string, number>> = { sqlite: 0.2, postgres: 1 };

type Operation = (store: SessionStore, index: number) => Promise<unknown>;

interface Figures {
	p50: number;
	p99: number;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** What each operation needs in the store before it is timed, and the operation itself. */
const OPERATIONS: Array<{
	label: string;
	prepare?: (store: SessionStore) => Promise<void>;
	run: Operation;
	/** Untimed work after each call: what the nodes always do next (the engine fires what it claims). */
	after?: (store: SessionStore, result: unknown) => Promise<void>;
}> = [
	{
		label: 'create act',
		run: (store, index) =>
			store.createActs([
				{
					integrationIdn: 'sandbox',
					connectorIdn: 'bench',
					commandIdn: 'send_message',
					arguments: { phoneNumber: '+16507000000', text: `message ${index}` },
					personaId: `persona-${index % 100}`,
					status: 'pending',
				},
			]),
	},
	{
		label: 'put timer',
		run: (store, index) =>
			store.putTimer({
				personaId: `persona-${index % 100}`,
				timerName: `followup-${index}`,
				integrationIdn: 'program_timer',
				connectorIdn: 'bench',
				eventIdn: 'followup_due',
				nextFireAt: Date.now() + 3_600_000,
				intervalSeconds: null,
				repeatable: false,
				enabled: true,
			}),
	},
	{
		label: 'claim a due timer',
		prepare: putDueTimers,
		run: (store) => store.claimDueTimers(Date.now(), 1, 30_000),
		// Claimed timers left unfired stay due and leased, and every later claim
		// would pass over them; the engine fires each batch it claims at once.
		async after(store, result) {
			const firedAt = Date.now();
			await store.fireTimers(
				(result as ClaimedTimer[]).map(({ timer, leaseToken }) => ({
					timerId: timer.id,
					leaseToken,
					outcome: { firedAt, nextFireAt: nextFireAfter(timer, firedAt) },
					event: timerFiredEvent(timer, firedAt, DEFAULT_LATE_THRESHOLD_MS),
				})),
			);
		},
	},
	{
		label: 'claim and fire a due timer (one step, as the engine does)',
		prepare: putDueTimers,
		run(store) {
			const firedAt = Date.now();
			return store.fireDueTimers(firedAt, 1, (timer) => ({
				outcome: { firedAt, nextFireAt: nextFireAfter(timer, firedAt) },
				event: timerFiredEvent(timer, firedAt, DEFAULT_LATE_THRESHOLD_MS),
			}));
		},
	},
	{
		label: 'compare-and-set a session flag',
		async prepare(store) {
			await store.upsertSession({
				channel: 'sms',
				integrationIdn: 'twilio_messenger',
				connectorIdn: 'bench',
				externalKey: 'flag-session',
			});
		},
		async run(store, index) {
			const session = await sessionOf(store);
			return await store.compareAndSetSessionFlag(
				session,
				'busy',
				index % 2 === 1,
				index % 2 === 0,
			);
		},
	},
	{
		label: 'publish and consume an event',
		async prepare(store) {
			await store.registerConsumer('bench-consumer');
		},
		async run(store, index) {
			await store.publishEvent({
				type: 'bench_event',
				integrationIdn: 'sandbox',
				connectorIdn: 'bench',
				payload: { index },
			});
			const [event] = await store.readEvents('bench-consumer', { limit: 1 });
			await store.ackEvents('bench-consumer', event.seq);
		},
	},
];

/** Enough timers due already for every call of a claiming operation. */
async function putDueTimers(store: SessionStore): Promise<void> {
	const due = Date.now() - 1000;
	await store.putTimers(
		Array.from({ length: CALLS + WARM_UP }, (_, index) => ({
			personaId: `persona-${index % 100}`,
			timerName: `due-${index}`,
			integrationIdn: 'program_timer',
			connectorIdn: 'bench-due',
			eventIdn: 'followup_due',
			nextFireAt: due,
			intervalSeconds: null,
			repeatable: false,
			enabled: true,
		})),
	);
}

const sessionIds = new WeakMap<SessionStore, string>();

/** The flag session's id, looked up once per store so the timed call is the compare-and-set alone. */
async function sessionOf(store: SessionStore): Promise<string> {
	let id = sessionIds.get(store);
	if (id === undefined) {
		const session = await store.findSession({
			channel: 'sms',
			integrationIdn: 'twilio_messenger',
			connectorIdn: 'bench',
			externalKey: 'flag-session',
		});
		if (session === null) throw new Error('the flag session was not prepared');
		id = session.id;
		sessionIds.set(store, id);
	}
	return id;
}

async function measure(store: SessionStore): Promise<Figures[]> {
	const figures: Figures[] = [];
	for (const operation of OPERATIONS) {
		await operation.prepare?.(store);
		const times: number[] = [];
		for (let index = 0; index < WARM_UP + CALLS; index++) {
			const started = process.hrtime.bigint();
			const result = await operation.run(store, index);
			if (index >= WARM_UP) times.push(Number(process.hrtime.bigint() - started) / 1e6);
			await operation.after?.(store, result);
		}
		figures.push({ p50: percentile(times, 50), p99: percentile(times, 99) });
	}
	return figures;
}

const ms = (value: number): string => `${value.toFixed(3)} ms`.padStart(10);

export async function benchStoreOps(): Promise<void> {
	const folder = mkdtempSync(join(tmpdir(), 'agent-connectors-bench-ops-'));
	const postgres = await temporaryPostgresStore();
	const contenders: Array<{ name: string; label: string; store: SessionStore }> = [
		{ name: 'memory', label: 'baseline: memory', store: new MemoryStore() },
		{
			name: 'sqlite',
			label: 'SQLite (WAL, one file)',
			store: new SqliteStore(join(folder, 'ops.sqlite')),
		},
		{ name: 'postgres', label: 'PostgreSQL (loopback)', store: postgres.store },
	];
	try {
		const results = [];
		for (const contender of contenders) results.push(await measure(contender.store));
		const [baseline] = results;
		const lines = [
			`Store operations, one call at a time (${CALLS.toLocaleString('en')} calls each after ${WARM_UP} to warm up; p50 / p99, ratio of p50 to the memory store's)`,
		];
		for (const [opIndex, operation] of OPERATIONS.entries()) {
			lines.push(`  ${operation.label}`);
			for (const [index, contender] of contenders.entries()) {
				const { p50, p99 } = results[index][opIndex];
				const goal = GOAL_P50_MS[contender.name];
				const ratio = index === 0 ? '' : `   ratio ${(p50 / baseline[opIndex].p50).toFixed(1)}`;
				const verdict =
					goal === undefined ? '' : `   goal p50 < ${goal} ms: ${p50 < goal ? 'met' : 'MISSED'}`;
				lines.push(
					`    ${contender.label.padEnd(26)} p50 ${ms(p50)}   p99 ${ms(p99)}${ratio}${verdict}`,
				);
			}
		}
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		for (const contender of contenders.slice(0, 2)) await contender.store.close();
		// Closes the PostgreSQL store too.
		await postgres.drop();
		rmSync(folder, { recursive: true, force: true });
	}
}

if (require.main === module) void benchStoreOps();
