import { MemoryStore } from '../../nodes/shared/store';
import {
	DEFAULT_RETENTION_DAYS,
	pruneOlderThan,
	retentionMs,
	startRetention,
} from '../../nodes/shared/store/retention';

const DAY = 86_400_000;

describe('retention', () => {
	test('AGENT_CONNECTORS_RETENTION_DAYS: default, days, 0 for ever, and a clear error otherwise', () => {
		expect(retentionMs({})).toBe(DEFAULT_RETENTION_DAYS * DAY);
		expect(retentionMs({ AGENT_CONNECTORS_RETENTION_DAYS: '7' })).toBe(7 * DAY);
		expect(retentionMs({ AGENT_CONNECTORS_RETENTION_DAYS: '0.5' })).toBe(DAY / 2);
		expect(retentionMs({ AGENT_CONNECTORS_RETENTION_DAYS: '0' })).toBeNull();
		expect(() => retentionMs({ AGENT_CONNECTORS_RETENTION_DAYS: 'a month' })).toThrow(
			'AGENT_CONNECTORS_RETENTION_DAYS must be a number of days (0 keeps records for ever), got "a month"',
		);
		expect(() => retentionMs({ AGENT_CONNECTORS_RETENTION_DAYS: '-1' })).toThrow(
			'AGENT_CONNECTORS_RETENTION_DAYS',
		);
	});

	test('pruneOlderThan removes everything old in steps of the batch size', async () => {
		const store = new MemoryStore();
		const now = Date.now();
		const spy = jest.spyOn(Date, 'now').mockReturnValue(now - 40 * DAY);
		const input = {
			integrationIdn: 'sandbox',
			connectorIdn: 'c',
			commandIdn: 'x',
			arguments: {},
			status: 'pending' as const,
		};
		await store.createActs(Array.from({ length: 1200 }, () => input));
		spy.mockReturnValue(now);
		await store.createActs([input]);
		const prune = jest.spyOn(store, 'pruneRecords');

		await expect(pruneOlderThan(store, now - 30 * DAY, 500, 0)).resolves.toMatchObject({
			acts: 1200,
		});
		expect(prune).toHaveBeenCalledTimes(3);
		await expect(store.listActs({ limit: 10 })).resolves.toHaveLength(1);
		spy.mockRestore();
		await store.close();
	});

	test('with retention off nothing is scheduled; with it on, the first sweep comes a minute after opening', () => {
		const store = new MemoryStore();
		const prune = jest.spyOn(store, 'pruneRecords');
		jest.useFakeTimers();
		try {
			startRetention(store, null)();
			jest.advanceTimersByTime(2 * 3_600_000);
			expect(prune).not.toHaveBeenCalled();
			const stop = startRetention(store, DAY);
			jest.advanceTimersByTime(60_000);
			expect(prune).toHaveBeenCalledTimes(1);
			stop();
		} finally {
			jest.useRealTimers();
		}
	});
});
