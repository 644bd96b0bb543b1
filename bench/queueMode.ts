/**
 * Queue mode against one instance (also runnable alone, after `npm run build`:
 * node -r ./test/support/ts-register.js bench/queueMode.ts). The same two
 * workloads, in the same run, on three deployments of n8n 2.40.7:
 *
 *   - one n8n on SQLite, as `npm start` and most small installs run it
 *     (the baseline);
 *   - one n8n on PostgreSQL (n8n's database and the session store);
 *   - queue mode: a main, two workers (`--concurrency=10`, n8n's default)
 *     and a webhook processor, each with its own user folder, PostgreSQL
 *     and Redis (the harness of the queue-mode e2e tests).
 *
 * 1. Fires: FIRES one-shot timers due at one instant, written into the store
 *    as another process would → an active Timer Trigger (on the main) →
 *    Send Command (sandbox) (on a worker in queue mode): fires turned into
 *    finished runs per second, from the due instant to the last run's act.
 * 2. SMS: CALLS webhook calls at once, each with MESSAGES_PER_CALL messages
 *    for Send SMS/MMS (50 at once, its default) against the Twilio test
 *    server answering after 50 ms: messages per second from the first call
 *    to the last answer (each call answers when its run has finished).
 *
 * All of it on one 2-core machine: queue mode's processes share the cores
 * the single instance has to itself, so the ratios show what queue mode
 * costs here, not what it gains across hosts. Nothing passes or fails.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';

import { SqliteStore } from '../nodes/shared/store';
import { PostgresStore } from '../nodes/shared/store/postgres';
import type { PutTimerInput, SessionStore } from '../nodes/shared/store/types';
import {
	N8nInstance,
	SHARED_NODES_DIR,
	installPackageInto,
	type WorkflowJson,
} from '../test/support/n8n';
import { QueueCluster, type CredentialImport } from '../test/support/n8n/queueCluster';
import { createTestDatabase, n8nDatabaseEnv, type TestDatabase } from '../test/support/postgres';
import { TwilioServer } from '../test/support/twilioServer';
import { median } from './contenders';
import { timerRunsWorkflow } from './fireDelivery';
import { ACCOUNT_SID, AUTH_TOKEN, FROM, LATENCY_MS } from './sms';

const FIRES = 2_000;
const CALLS = 4;
const MESSAGES_PER_CALL = 500;
const ROUNDS = 2;
/** Time to write the timers before they fall due. */
const LEAD_MS = 8_000;
const TIMEOUT_MS = 300_000;
const CREDENTIAL_ID = 'benchQueueTwilio';
const SMS_PATH = 'bench-queue-sms';
const FIRES_CONNECTOR = 'bench_queue_fires';
const RUNS_CONNECTOR = 'bench_queue_runs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function workflows(): WorkflowJson[] {
	return [
		timerRunsWorkflow('benchQueueFires1', 'Bench: timer fires', FIRES_CONNECTOR, RUNS_CONNECTOR),
		{
			id: 'benchQueueSms001',
			name: 'Bench: SMS campaign by webhook',
			nodes: [
				{
					id: 'c2000000-0000-4000-8000-000000000001',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'c2000000-0000-4000-8000-0000000000ff',
					parameters: {
						httpMethod: 'POST',
						path: SMS_PATH,
						responseMode: 'lastNode',
						responseData: 'noData',
						options: {},
					},
				},
				{
					id: 'c2000000-0000-4000-8000-000000000002',
					name: 'Split',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [200, 0],
					parameters: { fieldToSplitOut: 'body.messages', options: {} },
				},
				{
					id: 'c2000000-0000-4000-8000-000000000003',
					name: 'Send SMS/MMS',
					type: 'n8n-nodes-agent-connectors.sendSms',
					typeVersion: 1,
					position: [400, 0],
					parameters: {
						operation: 'send_message',
						connectorIdn: 'bench',
						phoneNumber: '={{ $json.to }}',
						from: FROM,
						text: '={{ $json.text }}',
						options: {},
					},
					credentials: { agentTwilioApi: { id: CREDENTIAL_ID, name: 'Twilio (bench)' } },
				},
			],
			connections: {
				Webhook: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
				Split: { main: [[{ node: 'Send SMS/MMS', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		},
	];
}

function credential(twilio: TwilioServer): CredentialImport {
	return {
		id: CREDENTIAL_ID,
		name: 'Twilio (bench)',
		type: 'agentTwilioApi',
		data: {
			accountSid: ACCOUNT_SID,
			authType: 'authToken',
			authToken: AUTH_TOKEN,
			baseUrl: twilio.baseUrl,
		},
	};
}

/** One deployment under test: where its webhooks are, and its store as another process would open it. */
interface Deployment {
	name: string;
	webhookUrl: string;
	store: SessionStore;
	dispose(): Promise<void>;
}

async function singleInstance(
	name: string,
	twilio: TwilioServer,
	database?: TestDatabase,
): Promise<Deployment> {
	const n8n = await N8nInstance.create({
		env: { N8N_LOG_LEVEL: 'warn', ...(database ? n8nDatabaseEnv(database.url) : {}) },
	});
	const dispose = async (store?: SessionStore) => {
		await store?.close();
		await n8n.dispose();
		await database?.drop();
	};
	let deployment: Deployment | undefined;
	let store: SessionStore | undefined;
	try {
		await n8n.importCredentials([credential(twilio)]);
		for (const id of await n8n.importWorkflows(workflows())) await n8n.activate(id);
		await n8n.start();
		store = database
			? await PostgresStore.open({
					connection: { connectionString: database.url },
					schema: 'agent_connectors',
				})
			: new SqliteStore(n8n.storePath);
		const opened = store;
		deployment = {
			name,
			webhookUrl: `${n8n.baseUrl}/webhook/${SMS_PATH}`,
			store: opened,
			dispose: async () => await dispose(opened),
		};
		return deployment;
	} finally {
		// Whatever failed, nothing of a half-started instance stays behind.
		if (deployment === undefined) await dispose(store);
	}
}

async function queueMode(twilio: TwilioServer): Promise<Deployment> {
	const cluster = await QueueCluster.start({
		credentials: [credential(twilio)],
		workflows: workflows(),
		concurrency: 10,
		env: { N8N_LOG_LEVEL: 'warn' },
	});
	let store: PostgresStore | undefined;
	try {
		store = await PostgresStore.open({
			connection: { connectionString: cluster.database.url },
			schema: 'agent_connectors',
		});
	} finally {
		if (store === undefined) await cluster.dispose();
	}
	const opened = store;
	return {
		name: 'queue mode: main + 2 workers + webhook, PostgreSQL',
		webhookUrl: cluster.webhookUrl(SMS_PATH),
		store: opened,
		async dispose() {
			await opened.close();
			await cluster.dispose();
		},
	};
}

/** FIRES timers due at one instant; fires per second from the due instant to the last finished run. */
async function fireBurst(
	deployment: Deployment,
	round: number,
): Promise<{ rate: number; incomplete?: string }> {
	const prefix = `queue-bench-${round}-${randomBytes(3).toString('hex')}-`;
	const due = Date.now() + LEAD_MS;
	const timers: PutTimerInput[] = Array.from({ length: FIRES }, (_, index) => ({
		personaId: `bench-persona-${index % 100}`,
		timerName: `${prefix}${index}`,
		integrationIdn: 'program_timer',
		connectorIdn: FIRES_CONNECTOR,
		eventIdn: 'timer_fired',
		nextFireAt: due,
		intervalSeconds: null,
		repeatable: false,
		enabled: true,
	}));
	await deployment.store.putTimers(timers);
	if (Date.now() >= due)
		throw new Error(`Writing ${FIRES} timers outlasted the ${LEAD_MS} ms head start`);
	const runs = async () =>
		(
			await deployment.store.listActs({
				connectorIdn: RUNS_CONNECTOR,
				limit: FIRES * (ROUNDS + 1),
			})
		).filter((act) => String(act.arguments.timerName).startsWith(prefix));
	const deadline = due + TIMEOUT_MS;
	let acts = await runs();
	const completed = () => acts.filter((act) => act.status === 'completed');
	while (completed().length < FIRES && Date.now() < deadline) {
		await sleep(250);
		acts = await runs();
	}
	const names = new Set(completed().map((act) => String(act.arguments.timerName)));
	const lastMs = Math.max(...completed().map((act) => act.updatedAt)) - due;
	if (names.size === FIRES && completed().length === FIRES)
		return { rate: (FIRES / lastMs) * 1000 };
	// What became of the rest, for the report: the runs' acts by status, the timers by state.
	const byStatus = new Map<string, number>();
	for (const act of acts) byStatus.set(act.status, (byStatus.get(act.status) ?? 0) + 1);
	const timersLeft = await deployment.store.listTimers({
		connectorIdn: FIRES_CONNECTOR,
		limit: FIRES * (ROUNDS + 1),
	});
	const byState = new Map<string, number>();
	for (const timer of timersLeft.filter((one) => one.timerName.startsWith(prefix)))
		byState.set(timer.state, (byState.get(timer.state) ?? 0) + 1);
	const tally = (counts: Map<string, number>) =>
		[...counts].map(([key, count]) => `${key} ${count}`).join(', ');
	return {
		rate: (names.size / lastMs) * 1000,
		incomplete: `${names.size} of ${FIRES} fires ran within ${TIMEOUT_MS / 1000} s (${completed().length - names.size} twice; acts: ${tally(byStatus)}; timers: ${tally(byState)})`,
	};
}

/** CALLS webhook calls at once, MESSAGES_PER_CALL messages each; messages per second. */
async function smsCampaign(
	deployment: Deployment,
	twilio: TwilioServer,
	round: number,
): Promise<number> {
	twilio.clearRecords();
	twilio.messages.clear();
	const started = Date.now();
	await Promise.all(
		Array.from({ length: CALLS }, async (_, call) => {
			const messages = Array.from({ length: MESSAGES_PER_CALL }, (_, index) => ({
				to: `+1650${String(7_000_000 + call * MESSAGES_PER_CALL + index)}`,
				text: `Round ${round}, message ${call}-${index}`,
			}));
			const response = await fetch(deployment.webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ messages }),
				signal: AbortSignal.timeout(TIMEOUT_MS),
			});
			if (!response.ok)
				throw new Error(
					`${deployment.name}: the webhook answered ${response.status}: ${await response.text()}`,
				);
		}),
	);
	const ms = Date.now() - started;
	twilio.assertNoViolations();
	const accepted = twilio
		.requestsTo('POST', '/Messages.json')
		.filter((request) => request.status === 201).length;
	if (accepted !== CALLS * MESSAGES_PER_CALL)
		throw new Error(
			`${deployment.name}: the server accepted ${accepted} of ${CALLS * MESSAGES_PER_CALL} messages`,
		);
	return ((CALLS * MESSAGES_PER_CALL) / ms) * 1000;
}

interface Figures {
	name: string;
	firesPerSecond: number[];
	/** What went wrong with a burst that did not finish in time. */
	incomplete: string[];
	messagesPerSecond: number[];
}

/** One deployment at a time: only it runs while it is measured. */
async function measure(start: () => Promise<Deployment>, twilio: TwilioServer): Promise<Figures> {
	const deployment = await start();
	try {
		const figures: Figures = {
			name: deployment.name,
			firesPerSecond: [],
			incomplete: [],
			messagesPerSecond: [],
		};
		for (let round = 0; round < ROUNDS; round++) {
			const fires = await fireBurst(deployment, round);
			figures.firesPerSecond.push(fires.rate);
			if (fires.incomplete) figures.incomplete.push(`round ${round + 1}: ${fires.incomplete}`);
			figures.messagesPerSecond.push(await smsCampaign(deployment, twilio, round));
		}
		return figures;
	} finally {
		await deployment.dispose();
	}
}

function line(figures: Figures, baseline: Figures): string {
	const fires = median(figures.firesPerSecond);
	const messages = median(figures.messagesPerSecond);
	const ratio = (value: number, base: number) =>
		figures === baseline ? 'baseline' : `ratio ${(value / base).toFixed(2)}x`;
	const rounds = (values: number[]) => values.map((value) => value.toFixed(0)).join(' ');
	return (
		`  ${figures.name.padEnd(50)} ${fires.toFixed(0).padStart(5)} fires/s (${ratio(fires, median(baseline.firesPerSecond))}; rounds ${rounds(figures.firesPerSecond)})` +
		`   ${messages.toFixed(0).padStart(5)} msgs/s (${ratio(messages, median(baseline.messagesPerSecond))}; rounds ${rounds(figures.messagesPerSecond)})` +
		figures.incomplete.map((what) => `\n    INCOMPLETE ${what}`).join('')
	);
}

export async function benchQueueMode(options: { installPackage?: boolean } = {}): Promise<void> {
	const started = Date.now();
	const loadBefore = loadavg();
	// The cluster's processes copy the package from the shared nodes folder, which the e2e setup fills.
	if (options.installPackage ?? true) await installPackageInto(SHARED_NODES_DIR);
	const twilio = await TwilioServer.start({
		accountSid: ACCOUNT_SID,
		authToken: AUTH_TOKEN,
		latencyMs: LATENCY_MS,
	});
	try {
		const all = [
			await measure(() => singleInstance('one instance, SQLite (baseline)', twilio), twilio),
			await measure(
				async () =>
					singleInstance(
						'one instance, PostgreSQL',
						twilio,
						await createTestDatabase('n8n_bench_single'),
					),
				twilio,
			),
			await measure(() => queueMode(twilio), twilio),
		];
		const loadAfter = loadavg();
		const lines = [
			`Queue mode against one instance (fires: ${FIRES.toLocaleString('en')} timers due at one instant → Timer Trigger → Send Command sandbox, due instant → last run finished; SMS: ${CALLS} webhook calls at once × ${MESSAGES_PER_CALL} messages, Send SMS/MMS 50 at once, server answering after ${LATENCY_MS} ms; median of ${ROUNDS} rounds; one 2-core machine; load ${loadBefore.map((load) => load.toFixed(2)).join(' ')} → ${loadAfter.map((load) => load.toFixed(2)).join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
			...all.map((figures) => line(figures, all[0])),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await twilio.close();
	}
}

if (require.main === module) void benchQueueMode();
