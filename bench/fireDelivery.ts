/**
 * Fire delivery into a real n8n (also runnable alone, after `npm run build`:
 * node -r ./test/support/ts-register.js bench/fireDelivery.ts): how many
 * timer fires per second become finished executions with Max Runs at Once
 * bounding each trigger's unfinished runs, against the same code with the
 * bound off (1,000,000), measured in the same n8n in the same run.
 *
 * One workflow per bound, all active in one n8n: Timer Trigger on its own
 * connector → Send Command (sandbox), whose act marks a finished run. Each
 * contender in turn gets FIRES one-shot timers due at one instant, written
 * into the store file from this process as another n8n process would. The
 * figures: fires per second from the due instant to the last act, the peak
 * RSS growth of the n8n process over the burst, and each run's lateness
 * (its act's createdAt against the due instant). Nothing passes or fails.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import { SqliteStore } from '../nodes/shared/store';
import type { PutTimerInput } from '../nodes/shared/store/types';
import { DEFAULT_MAX_RUNS_AT_ONCE } from '../nodes/shared/triggers/outboxTrigger';
import { N8nInstance, type WorkflowJson } from '../test/support/n8n';
import { median } from './contenders';

const FIRES = 2_000;
const ROUNDS = 2;
/** The baseline: a bound no burst here reaches, i.e. today's unbound delivery. */
const UNBOUND = 1_000_000;
const BOUNDS = [UNBOUND, 10, 100, 1000];
/** Time to write the timers before they fall due; n8n's engine sees them within 250 ms. */
const LEAD_MS = 10_000;
const SAMPLE_MS = 250;
/** A contender whose runs have not all finished by then is reported as incomplete. */
const CONTENDER_TIMEOUT_MS = 180_000;
/** Between contenders: the other triggers pass over the last burst's fires, n8n saves the last runs. */
const SETTLE_MS = 3_000;
const MIB = 1024 * 1024;

const firesConnector = (bound: number): string => `bench_delivery_${bound}`;
const runsConnector = (bound: number): string => `bench_delivery_runs_${bound}`;

/**
 * Timer Trigger on `firesConnector` → Send Command (sandbox) recording each
 * run as an act on `runsConnector`: the workflow every fire bench counts runs with.
 */
