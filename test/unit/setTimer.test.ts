import type { IExecuteFunctions } from 'n8n-workflow';

import { runCommand } from '../support/runCommand';
import { parseFireAt } from '../../nodes/shared/commands/dates';
import type { CommandContext, CommandRequest } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import type { JsonObject } from '../../nodes/shared/store/types';
import { TimerEngine } from '../../nodes/shared/timers/engine';
import { FireRecorder, payloadOf, sleep } from './timers/helpers';

const functions = { getNode: () => ({ name: 'Set Timer' }) } as unknown as IExecuteFunctions;

/** The seed's past Fire At, read in Europe/Berlin. */
const SEED_FIRE_AT = '2024-02-20T22:17';
const SEED_FIRE_AT_MS = Date.parse('2024-02-20T21:17:00Z');

let store: MemoryStore;
let context: CommandContext;
const engines: TimerEngine[] = [];

const send = async (
	commandIdn: string,
	args: JsonObject,
	extra: Partial<CommandRequest> = {},
	connectorIdn = 'my_timer',
) =>
	await runCommand(context, {
		integrationIdn: 'program_timer',
		commandIdn,
		connectorIdn,
		arguments: args,
		...extra,
	});

const resultOf = async (...args: Parameters<typeof send>) =>
	(await send(...args)).result as JsonObject;

function startEngine(): FireRecorder {
	const engine = new TimerEngine(store, { maxSleepMs: 50 });
	engines.push(engine);
	const recorder = new FireRecorder(engine);
	engine.start();
	return recorder;
}

beforeEach(() => {
	store = new MemoryStore();
	context = { store, timezone: 'Europe/Berlin', itemIndex: 2, functions };
});

