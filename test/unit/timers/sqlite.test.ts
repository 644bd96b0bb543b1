import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { SqliteStore } from '../../../nodes/shared/store';
import { TimerEngine } from '../../../nodes/shared/timers/engine';
import type { ChildReport } from './engineChild';
import {
	FireRecorder,
	firedEvents,
	firesPerTimer,
	payloadOf,
	sleep,
	timerInput,
	waitFor,
} from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const REGISTER = join(ROOT, 'test', 'support', 'ts-register.js');
const CHILD = join(__dirname, 'engineChild.ts');

let dir: string;
let fileCount = 0;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'agent-connectors-timers-'));
});

afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

function freshPath(): string {
	fileCount += 1;
	return join(dir, `timers-${fileCount}.sqlite`);
}

/** An engine process over the file at `dbPath`; its stdout lines arrive in order. */
class EngineProcess {
	readonly child: ChildProcessWithoutNullStreams;
	readonly exited: Promise<number | null>;
	private readonly lines: string[] = [];
	private stderr = '';

	constructor(dbPath: string, mode: 'race' | 'idle', maxSleepMs: number, batchSize: number) {
		this.child = spawn(
			process.execPath,
			['-r', REGISTER, CHILD, dbPath, mode, String(maxSleepMs), String(batchSize)],
			{ cwd: ROOT },
		);
		this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			this.stderr += chunk;
		});
		createInterface({ input: this.child.stdout }).on('line', (line) => this.lines.push(line));
		this.exited = new Promise((resolve) => this.child.on('close', resolve));
	}

	async nextLine(timeoutMs: number): Promise<string> {
		await waitFor(
			`a line from process ${String(this.child.pid)} (stderr: ${this.stderr})`,
			() => this.lines.length > 0,
			timeoutMs,
		);
		return this.lines.shift() ?? '';
	}

	/** Closes stdin, which makes a racing process stop its engine and report. */
	async finish(): Promise<ChildReport> {
		this.child.stdin.end();
		return JSON.parse(await this.nextLine(10_000)) as ChildReport;
	}
}

describe('TimerEngine over SQLite, across a restart', () => {
	it('fires timers that fell due while no engine ran once each, late, and keeps a repeatable on its cadence', async () => {
		const path = freshPath();
		const before = new SqliteStore(path);
		const start = Date.now();
		const repeatAt = start + 100;
		const a = await before.putTimer(timerInput({ timerName: 'once-a', nextFireAt: start + 100 }));
		const b = await before.putTimer(timerInput({ timerName: 'once-b', nextFireAt: start + 200 }));
		const repeat = await before.putTimer(
			timerInput({
				timerName: 'repeat',
				nextFireAt: repeatAt,
				repeatable: true,
				intervalSeconds: 1,
			}),
		);
		// n8n stops; the timers fall due and the repeatable one misses two periods.
		await before.close();
		await sleep(2400);

		const after = new SqliteStore(path);
		const engine = new TimerEngine(after);
		const recorder = new FireRecorder(engine);
		engine.start();
		await recorder.waitForFires(3);
		const reopenedFires = recorder.fires.slice(0, 3);
		expect(new Set(reopenedFires.map((f) => f.timer.id))).toEqual(new Set([a.id, b.id, repeat.id]));
		expect(reopenedFires.map((f) => payloadOf(f).late)).toEqual([true, true, true]);

		const repeated = reopenedFires.find((f) => f.timer.id === repeat.id);
		const firedAt = repeated?.timer.lastFiredAt ?? 0;
		const next = repeated?.timer.nextFireAt ?? 0;
		expect(payloadOf(repeated ?? reopenedFires[0]).scheduledAt).toBe(
			new Date(repeatAt).toISOString(),
		);
		expect((next - repeatAt) % 1000).toBe(0);
		expect(next).toBeGreaterThan(firedAt);
		expect(next - firedAt).toBeLessThanOrEqual(1000);

		// The next fire is on the cadence, on time, and nothing was fired for the missed periods.
		await recorder.waitForFires(4, 3000);
		await engine.stop();
		const onCadence = payloadOf(recorder.fires[3]);
		expect(onCadence).toMatchObject({
			timerId: repeat.id,
			scheduledAt: new Date(next).toISOString(),
			late: false,
			fireCount: 2,
		});
		const counts = firesPerTimer(await firedEvents(after));
		expect(Object.fromEntries(counts)).toEqual({ [a.id]: 1, [b.id]: 1, [repeat.id]: 2 });
		await after.close();
	}, 15_000);
});

describe('TimerEngine in 3 processes on one SQLite file', () => {
	const PROCESSES = 3;
	const TIMERS = 300;

	it('fires each of 300 timers due within one second exactly once in total', async () => {
		const path = freshPath();
		// Created (and migrated) before the engines start, so they all wait on timers.
		const seed = new SqliteStore(path);
		const racers = Array.from({ length: PROCESSES }, () => new EngineProcess(path, 'race', 50, 10));
		try {
			await Promise.all(
				racers.map(async (racer) => expect(await racer.nextLine(30_000)).toBe('ready')),
			);

			const dueFrom = Date.now() + 300;
			const ids: string[] = [];
			for (let i = 0; i < TIMERS; i++) {
				const timer = await seed.putTimer(
					timerInput({
						personaId: `p${i % 30}`,
						timerName: `t${i}`,
						nextFireAt: dueFrom + Math.floor((i * 1000) / TIMERS),
					}),
				);
				ids.push(timer.id);
			}
			await waitFor(
				'every timer to fire',
				async () => (await seed.listTimers({ state: 'scheduled', limit: 1 })).length === 0,
				15_000,
			);
			// Room for a second fire of any timer to show up, were there one.
			await sleep(300);

			const reports = await Promise.all(racers.map((racer) => racer.finish()));
			expect(reports.flatMap((report) => report.errors)).toEqual([]);
			const firedByProcesses = reports.flatMap((report) => report.fired);
			expect(firedByProcesses).toHaveLength(TIMERS);
			expect(new Set(firedByProcesses)).toEqual(new Set(ids));
			// The processes really raced: the fires were shared between them.
			expect(reports.filter((report) => report.fired.length > 0).length).toBeGreaterThan(1);

			const counts = firesPerTimer(await firedEvents(seed));
			expect(counts.size).toBe(TIMERS);
			expect([...counts.values()].every((count) => count === 1)).toBe(true);
			const timers = await seed.listTimers({ limit: 1000 });
			expect(timers.every((t) => t.state === 'done' && t.fireCount === 1)).toBe(true);
		} finally {
			for (const racer of racers) racer.child.stdin.end();
			await Promise.all(racers.map((racer) => racer.exited));
			await seed.close();
		}
	}, 60_000);

	it('a running engine does not keep its process alive', async () => {
		const idle = new EngineProcess(freshPath(), 'idle', 60_000, 100);
		expect(await idle.nextLine(30_000)).toBe('ready');
		let deadline: NodeJS.Timeout | undefined;
		const exit = await Promise.race([
			idle.exited,
			new Promise((resolve) => {
				deadline = setTimeout(resolve, 5000, 'still running');
			}),
		]);
		clearTimeout(deadline);
		if (exit === 'still running') idle.child.kill();
		expect(exit).toBe(0);
	}, 40_000);
});
