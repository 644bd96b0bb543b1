import type { INode, ITriggerFunctions, ITriggerResponse, Workflow } from 'n8n-workflow';

import { TimerTrigger } from '../../nodes/TimerTrigger/TimerTrigger.node';
import { closeStore, getStore, type SessionStore } from '../../nodes/shared/store';
import { matchesFilter } from '../../nodes/shared/triggers/match';

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
	parameters: Record<string, string>,
	emitted: unknown[],
): ITriggerFunctions {
	return {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getMode: () => mode,
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-1' }) as unknown as Workflow,
		emit: (data: Array<Array<{ json: unknown }>>) => emitted.push(data[0][0].json),
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
});

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
