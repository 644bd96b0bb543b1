import type { IExecuteFunctions } from 'n8n-workflow';

import { runCommand } from '../support/runCommand';
import { parseFireAt } from '../../nodes/shared/commands/dates';
import type { CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import type { JsonObject } from '../../nodes/shared/store/types';

const functions = { getNode: () => ({ name: 'Set Timer' }) } as unknown as IExecuteFunctions;

describe('fireAt', () => {
	test.each([
		['2024-02-20T22:17', '2024-02-20T22:17:00.000Z'],
		['2024-02-20T22:17:05', '2024-02-20T22:17:05.000Z'],
		['2024-02-20T22:17:05.123456', '2024-02-20T22:17:05.123Z'],
		['2024-02-20T22:17Z', '2024-02-20T22:17:00.000Z'],
		['2024-02-20T22:17+01:00', '2024-02-20T21:17:00.000Z'],
		['2024-02-20T22:17:30-0530', '2024-02-21T03:47:30.000Z'],
	])('accepts %s', (text, utc) => {
		expect(new Date(parseFireAt(text, 'UTC')).toISOString()).toBe(utc);
	});

	test("without an offset the time is read in the workflow's timezone", () => {
		expect(new Date(parseFireAt('2024-02-20T22:17', 'Europe/Berlin')).toISOString()).toBe(
			'2024-02-20T21:17:00.000Z',
		);
		expect(new Date(parseFireAt('2024-07-20T22:17', 'America/New_York')).toISOString()).toBe(
			'2024-07-21T02:17:00.000Z',
		);
	});

	test.each([
		'2024-02-20 22:17',
		'2024-02-20',
		'20-02-2024T22:17',
		'2024-02-20T22',
		'2024-W08-2T22:17',
		'2024-02-20T22:17:05.1234567',
		'tomorrow',
	])('rejects %s, naming fireAt', (text) => {
		expect(() => parseFireAt(text, 'UTC')).toThrow(/^Argument 'fireAt' ".*" is not in the format/);
	});

	test('rejects a date that does not exist', () => {
		expect(() => parseFireAt('2024-02-30T10:00', 'UTC')).toThrow(
			/^Argument 'fireAt' "2024-02-30T10:00" is not a real date/,
		);
	});
});

describe('program_timer commands', () => {
	let store: MemoryStore;
	let context: CommandContext;

	const send = async (commandIdn: string, args: JsonObject, connectorIdn = 'my_timer') =>
		await runCommand(context, {
			integrationIdn: 'program_timer',
			commandIdn,
			connectorIdn,
			arguments: args,
		});

	beforeEach(() => {
		store = new MemoryStore();
		context = { store, timezone: 'Europe/Berlin', itemIndex: 3, functions };
	});

	test('interval alone fires once after that many seconds', async () => {
		const before = Date.now();
		const act = await send('set_timer', {
			personaId: 'p1',
			timerName: 'followup_timer_2',
			interval: '120',
		});
		const timer = await store.getTimer('p1', 'followup_timer_2');
		expect(timer).toMatchObject({
			repeatable: false,
			intervalSeconds: 120,
			state: 'scheduled',
			enabled: true,
			connectorIdn: 'my_timer',
		});
		expect(timer?.nextFireAt).toBeGreaterThanOrEqual(before + 120_000);
		expect(timer?.nextFireAt).toBeLessThanOrEqual(Date.now() + 120_000);
		expect(act.result).toMatchObject({
			timerName: 'followup_timer_2',
			state: 'scheduled',
			fireCount: 0,
		});
		expect(String((act.result as JsonObject).nextFireAt)).toMatch(/\+0[12]:00$/);
	});

	test('set_repeatable_timer with fireAt and interval fires first at fireAt, then every interval', async () => {
		await send('set_repeatable_timer', {
			personaId: 'p1',
			timerName: 'followup_timer_3',
			interval: '240',
			fireAt: '2030-02-20T22:17',
		});
		expect(await store.getTimer('p1', 'followup_timer_3')).toMatchObject({
			repeatable: true,
			intervalSeconds: 240,
			nextFireAt: Date.parse('2030-02-20T21:17:00Z'),
		});
	});

	test('repeatable="false" with fireAt and interval ignores the interval', async () => {
		await send('set_timer', {
			personaId: 'p1',
			timerName: 'MyTimer',
			fireAt: '2030-02-20T22:17',
			interval: '60',
			repeatable: 'false',
		});
		expect(await store.getTimer('p1', 'MyTimer')).toMatchObject({
			repeatable: false,
			intervalSeconds: null,
			nextFireAt: Date.parse('2030-02-20T21:17:00Z'),
		});
	});

	test('setting an existing name replaces that timer', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '60' });
		await send('set_timer', {
			personaId: 'p1',
			timerName: 't',
			fireAt: '2031-01-01T00:00Z',
			eventIdn: 'reminder',
		});
		const timers = await store.listTimers({ personaId: 'p1' });
		expect(timers).toHaveLength(1);
		expect(timers[0]).toMatchObject({
			eventIdn: 'reminder',
			nextFireAt: Date.parse('2031-01-01T00:00:00Z'),
			fireCount: 0,
		});
	});

	test('enabled="false" keeps the timer and its schedule without firing; enabled="true" arms it again', async () => {
		await send('set_repeatable_timer', {
			personaId: 'p1',
			timerName: 'followup_timer_3',
			interval: '240',
			fireAt: '2030-02-20T22:17',
		});
		await send('set_timer', { personaId: 'p1', timerName: 'followup_timer_3', enabled: 'false' });
		expect(await store.getTimer('p1', 'followup_timer_3')).toMatchObject({
			state: 'disabled',
			enabled: false,
			nextFireAt: Date.parse('2030-02-20T21:17:00Z'),
		});
		await send('set_timer', { personaId: 'p1', timerName: 'followup_timer_3', enabled: 'true' });
		expect(await store.getTimer('p1', 'followup_timer_3')).toMatchObject({
			state: 'scheduled',
			enabled: true,
			repeatable: true,
		});
	});

	test('enabled="false" alone creates a disabled timer without a schedule', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 'later', enabled: 'false' });
		expect(await store.getTimer('p1', 'later')).toMatchObject({
			state: 'disabled',
			nextFireAt: null,
		});
	});

	test.each([
		[{ timerName: 't', interval: '60' }, "Argument 'personaId' is required"],
		[{ personaId: 'p1', interval: '60' }, "Argument 'timerName' is required"],
		[
			{ personaId: 'p1', timerName: 't', interval: 'soon' },
			`Argument 'interval' must be a number, got "soon"`,
		],
		[
			{ personaId: 'p1', timerName: 't', interval: '-5' },
			"Argument 'interval' must be greater than 0, got -5",
		],
		[
			{ personaId: 'p1', timerName: 't', interval: '0' },
			"Argument 'interval' must be greater than 0, got 0",
		],
		[
			{ personaId: 'p1', timerName: 't', repeatable: 'true', fireAt: '2030-01-01T00:00' },
			"Argument 'interval' is required when the timer is repeatable",
		],
		[
			{ personaId: 'p1', timerName: 't', repeatable: 'yes', interval: '5' },
			`Argument 'repeatable' must be "true" or "false", got "yes"`,
		],
		[
			{ personaId: 'p1', timerName: 't', fireAt: '20.02.2024 22:17' },
			`Argument 'fireAt' "20.02.2024 22:17" is not in the format`,
		],
		[
			{ personaId: 'p1', timerName: 't' },
			"Argument 'fireAt' or interval is required to create a timer",
		],
	])('bad input %j is rejected before anything is stored', async (args, message) => {
		await expect(send('set_timer', args)).rejects.toThrow(message);
		expect(await store.listTimers()).toEqual([]);
		expect(await store.listActs()).toEqual([]);
	});

	test('set_repeatable_timer needs an interval', async () => {
		await expect(
			send('set_repeatable_timer', { personaId: 'p1', timerName: 't', fireAt: '2030-01-01T00:00' }),
		).rejects.toThrow("Argument 'interval' is required");
		expect(await store.listActs()).toEqual([]);
	});

	test('a rejected replacement leaves the stored timer as it was', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '60' });
		const before = await store.getTimer('p1', 't');
		await expect(
			send('set_timer', { personaId: 'p1', timerName: 't', repeatable: 'true' }),
		).rejects.toThrow('interval');
		expect(await store.getTimer('p1', 't')).toEqual(before);
	});

	test('cancel, disable, enable, get and list', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 'a', interval: '60' });
		await send('set_timer', { personaId: 'p1', timerName: 'b', interval: '30' }, 'other_connector');
		await send('set_timer', { personaId: 'p2', timerName: 'a', interval: '90' });

		expect((await send('disable_timer', { personaId: 'p1', timerName: 'a' })).result).toMatchObject(
			{ state: 'disabled' },
		);
		expect((await send('enable_timer', { personaId: 'p1', timerName: 'a' })).result).toMatchObject({
			state: 'scheduled',
		});
		expect((await send('get_timer', { personaId: 'p2', timerName: 'a' })).result).toMatchObject({
			personaId: 'p2',
			interval: 90,
		});
		expect((await send('list_timers', { personaId: 'p1' })).result).toMatchObject({ count: 1 });
		expect(
			(await send('list_timers', { personaId: 'p1', allConnectors: 'true' })).result,
		).toMatchObject({ count: 2 });
		expect((await send('list_timers', {})).result).toMatchObject({ count: 2 });
		expect((await send('cancel_timer', { personaId: 'p1', timerName: 'a' })).result).toMatchObject({
			state: 'cancelled',
			nextFireAt: null,
		});
		await expect(send('get_timer', { personaId: 'p1', timerName: 'nope' })).rejects.toThrow(
			`Argument 'timerName' "nope" names no timer of persona "p1"`,
		);
	});
});
