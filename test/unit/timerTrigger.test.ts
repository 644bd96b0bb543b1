import type { INode, ITriggerFunctions, ITriggerResponse, Workflow } from 'n8n-workflow';

import { TimerTrigger } from '../../nodes/TimerTrigger/TimerTrigger.node';
import { closeStore, getStore, type SessionStore } from '../../nodes/shared/store';
import { matchesFilter } from '../../nodes/shared/triggers/match';
import { FakeTriggerHost } from '../support/fakeTriggerHost';

const node: INode = {
	id: 'trigger-node',
	name: 'Timer Trigger',
	type: 'timerTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The parts of n8n's trigger context the node uses; emitted items are collected. */
function triggerContext(
	mode: 'manual' | 'trigger',
	parameters: Record<string, unknown>,
	emitted: unknown[],
	host = new FakeTriggerHost(),
): ITriggerFunctions {
	return {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getMode: () => mode,
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-1' }) as unknown as Workflow,
		emit: (...args: Parameters<FakeTriggerHost['emit']>) => {
			const runsBefore = host.runs.length;
			host.emit(...args);
			if (host.runs.length > runsBefore) emitted.push(args[0][0][0].json);
		},
		logger: { error: () => undefined },
	} as unknown as ITriggerFunctions;
}

async function fire(store: SessionStore, timerName: string, connectorIdn = 'c1'): Promise<void> {
	await store.publishEvent({
		type: 'timer_fired',
		integrationIdn: 'program_timer',
		connectorIdn,
		payload: { timerName, connectorIdn, eventIdn: 'timer_fired', personaId: 'p1' },
	});
}

const until = async (condition: () => boolean) => {
	for (let attempt = 0; attempt < 50 && !condition(); attempt++)
		await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('Timer Trigger', () => {
	const saved = process.env.AGENT_CONNECTORS_STORE;
	let store: SessionStore;
	let responses: ITriggerResponse[];

	beforeEach(async () => {
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		store = await getStore();
		responses = [];
	});

	afterEach(async () => {
		for (const response of responses) await response.closeFunction?.();
		await closeStore();
		if (saved === undefined) delete process.env.AGENT_CONNECTORS_STORE;
		else process.env.AGENT_CONNECTORS_STORE = saved;
	});

	test('listening for a test event emits only fires from then on, filtered', async () => {
		await fire(store, 'followup_1');
		const emitted: unknown[] = [];
		responses.push(
			await new TimerTrigger().trigger.call(
				triggerContext(
					'manual',
					{ connectorIdn: 'c1', timerName: 'followup_*', timerNameMatch: 'pattern' },
					emitted,
				),
			),
		);
		await fire(store, 'other');
		await fire(store, 'followup_2', 'c2');
		await fire(store, 'followup_3');
		await until(() => emitted.length > 0);
		expect(emitted).toEqual([expect.objectContaining({ timerName: 'followup_3' })]);
	});

	test('an active trigger takes fires still waiting in the outbox, once', async () => {
		await fire(store, 'waited');
		const emitted: unknown[] = [];
		responses.push(await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted)));
		await until(() => emitted.length > 0);
		await responses.pop()?.closeFunction?.();
		// Reactivated (workflow saved, n8n restarted): nothing is delivered twice.
		responses.push(await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted)));
		await fire(store, 'after');
		await until(() => emitted.length > 1);
		expect(emitted).toEqual([
			expect.objectContaining({ timerName: 'waited' }),
			expect.objectContaining({ timerName: 'after' }),
		]);
	});

	test('each fire starts one run with its eventId, under a key of the trigger and the event', async () => {
		const host = new FakeTriggerHost();
		const emitted: unknown[] = [];
		responses.push(
			await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted, host)),
		);
		await fire(store, 'one');
		await until(() => emitted.length > 0);
		const [event] = await store.readEvents('check', { types: ['timer_fired'] });
		expect(host.runs).toEqual([
			{
				key: `timer-trigger:wf-1:trigger-node:${event.id}`,
				json: expect.objectContaining({ timerName: 'one', eventId: event.id }),
				done: expect.any(Object),
			},
		]);
	});

	test('a fire whose run had not finished when n8n stopped is offered again, and n8n runs it once', async () => {
		const host = new FakeTriggerHost(false);
		const emitted: unknown[] = [];
		responses.push(
			await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted, host)),
		);
		await fire(store, 'first');
		await fire(store, 'second');
		await until(() => host.running === 2);
		host.finishRun(host.runs[1]);
		host.crash();
		await responses.pop()?.closeFunction?.();

		responses.push(
			await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted, host)),
		);
		await until(() => host.duplicates.length === 2);
		// Both were taken again: the first never reported done, the second lay after it.
		expect(host.duplicates).toEqual(host.runs.map((run) => run.key));
		expect(emitted).toEqual([
			expect.objectContaining({ timerName: 'first' }),
			expect.objectContaining({ timerName: 'second' }),
		]);
		await expect(store.readEvents(consumerOf('wf-1'))).resolves.toEqual([]);
	});

	test('at most Max Runs at Once runs are unfinished; the other fires wait in the store', async () => {
		const host = new FakeTriggerHost(false);
		const emitted: unknown[] = [];
		for (let i = 0; i < 10; i++) await fire(store, `burst_${i}`);
		responses.push(
			await new TimerTrigger().trigger.call(
				triggerContext('trigger', { options: { maxRunsAtOnce: 3 } }, emitted, host),
			),
		);
		await until(() => host.running === 3);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(host.runs).toHaveLength(3);
		host.finish(2);
		await until(() => host.runs.length === 5);
		expect(host.running).toBe(3);
		host.finish();
		await until(() => host.runs.length === 8);
		host.finish();
		await until(() => host.runs.length === 10);
		host.finish();
		expect(emitted.map((item) => (item as { timerName: string }).timerName)).toEqual(
			Array.from({ length: 10 }, (_, i) => `burst_${i}`),
		);
	});

	test('a run n8n could not start is offered again under the same key', async () => {
		const host = new FakeTriggerHost(false);
		const emitted: unknown[] = [];
		responses.push(
			await new TimerTrigger().trigger.call(triggerContext('trigger', {}, emitted, host)),
		);
		await fire(store, 'flaky');
		await until(() => host.running === 1);
		const [first] = host.runs;
		host.fail(first);
		await until(() => host.runs.length === 2);
		expect(host.runs[1].key).toBe(first.key);
		host.finish();
	});

	test('Max Runs at Once that is not a whole number of at least 1 stops activation with its name', async () => {
		await expect(
			new TimerTrigger().trigger.call(
				triggerContext('trigger', { options: { maxRunsAtOnce: 0 } }, []),
			),
		).rejects.toThrow('Max Runs at Once must be a whole number of at least 1, got 0');
	});
});

function consumerOf(workflowId: string): string {
	return `timer-trigger:${workflowId}:${node.id}`;
}

describe('trigger filters', () => {
	test.each([
		['', 'anything', 'exact', true],
		['a', 'a', 'exact', true],
		['a', 'ab', 'exact', false],
		['followup_*', 'followup_2', 'pattern', true],
		['followup_?', 'followup_22', 'pattern', false],
		['a.b', 'axb', 'pattern', false],
	] as const)('%s against %s (%s) is %s', (filter, value, mode, expected) => {
		expect(matchesFilter(filter, value, mode)).toBe(expected);
	});
});
