/**
 * `npm run bench`: figures for what users feel, each with a baseline
 * measured in the same run (the machine is shared and noisy, so only the
 * ratios mean much).
 *
 * 1. Node load time: n8n requires every node file at start. Fresh Node
 *    processes require all the package's built node and credential files
 *    once n8n-workflow is loaded (n8n has it loaded already); the baseline
 *    is loading n8n-workflow itself.
 * 2. Act recording: createActs + updateActs of one act per command into the SQLite store
 *    (the default) against the memory store as baseline.
 * 3. Timers (bench/timers.ts): scheduling, firing lateness and reload.
 * 4. HTTP requests (bench/httpRequests.ts): Send HTTP Request against n8n's
 *    built-in HTTP Request node, 2,000 items each, in a real n8n.
 * 5. SMS (bench/sms.ts): Send SMS/MMS against the built-in HTTP Request node
 *    posting the same Twilio requests (with its Basic Auth credential, the
 *    baseline, and without a credential), and against sequential sending,
 *    next to the wire's limit; then at 0 ms latency, the per-item cost.
 * 6. Store operations (bench/storeOps.ts): p50 / p99 per operation on SQLite
 *    and PostgreSQL against the memory store.
 * 7. Queue mode (bench/queueMode.ts): timer fires turned into finished runs
 *    per second and Send SMS/MMS messages per second, one n8n on SQLite
 *    (baseline) against one on PostgreSQL and against queue mode.
 * 8. Fire delivery (bench/fireDelivery.ts): timer fires turned into finished
 *    executions per second with Max Runs at Once against the bound off.
 * 9. The soak (bench/burstSoak.ts): 20,000 timers due at one instant, the
 *    e2e burst test at full size (about 16 minutes: n8n runs ~22 a second).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryStore, SqliteStore } from '../nodes/shared/store';
import type { SessionStore } from '../nodes/shared/store/types';
import { benchBurstSoak } from './burstSoak';
import { benchFireDelivery } from './fireDelivery';
import { benchHttpRequests } from './httpRequests';
import { benchQueueMode } from './queueMode';
import { benchSms } from './sms';
import { benchStoreOps } from './storeOps';
import { benchTimers } from './timers';

const ROOT = join(__dirname, '..');
const LOAD_RUNS = 15;
const ACTS = 5_000;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Milliseconds a fresh Node process spends requiring `modulePath`, measured
 * inside it, after `preload` (already paid for by n8n) is loaded.
 */
function loadTime(modulePaths: string[], preload?: string): number {
	const before = preload ? `require(${JSON.stringify(preload)});` : '';
	const requires = modulePaths
		.map((modulePath) => `require(${JSON.stringify(modulePath)});`)
		.join('');
	const script = `${before}const t=process.hrtime.bigint();${requires}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
	return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT }).toString());
}

async function recordActs(store: SessionStore): Promise<number> {
	const started = process.hrtime.bigint();
	for (let index = 0; index < ACTS; index++) {
		const [act] = await store.createActs([
			{
				integrationIdn: 'sandbox',
				connectorIdn: 'bench',
				commandIdn: 'send_message',
				arguments: { phoneNumber: '+16507000000', text: `message ${index}` },
				personaId: `persona-${index % 100}`,
				status: 'pending',
			},
		]);
		await store.updateActs([
			{ id: act.id, patch: { status: 'completed', result: { sandbox: true } } },
		]);
	}
	return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
	// What n8n requires at start: every node and credential file the package lists.
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const packageFiles = [...manifest.n8n.nodes, ...manifest.n8n.credentials].map((file) =>
		join(ROOT, file),
	);
	const baselineLoads: number[] = [];
	const nodeLoads: number[] = [];
	for (let run = 0; run < LOAD_RUNS; run++) {
		baselineLoads.push(loadTime(['n8n-workflow']));
		nodeLoads.push(loadTime(packageFiles, 'n8n-workflow'));
	}
	const baselineLoad = median(baselineLoads);
	const nodeLoad = median(nodeLoads);

	const folder = mkdtempSync(join(tmpdir(), 'agent-connectors-bench-'));
	const memory = new MemoryStore();
	const sqlite = new SqliteStore(join(folder, 'bench.sqlite'));
	try {
		const memoryMs = await recordActs(memory);
		const rssBefore = process.memoryUsage().rss;
		const sqliteMs = await recordActs(sqlite);
		const rssAfter = process.memoryUsage().rss;

		const lines = [
			`Node load (median of ${LOAD_RUNS} fresh processes, Node ${process.version})`,
			`  baseline: require('n8n-workflow'), paid once by n8n   ${baselineLoad.toFixed(1)} ms`,
			`  all ${String(packageFiles.length).padStart(2)} node and credential files on top of it      ${nodeLoad.toFixed(1)} ms   ratio ${(nodeLoad / baselineLoad).toFixed(3)}`,
			`Act recording (${ACTS} commands: createActs + updateActs of one act each)`,
			`  baseline: memory store                                ${memoryMs.toFixed(0)} ms   ${((ACTS / memoryMs) * 1000).toFixed(0)} commands/s`,
			`  SQLite store (WAL, one file)                          ${sqliteMs.toFixed(0)} ms   ${((ACTS / sqliteMs) * 1000).toFixed(0)} commands/s   ratio ${(sqliteMs / memoryMs).toFixed(1)}`,
			`  RSS growth while recording into SQLite                ${((rssAfter - rssBefore) / 1024 / 1024).toFixed(1)} MiB`,
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await memory.close();
		await sqlite.close();
		rmSync(folder, { recursive: true, force: true });
	}
	await benchStoreOps();
	await benchTimers();
	await benchHttpRequests();
	await benchSms();
	await benchQueueMode();
	await benchFireDelivery();
	benchBurstSoak();
}

void main();