afterEach(async () => {
	await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

describe("Send Command's persona reaches the timer commands", () => {
	test('the Persona ID field sets the timer without a personaId argument; act and timer name the same persona', async () => {
		const act = await send(
			'set_timer',
			{ timerName: 'followup_timer_2', interval: '120' },
			{ personaId: 'persona-field' },
		);
		expect(act.personaId).toBe('persona-field');
		expect(act.result).toMatchObject({ personaId: 'persona-field' });
		expect(await store.getTimer('persona-field', 'followup_timer_2')).not.toBeNull();
	});

	test('userPersonaId is the persona under its other name', async () => {
		const act = await send('set_repeatable_timer', {
			userPersonaId: 'persona-seed',
			timerName: 't',
			interval: '240',
		});
		expect(act.personaId).toBe('persona-seed');
		expect(await store.getTimer('persona-seed', 't')).toMatchObject({ repeatable: true });
	});

	test('the field reaches the commands on one timer and the list', async () => {
		await send('set_timer', { timerName: 't', interval: '60' }, { personaId: 'p1' });
		await send('set_timer', { personaId: 'p2', timerName: 't', interval: '60' });
		expect(await resultOf('get_timer', { timerName: 't' }, { personaId: 'p1' })).toMatchObject({
			personaId: 'p1',
		});
		expect(await resultOf('disable_timer', { timerName: 't' }, { personaId: 'p1' })).toMatchObject({
			personaId: 'p1',
			state: 'disabled',
		});
		expect(await resultOf('list_timers', {}, { personaId: 'p2' })).toMatchObject({ count: 1 });
		expect(await resultOf('cancel_timer', { timerName: 't' }, { personaId: 'p1' })).toMatchObject({
			personaId: 'p1',
			state: 'cancelled',
		});
		expect(await store.getTimer('p2', 't')).toMatchObject({ state: 'scheduled' });
	});

	test('a Persona ID field and a personaId argument that differ are refused, naming both, before anything is stored', async () => {
		await expect(
			send('set_timer', { personaId: 'p2', timerName: 't', interval: '60' }, { personaId: 'p1' }),
		).rejects.toThrow(`Persona ID "p1" and argument 'personaId' "p2" name different personas`);
		expect(await store.listTimers()).toEqual([]);
		expect(await store.listActs()).toEqual([]);
	});
});

describe('a Fire At in the past', () => {
	test("fires once at once, flagged late, and Set Timer's output says so", async () => {
		const result = await resultOf('set_timer', {
			personaId: 'p1',
			timerName: 'MyTimer',
			fireAt: SEED_FIRE_AT,
			repeatable: 'false',
		});
		expect(result).toMatchObject({ late: true, state: 'scheduled' });
		expect(result.nextFireAt).toBe('2024-02-20T22:17:00.000+01:00');

		const recorder = startEngine();
		await recorder.waitForFires(1);
		await sleep(200);
		expect(recorder.fires).toHaveLength(1);
		expect(payloadOf(recorder.fires[0])).toMatchObject({
			timerName: 'MyTimer',
			scheduledAt: '2024-02-20T21:17:00.000Z',
			late: true,
			fireCount: 1,
		});
		expect(await store.getTimer('p1', 'MyTimer')).toMatchObject({ state: 'done' });
	});

	test('a future Fire At is not late', async () => {
		const result = await resultOf('set_timer', {
			personaId: 'p1',
			timerName: 't',
			fireAt: '2099-01-01T00:00',
		});
		expect(result.late).toBe(false);
	});

	test('a repeatable timer fires once at once, late, then keeps the cadence of its Fire At', async () => {
		const result = await resultOf('set_repeatable_timer', {
			personaId: 'p1',
			timerName: 'followup_timer_3',
			interval: '240',
			fireAt: SEED_FIRE_AT,
		});
		expect(result).toMatchObject({ late: true, repeatable: true, interval: 240 });

		const recorder = startEngine();
		await recorder.waitForFires(1);
		const firedAt = recorder.fires[0].timer.lastFiredAt ?? 0;
		expect(payloadOf(recorder.fires[0])).toMatchObject({ late: true, fireCount: 1 });
		const next = (await store.getTimer('p1', 'followup_timer_3'))?.nextFireAt ?? 0;
		// The next fire is on the cadence of 22:17 and the first of it after the late fire.
		expect((next - SEED_FIRE_AT_MS) % 240_000).toBe(0);
		expect(next).toBeGreaterThan(firedAt);
		expect(next - firedAt).toBeLessThanOrEqual(240_000);
		await sleep(200);
		expect(recorder.fires).toHaveLength(1);
	});
});

describe('times that do not exist are refused', () => {
	test.each([
		['2024-02-20T24:00', 'has the hour 24, which is not a time of day'],
		['2024-02-20T24:00:00+01:00', 'has the hour 24'],
		['2024-03-31T02:30', 'does not exist in the timezone Europe/Berlin'],
		['2024-03-31T02:00', 'does not exist in the timezone Europe/Berlin'],
	])('%s, before anything is stored', async (fireAt, message) => {
		await expect(send('set_timer', { personaId: 'p1', timerName: 't', fireAt })).rejects.toThrow(
			`Argument 'fireAt' "${fireAt}" ${message}`,
		);
		expect(await store.listTimers()).toEqual([]);
		expect(await store.listActs()).toEqual([]);
	});

	test('the skipped hour with an explicit offset is an instant, and is accepted', () => {
		expect(new Date(parseFireAt('2024-03-31T02:30+01:00', 'Europe/Berlin')).toISOString()).toBe(
			'2024-03-31T01:30:00.000Z',
		);
	});

	test('the hours around the skipped one are accepted; a time that occurs twice is the later one', () => {
		expect(new Date(parseFireAt('2024-03-31T01:59', 'Europe/Berlin')).toISOString()).toBe(
			'2024-03-31T00:59:00.000Z',
		);
		expect(new Date(parseFireAt('2024-03-31T03:00', 'Europe/Berlin')).toISOString()).toBe(
			'2024-03-31T01:00:00.000Z',
		);
		expect(new Date(parseFireAt('2024-10-27T02:30', 'Europe/Berlin')).toISOString()).toBe(
			'2024-10-27T01:30:00.000Z',
		);
	});
});

describe('replacing a disabled timer', () => {
	beforeEach(async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '60' });
		await send('disable_timer', { personaId: 'p1', timerName: 't' });
	});

	test('keeps it disabled, with the new schedule, when enabled is not given', async () => {
		const result = await resultOf('set_timer', {
			personaId: 'p1',
			timerName: 't',
			fireAt: '2099-01-01T00:00Z',
		});
		expect(result).toMatchObject({ state: 'disabled', enabled: false });
		expect(await store.getTimer('p1', 't')).toMatchObject({
			enabled: false,
			nextFireAt: Date.parse('2099-01-01T00:00:00Z'),
		});
	});

	test('arms it when enabled="true" is given', async () => {
		const result = await resultOf('set_timer', {
			personaId: 'p1',
			timerName: 't',
			interval: '30',
			enabled: 'true',
		});
		expect(result).toMatchObject({ state: 'scheduled', enabled: true });
	});

	test('a cancelled timer is replaced by an enabled one', async () => {
		await send('cancel_timer', { personaId: 'p1', timerName: 't' });
		const result = await resultOf('set_timer', { personaId: 'p1', timerName: 't', interval: '30' });
		expect(result).toMatchObject({ state: 'scheduled', enabled: true });
	});
});