export function timerRunsWorkflow(
	id: string,
	name: string,
	firesConnector: string,
	runsConnector: string,
	triggerOptions: Record<string, unknown> = {},
): WorkflowJson {
	return {
		id,
		name,
		nodes: [
			{
				id: 'b1000000-0000-4000-8000-000000000001',
				name: 'Timer Trigger',
				type: 'n8n-nodes-agent-connectors.timerTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					connectorIdn: firesConnector,
					timerName: '',
					timerNameMatch: 'exact',
					eventIdn: '',
					options: triggerOptions,
				},
			},
			{
				id: 'b1000000-0000-4000-8000-000000000002',
				name: 'Record Run',
				type: 'n8n-nodes-agent-connectors.sendCommand',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					integrationIdn: 'sandbox',
					commandIdn: 'fire_delivered',
					connectorIdn: runsConnector,
					argumentsMode: 'keyValue',
					// The timer's name alone: enough to see each fire ran once, and the run stays cheap.
					arguments: { argument: [{ name: 'timerName', value: '={{ $json.timerName }}' }] },
				},
			},
		],
		connections: {
			'Timer Trigger': { main: [[{ node: 'Record Run', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const deliveryWorkflow = (id: string, bound: number): WorkflowJson =>
	timerRunsWorkflow(
		id,
		`Bench: fire delivery, Max Runs at Once ${bound}`,
		firesConnector(bound),
		runsConnector(bound),
		{ maxRunsAtOnce: bound },
	);

function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
	if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
	return Number(kib) * 1024;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Burst {
	/** Runs finished (acts completed) by the end. */
	finished: number;
	/** Fires that ran more than once; must stay 0. */
	repeated: number;
	/** From the due instant to the last run's act settling. */
	ms: number;
	rssGrowth: number;
	lateP50: number;
	lateP99: number;
}

/**
 * One contender's burst: FIRES timers due at one instant on its connector,
 * then RSS samples until every run has recorded its act (or the timeout).
 */
async function burst(
	n8n: N8nInstance,
	pid: number,
	store: SqliteStore,
	bound: number,
	round: number,
): Promise<Burst> {
	const rssBefore = rssBytes(pid);
	let rssPeak = rssBefore;
	const due = Date.now() + LEAD_MS;
	const timers: PutTimerInput[] = Array.from({ length: FIRES }, (_, index) => ({
		personaId: `bench-persona-${index % 100}`,
		timerName: `delivery-${round}-${bound}-${index}`,
		integrationIdn: 'program_timer',
		connectorIdn: firesConnector(bound),
		eventIdn: 'timer_fired',
		nextFireAt: due,
		intervalSeconds: null,
		repeatable: false,
		enabled: true,
	}));
	await store.putTimers(timers);
	if (Date.now() >= due)
		throw new Error(`Writing ${FIRES} timers outlasted the ${LEAD_MS} ms head start`);

	const sampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, rssBytes(pid));
	}, SAMPLE_MS);
	const prefix = `delivery-${round}-${bound}-`;
	const runs = async () =>
		(
			await store.listActs({
				connectorIdn: runsConnector(bound),
				status: 'completed',
				// Earlier rounds' acts share the connector; twice the burst also shows repeats.
				limit: FIRES * 2,
			})
		).filter((act) => String(act.arguments.timerName).startsWith(prefix));
	try {
		const deadline = due + CONTENDER_TIMEOUT_MS;
		let acts = await runs();
		while (acts.length < FIRES && Date.now() < deadline) {
			await sleep(SAMPLE_MS);
			acts = await runs();
		}
		if (n8n.pid !== pid) throw new Error(`n8n exited during the burst:\n${n8n.log}`);
		const names = new Set(acts.map((act) => String(act.arguments.timerName)));
		const lateness = acts.map((act) => act.createdAt - due);
		return {
			finished: names.size,
			repeated: acts.length - names.size,
			ms: Math.max(...acts.map((act) => act.updatedAt)) - due,
			rssGrowth: rssPeak - rssBefore,
			lateP50: percentile(lateness, 50),
			lateP99: percentile(lateness, 99),
		};
	} finally {
		clearInterval(sampler);
	}
}

const label = (bound: number): string =>
	bound === UNBOUND
		? `baseline: unbound (${UNBOUND.toLocaleString('en')})`
		: `Max Runs at Once ${bound}${bound === DEFAULT_MAX_RUNS_AT_ONCE ? ' (default)' : ''}`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function contenderLine(bound: number, bursts: Burst[], baseline: Burst[]): string {
	const rate = (all: Burst[]) => median(all.map((one) => (one.finished / one.ms) * 1000));
	const rss = (all: Burst[]) => median(all.map((one) => one.rssGrowth)) / MIB;
	const ms = median(bursts.map((one) => one.ms));
	const ratios =
		bound === UNBOUND
			? ''
			: `   ratio ${(rate(bursts) / rate(baseline)).toFixed(2)}x fires/s, ${(rss(bursts) / rss(baseline)).toFixed(2)}x RSS`;
	const incomplete = bursts
		.filter((one) => one.finished < FIRES)
		.map((one) => `   INCOMPLETE: ${one.finished} of ${FIRES} runs`)
		.join('');
	const repeated = bursts.some((one) => one.repeated > 0)
		? `   REPEATED RUNS: ${bursts.map((one) => one.repeated).join(' ')}`
		: '';
	const rounds = bursts.map((one) => ((one.finished / one.ms) * 1000).toFixed(0)).join(' ');
	return `  ${label(bound).padEnd(34)} ${seconds(ms).padStart(7)}   ${rate(bursts).toFixed(0).padStart(5)} fires/s   RSS +${rss(bursts).toFixed(0).padStart(4)} MiB   late p50 ${seconds(median(bursts.map((one) => one.lateP50))).padStart(6)}  p99 ${seconds(median(bursts.map((one) => one.lateP99))).padStart(6)}${ratios}${incomplete}${repeated}   (rounds: ${rounds} fires/s)`;
}

export async function benchFireDelivery(): Promise<void> {
	const started = Date.now();
	const loadBefore = loadavg();
	const n8n = await N8nInstance.create({ nodes: 'install', env: { N8N_LOG_LEVEL: 'warn' } });
	let store: SqliteStore | undefined;
	try {
		for (const [index, bound] of BOUNDS.entries()) {
			const id = await n8n.importWorkflow(
				deliveryWorkflow(`benchDelivery${String(index).padStart(3, '0')}`, bound),
			);
			await n8n.activate(id);
		}
		await n8n.start();
		const pid = n8n.pid;
		if (pid === undefined) throw new Error('n8n started without a process id');
		store = new SqliteStore(n8n.storePath);
		const bursts = new Map<number, Burst[]>(BOUNDS.map((bound) => [bound, []]));
		// Rotate who goes first by a share of the list each round, so no bound always meets a heap another has grown.
		const step = Math.ceil(BOUNDS.length / ROUNDS);
		for (let round = 0; round < ROUNDS; round++) {
			for (const bound of BOUNDS.map((_, i) => BOUNDS[(i + round * step) % BOUNDS.length])) {
				await sleep(SETTLE_MS);
				bursts.get(bound)?.push(await burst(n8n, pid, store, bound, round));
			}
		}
		const loadAfter = loadavg();
		const baseline = bursts.get(UNBOUND) ?? [];
		const lines = [
			`Fire delivery into n8n (${FIRES.toLocaleString('en')} one-shot timers due at one instant → Timer Trigger → Send Command sandbox; median of ${ROUNDS} rounds; due instant → last run finished; load ${loadBefore.map((load) => load.toFixed(2)).join(' ')} → ${loadAfter.map((load) => load.toFixed(2)).join(' ')}; ${seconds(Date.now() - started)} in all)`,
			...BOUNDS.map((bound) => contenderLine(bound, bursts.get(bound) ?? [], baseline)),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await store?.close();
		await n8n.dispose();
	}
}

if (require.main === module) void benchFireDelivery();
