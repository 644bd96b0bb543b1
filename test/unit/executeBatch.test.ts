import type { IExecuteFunctions } from 'n8n-workflow';

import { executePreparedBatch, type PreparedCommand } from '../../nodes/shared/commands/execute';
import type { CommandDefinition, CommandOutcome } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import type { Act } from '../../nodes/shared/store/types';

const functions = { getNode: () => ({ name: 'Node' }) } as unknown as IExecuteFunctions;

function commandThat(
	run: (item: number, act: Act) => Promise<CommandOutcome>,
): CommandDefinition<number> {
	return {
		integrationIdn: 'test',
		commandIdn: 'work',
		displayName: 'Work',
		description: 'test command',
		validate: () => 0,
		run: async (context, _input, act) => await run(context.itemIndex, act),
	};
}

function batchOf(
	store: MemoryStore,
	count: number,
	command: CommandDefinition<number>,
): PreparedCommand[] {
	return Array.from({ length: count }, (_, itemIndex) => ({
		context: { store, timezone: 'UTC', itemIndex, functions },
		request: {
			integrationIdn: 'test',
			commandIdn: 'work',
			connectorIdn: 'c',
			arguments: { item: itemIndex },
		},
		command,
		input: itemIndex,
	}));
}

describe('executePreparedBatch', () => {
	test('runs at most `concurrency` at once and returns outcomes in item order, each act recorded', async () => {
		const store = new MemoryStore();
		let running = 0;
		let most = 0;
		const command = commandThat(async (item) => {
			running += 1;
			most = Math.max(most, running);
			await new Promise((resolve) => setTimeout(resolve, (item * 7) % 4));
			running -= 1;
			return { status: 'completed', result: { item } };
		});
		const outcomes = await executePreparedBatch(batchOf(store, 120, command), {
			concurrency: 5,
			stopAtFirstFailure: true,
		});
		expect(most).toBe(5);
		expect(
			outcomes.map((outcome) => ('act' in outcome ? outcome.act.result : outcome.error.message)),
		).toEqual(Array.from({ length: 120 }, (_, item) => ({ item })));
		const stored = await store.listActs({ limit: 1000 });
		expect(stored).toHaveLength(120);
		expect(stored.every((act) => act.status === 'completed')).toBe(true);
	});

	test('after a failure, with stopAtFirstFailure, nothing more starts and the acts not sent end as failed', async () => {
		const store = new MemoryStore();
		const started: number[] = [];
		const command = commandThat(async (item) => {
			started.push(item);
			if (item === 2) throw new Error('the service refused');
			return { status: 'completed', result: item };
		});
		const outcomes = await executePreparedBatch(batchOf(store, 6, command), {
			concurrency: 1,
			stopAtFirstFailure: true,
		});
		expect(started).toEqual([0, 1, 2]);
		expect(outcomes.map((outcome) => ('act' in outcome ? 'ok' : outcome.error.message))).toEqual([
			'ok',
			'ok',
			'the service refused',
			'Not sent: an earlier item failed',
			'Not sent: an earlier item failed',
			'Not sent: an earlier item failed',
		]);
		const statuses = (await store.listActs()).reverse().map((act) => act.status);
		expect(statuses).toEqual(['completed', 'completed', 'failed', 'failed', 'failed', 'failed']);
	});

	test('without stopAtFirstFailure every item runs; background work starts only once its act is recorded', async () => {
		const store = new MemoryStore();
		const seenByBackground: string[] = [];
		const command = commandThat(async (item) => {
			if (item === 0) throw new Error('first fails');
			return {
				status: 'sent',
				result: { item },
				continueInBackground: (act) => seenByBackground.push(act.status),
			};
		});
		const outcomes = await executePreparedBatch(batchOf(store, 3, command), {
			concurrency: 3,
			stopAtFirstFailure: false,
		});
		expect(outcomes.map((outcome) => 'act' in outcome)).toEqual([false, true, true]);
		expect(seenByBackground).toEqual(['sent', 'sent']);
	});
});
