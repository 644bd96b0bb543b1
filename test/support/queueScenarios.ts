/**
 * What the queue-mode scenarios share: posting to the cluster's webhooks,
 * setting timers through a worker, and reading what became of every fire —
 * in the store (timers, outbox events, the runs the observer workflow
 * recorded) and in n8n's own execution_entity, where the deduplication key
 * proves one execution per fire.
 */
import { randomUUID } from 'node:crypto';

import type { SessionStore, StoredEvent, Timer } from '../../nodes/shared/store/types';
import type { QueueCluster } from './n8n/queueCluster';
import { readUntil, recordedArguments } from './workflows';

/** The Timer Trigger the observer workflow (queue-timer-observer.json) starts with. */
export const OBSERVER = {
	workflowId: 'e2eQueueTmrObs01',
	nodeId: '7d2e3f40-0002-4000-8000-000000000001',
	connectorIdn: 'queue_timers',
	runsConnectorIdn: 'queue_timer_runs',
};
/** n8n's deduplication key of a fire of the observer: the trigger (its outbox consumer) and the event. */
export const observerKey = (eventId: string): string =>
	`timer-trigger:${OBSERVER.workflowId}:${OBSERVER.nodeId}:${eventId}`;

export async function postJson<T>(url: string, body: unknown): Promise<T> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
	return JSON.parse(text) as T;
}

export interface SetTimersSummary {
	executionId: string;
	set: number;
	states: string[];
	timerNames: string[];
}

/** One-shot timers of the observer's connector, all due at `fireAt`, named `<prefix>_<n>`. */
export function timerBatch(
	prefix: string,
	personaId: string,
	count: number,
	fireAt: Date,
	first = 0,
): Array<Record<string, string>> {
	return Array.from({ length: count }, (_, index) => ({
		connectorIdn: OBSERVER.connectorIdn,
		personaId,
		timerName: `${prefix}_${String(first + index).padStart(4, '0')}`,
		fireAt: fireAt.toISOString(),
	}));
}

/** Sets timers with one execution of queue-set-timers.json, which a worker runs; its summary. */
export async function setTimers(
	cluster: QueueCluster,
	timers: Array<Record<string, string>>,
): Promise<SetTimersSummary> {
	return await postJson<SetTimersSummary>(cluster.webhookUrl('queue-set-timers'), { timers });
}

/** What the observer recorded of one fire: the trigger's item and the execution that ran it. */
export interface RecordedFire {
	timerName: string;
	personaId: string;
	eventId: string;
	executionId: string;
	fireCount: number;
}

/** The fires of timers named `<prefix>_…` the observer workflow recorded, oldest first. */
export async function recordedFires(store: SessionStore, prefix: string): Promise<RecordedFire[]> {
	const all = (await recordedArguments(
		store,
		OBSERVER.runsConnectorIdn,
		100_000,
	)) as unknown as RecordedFire[];
	return all.filter((fire) => fire.timerName.startsWith(`${prefix}_`));
}

export async function waitForFires(
	store: SessionStore,
	prefix: string,
	count: number,
	timeoutMs: number,
): Promise<RecordedFire[]> {
	return await readUntil(() => recordedFires(store, prefix), count, timeoutMs);
}

/** The persona's timers (all of them), as the store keeps them. */
export async function timersOf(store: SessionStore, personaId: string): Promise<Timer[]> {
	return await store.listTimers({ personaId, limit: 100_000 });
}

/**
 * Every timer_fired event in the outbox for timers named `<prefix>_…`: read
 * as a consumer of its own that starts at the oldest stored event, so it
 * sees what the triggers took as well.
 */
export async function firedEvents(store: SessionStore, prefix: string): Promise<StoredEvent[]> {
	const reader = `queue-e2e-reader:${randomUUID()}`;
	await store.registerConsumer(reader, 0);
	const events: StoredEvent[] = [];
	for (let after = 0; ;) {
		const page = await store.readEvents(reader, { types: ['timer_fired'], after, limit: 1000 });
		if (page.length === 0) break;
		events.push(...page);
		after = page[page.length - 1].seq;
	}
	return events.filter((event) => String(event.payload.timerName).startsWith(`${prefix}_`));
}

/** An execution n8n keeps in execution_entity. */
export interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	deduplicationKey: string | null;
	workflowId: string;
}

/** n8n's executions of the observer whose deduplication keys name these events. */
export async function executionsOfEvents(
	cluster: QueueCluster,
	eventIds: string[],
): Promise<ExecutionRow[]> {
	return await cluster.query<ExecutionRow>(
		`SELECT id::text AS id, status, mode, "deduplicationKey", "workflowId" FROM execution_entity WHERE "deduplicationKey" = ANY($1) ORDER BY id`,
		[eventIds.map(observerKey)],
	);
}

/** n8n's executions of one workflow. */
export async function executionsOfWorkflow(
	cluster: QueueCluster,
	workflowId: string,
): Promise<ExecutionRow[]> {
	return await cluster.query<ExecutionRow>(
		`SELECT id::text AS id, status, mode, "deduplicationKey", "workflowId" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`,
		[workflowId],
	);
}

/** How many of these executions each process took from the queue. */
export function countByWorker(
	cluster: QueueCluster,
	executionIds: string[],
): Record<string, number> {
	const ranBy = cluster.executionsByWorker();
	const counts: Record<string, number> = {};
	for (const id of executionIds) {
		const worker = ranBy.get(id) ?? 'no worker';
		counts[worker] = (counts[worker] ?? 0) + 1;
	}
	return counts;
}

/** Waits until `condition` holds, looking every 250 ms; false when it did not within `timeoutMs`. */
export async function eventually(
	condition: () => Promise<boolean> | boolean,
	timeoutMs: number,
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await condition()) return true;
		if (Date.now() > deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