describe('timer data', () => {
	test('a JSON string argument is kept with the timer, output, and delivered with every fire', async () => {
		const result = await resultOf('set_timer', {
			personaId: 'p1',
			timerName: 'with_data',
			fireAt: SEED_FIRE_AT,
			data: '{"orderId": 42, "step": "followup"}',
		});
		expect(result.data).toEqual({ orderId: 42, step: 'followup' });
		const recorder = startEngine();
		await recorder.waitForFires(1);
		expect(payloadOf(recorder.fires[0]).data).toEqual({ orderId: 42, step: 'followup' });
	});

	test('a JSON object (JSON arguments, the typed field) is taken as it is', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: 5, data: { a: [1] } });
		expect(await store.getTimer('p1', 't')).toMatchObject({ data: { a: [1] } });
	});

	test('a timer set without data carries an empty object', async () => {
		const result = await resultOf('set_timer', { personaId: 'p1', timerName: 't', interval: '5' });
		expect(result.data).toEqual({});
	});

	test('disabling or enabling with only enabled keeps the data', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '5', data: '{"k": 1}' });
		await send('set_timer', { personaId: 'p1', timerName: 't', enabled: 'false' });
		expect(await store.getTimer('p1', 't')).toMatchObject({ enabled: false, data: { k: 1 } });
	});

	test.each([
		['[1, 2]', "Argument 'data' must be a JSON object"],
		['"text"', "Argument 'data' must be a JSON object"],
		['{orderId: 42}', "Argument 'data' is not valid JSON"],
	])('data %s is refused before anything is stored', async (data, message) => {
		await expect(
			send('set_timer', { personaId: 'p1', timerName: 't', interval: '5', data }),
		).rejects.toThrow(message);
		expect(await store.listTimers()).toEqual([]);
	});

	test('data for an existing timer without a schedule is refused, and the timer stays as it was', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '60' });
		const before = await store.getTimer('p1', 't');
		await expect(
			send('set_timer', { personaId: 'p1', timerName: 't', data: '{"k": 1}' }),
		).rejects.toThrow("Argument 'data' is set together with the schedule");
		expect(await store.getTimer('p1', 't')).toEqual(before);
	});
});

describe('interval units', () => {
	test.each([
		['seconds', 2],
		['minutes', 120],
		['hours', 7200],
		['days', 172_800],
		['Minutes', 120],
	])('interval 2 in %s is %d seconds', async (intervalUnit, seconds) => {
		const before = Date.now();
		const result = await resultOf('set_repeatable_timer', {
			personaId: 'p1',
			timerName: 't',
			interval: 2,
			intervalUnit,
		});
		expect(result.interval).toBe(seconds);
		const timer = await store.getTimer('p1', 't');
		expect(timer?.intervalSeconds).toBe(seconds);
		expect(timer?.nextFireAt).toBeGreaterThanOrEqual(before + seconds * 1000);
	});

	test('without a unit the interval is in seconds, as before', async () => {
		await send('set_timer', { personaId: 'p1', timerName: 't', interval: '120' });
		expect(await store.getTimer('p1', 't')).toMatchObject({ intervalSeconds: 120 });
	});

	test('an unknown unit is refused, naming the field', async () => {
		await expect(
			send('set_timer', { personaId: 'p1', timerName: 't', interval: '2', intervalUnit: 'weeks' }),
		).rejects.toThrow(
			`Argument 'intervalUnit' must be one of seconds, minutes, hours, days, got "weeks"`,
		);
	});
});
