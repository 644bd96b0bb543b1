import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import type { Act } from '../../nodes/shared/store/types';
import type { TimerFiredPayload } from '../../nodes/shared/timers/schedule';
import { N8nInstance, type WorkflowJson } from '../support/n8n';

jest.setTimeout(300_000);

interface TimerSpec {
	timerName: string;
	interval: number;
	repeatable?: boolean;
	enabled?: boolean;
	connectorIdn?: string;
}

/**
 * Workflow A: Manual Trigger → one item per timer → Set Timer, all from
 * expressions; optionally also Send Command setting a timer with the seed's
 * string arguments.
 */
function setTimersWorkflow(id: string, timers: TimerSpec[], viaSendCommand?: string): WorkflowJson {
	const node = (suffix: number, rest: Record<string, unknown>) => ({
		id: `1c2d3e4f-0005-4000-8000-${String(suffix).padStart(12, '0')}`,
		...rest,
	});
	return {
		id,
		name: `E2E: set timers ${id}`,
		nodes: [
			node(1, {
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			node(2, {
				name: 'Timers',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ timers }), options: {} },
			}),
			node(3, {
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'timers', options: {} },
			}),
			node(4, {
				name: 'Set Timer',
				type: 'n8n-nodes-agent-connectors.setTimer',
				typeVersion: 1,
				position: [660, 0],
				parameters: {
					operation: 'set_timer',
					connectorIdn: "={{ $json.connectorIdn || 'e2e_timers' }}",
					personaId: 'persona-e2e',
					timerName: '={{ $json.timerName }}',
					interval: '={{ $json.interval }}',
					repeatable: '={{ $json.repeatable || false }}',
					enabled: '={{ $json.enabled !== false }}',
				},
			}),
			...(viaSendCommand
				? [
						node(5, {
							name: 'Send Command',
							type: 'n8n-nodes-agent-connectors.sendCommand',
							typeVersion: 1,
							position: [220, 200],
							parameters: {
								integrationIdn: 'program_timer',
								commandIdn: 'set_timer',
								connectorIdn: 'e2e_timers',
								argumentsMode: 'keyValue',
								arguments: {
									argument: [
										{ name: 'personaId', value: 'persona-e2e' },
										{ name: 'timerName', value: viaSendCommand },
										{ name: 'interval', value: '2' },
										{ name: 'repeatable', value: 'false' },
									],
								},
							},
						}),
					]
				: []),
		],
		connections: {
			'Manual Trigger': {
				main: [
					[
						{ node: 'Timers', type: 'main', index: 0 },
						...(viaSendCommand ? [{ node: 'Send Command', type: 'main', index: 0 }] : []),
					],
				],
			},
			Timers: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Set Timer', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The persona of seed 000's examples: what the seed's GetUser(field="id") gives. */
const SEED_PERSONA = 'persona-seed-000';
/** The seed's Fire At, 2024-02-20T22:17, read in n8n's timezone (Europe/Berlin). */
const SEED_FIRE_AT_MS = Date.parse('2024-02-20T21:17:00Z');

type NodeJson = Record<string, unknown> & { name: string };

/** Manual Trigger → Get User (an item with the persona's id, as GetUser() gives it) → `node`. */
function afterGetUser(id: string, node: NodeJson): WorkflowJson {
	const nodeId = (suffix: number) => `1c2d3e4f-0006-4000-8000-${String(suffix).padStart(12, '0')}`;
	return {
		id,
		name: `E2E: ${node.name} ${id}`,
		nodes: [
			{
				id: nodeId(1),
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: nodeId(2),
				name: 'Get User',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ id: SEED_PERSONA }), options: {} },
			},
			{ id: nodeId(3), typeVersion: 1, position: [440, 0], ...node },
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Get User', type: 'main', index: 0 }]] },
			'Get User': { main: [[{ node: node.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Send Command of integration program_timer with Key / Value arguments
 * exactly as the seed writes them (strings); a `personaId` of '$user' is the
 * previous node's persona id, as the seed's GetUser(field="id").
 */
function seedSendCommand(
	commandIdn: string,
	connectorIdn: string,
	args: Array<[string, string]>,
	personaField = '',
): NodeJson {
	return {
		name: 'Send Command',
		type: 'n8n-nodes-agent-connectors.sendCommand',
		parameters: {
			integrationIdn: 'program_timer',
			commandIdn,
			connectorIdn,
			personaId: personaField,
			argumentsMode: 'keyValue',
			arguments: {
				argument: args.map(([name, value]) => ({
					name,
					value: value === '$user' ? '={{ $json.id }}' : value,
				})),
			},
		},
	};
}

type Fire = TimerFiredPayload;

describe('Set Timer and Timer Trigger in a real n8n', () => {
	let n8n: N8nInstance;
	let store: SqliteStore;
	let workflowCount = 0;

	const runsOf = async (
		timerName: string,
		connectorIdn = 'timer_runs',
	): Promise<Array<Fire & { act: Act }>> => {
		const acts = await store.listActs({ connectorIdn, limit: 1000 });
		return acts
			.map((act) => ({ ...(act.arguments as unknown as Fire), act }))
			.filter((fire) => fire.timerName === timerName)
			.sort((a, b) => a.fireCount - b.fireCount);
	};

	const setTimers = async (timers: TimerSpec[], viaSendCommand?: string) => {
		workflowCount += 1;
		const id = await n8n.importWorkflow(
			setTimersWorkflow(
				`e2eSetTimers${String(workflowCount).padStart(4, '0')}`,
				timers,
				viaSendCommand,
			),
		);
		const execution = await n8n.execute(id);
		expect(execution.ok).toBe(true);
		return execution;
	};

	/** Runs `node` after Get User; its first output item. */
	const runAfterGetUser = async (node: NodeJson): Promise<Record<string, unknown>> => {
		workflowCount += 1;
		const id = await n8n.importWorkflow(
			afterGetUser(`e2eSeedTimer${String(workflowCount).padStart(4, '0')}`, node),
		);
		const execution = await n8n.execute(id);
		expect(execution.error).toBeUndefined();
		expect(execution.ok).toBe(true);
		return execution.runData[node.name][0].data?.main[0]?.[0]?.json ?? {};
	};

	const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (await condition()) return;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	};

	beforeAll(async () => {
		n8n = await N8nInstance.create({ env: { GENERIC_TIMEZONE: 'Europe/Berlin' } });
		const observer = await n8n.importWorkflow(
			join(__dirname, 'workflows', 'timer-trigger-observer.json'),
		);
		await n8n.activate(observer);
		await n8n.activate(
			await n8n.importWorkflow(join(__dirname, 'workflows', 'timer-trigger-seed-connectors.json')),
		);
		await n8n.start();
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
	});

	test('a 2 s timer runs the trigger workflow once, within half a second of its due time; a disabled one never', async () => {
		const execution = await setTimers(
			[
				{ timerName: 'e2e_once', interval: 2 },
				{ timerName: 'e2e_disabled', interval: 2, enabled: false },
			],
			'e2e_via_command',
		);
		const output = execution.runData['Set Timer'][0].data?.main[0] ?? [];
		expect(output.map((item) => item.json)).toEqual([
			expect.objectContaining({
				timerName: 'e2e_once',
				state: 'scheduled',
				fireCount: 0,
				nextFireAt: expect.stringMatching(/\+01:00$/),
			}),
			expect.objectContaining({ timerName: 'e2e_disabled', state: 'disabled', enabled: false }),
		]);

		await waitFor(async () => (await runsOf('e2e_once')).length > 0, 20_000);
		// Give a second fire (there must be none) time to show up.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const runs = await runsOf('e2e_once');
		expect(runs).toHaveLength(1);
		expect(runs[0]).toMatchObject({
			personaId: 'persona-e2e',
			connectorIdn: 'e2e_timers',
			eventIdn: 'timer_fired',
			fireCount: 1,
			repeatable: false,
		});
		expect(Date.parse(runs[0].firedAt) - Date.parse(runs[0].scheduledAt)).toBeLessThan(500);
		expect(runs[0].lateMs).toBeLessThan(500);
		expect(await runsOf('e2e_disabled')).toHaveLength(0);

		// Send Command with the seed's strings runs the same command: same timer, same single run.
		const viaCommand = execution.runData['Send Command'][0].data?.main[0]?.[0]?.json;
		expect(viaCommand).toMatchObject({
			integrationIdn: 'program_timer',
			commandIdn: 'set_timer',
			status: 'completed',
		});
		expect(viaCommand?.result).toMatchObject({
			timerName: 'e2e_via_command',
			state: 'scheduled',
			repeatable: false,
			interval: 2,
		});
		const commandRuns = await runsOf('e2e_via_command');
		expect(commandRuns).toHaveLength(1);
		expect(commandRuns[0]).toMatchObject({ fireCount: 1, repeatable: false, interval: 2 });
	});

	test('a repeatable timer runs the trigger workflow three times at its cadence', async () => {
		await setTimers([{ timerName: 'e2e_repeat', interval: 2, repeatable: true }]);
		await waitFor(async () => (await runsOf('e2e_repeat')).length >= 3, 30_000);
		const runs = (await runsOf('e2e_repeat')).slice(0, 3);
		expect(runs.map((run) => run.fireCount)).toEqual([1, 2, 3]);
		const scheduled = runs.map((run) => Date.parse(run.scheduledAt));
		expect(scheduled[1] - scheduled[0]).toBe(2000);
		expect(scheduled[2] - scheduled[1]).toBe(2000);
		for (const run of runs)
			expect(Date.parse(run.firedAt) - Date.parse(run.scheduledAt)).toBeLessThan(500);
	});

	test("seed 000's five timer examples run as written through Send Command, and timers carry data to the Timer Trigger", async () => {
		const seedRuns = (timerName: string) => runsOf(timerName, 'seed_timer_runs');
		const onCadence = (ms: number) => (ms - SEED_FIRE_AT_MS) % 240_000 === 0;
		const timerOf = async (timerName: string) => await store.getTimer(SEED_PERSONA, timerName);

		// "activates a timer once after 120 seconds": set first, so its two minutes pass while the others run.
		const before120 = Date.now();
		const act2 = await runAfterGetUser(
			seedSendCommand('set_timer', 'my_timer', [
				['personaId', '$user'],
				['timerName', 'followup_timer_2'],
				['interval', '120'],
			]),
		);
		const after120 = Date.now();
		expect(act2).toMatchObject({ status: 'completed', personaId: SEED_PERSONA });
		expect(act2.result).toMatchObject({
			timerName: 'followup_timer_2',
			state: 'scheduled',
			repeatable: false,
			interval: 120,
			late: false,
		});
		const due120 = (await timerOf('followup_timer_2'))?.nextFireAt ?? 0;
		expect(due120).toBeGreaterThanOrEqual(before120 + 120_000);
		expect(due120).toBeLessThanOrEqual(after120 + 120_000);

		// The typed node: an interval with a unit, and a Data object.
		const beforeData = Date.now();
		const typed = await runAfterGetUser({
			name: 'Set Timer',
			type: 'n8n-nodes-agent-connectors.setTimer',
			parameters: {
				operation: 'set_timer',
				connectorIdn: 'my_timer',
				personaId: '={{ $json.id }}',
				timerName: 'data_in_a_minute',
				interval: 1,
				intervalUnit: 'minutes',
				data: '{"orderId": 42, "items": ["a", "b"]}',
			},
		});
		expect(typed).toMatchObject({ interval: 60, data: { orderId: 42, items: ['a', 'b'] } });
		const dueData = (await timerOf('data_in_a_minute'))?.nextFireAt ?? 0;
		expect(dueData - beforeData).toBeGreaterThanOrEqual(60_000);
		expect(dueData - beforeData).toBeLessThan(60_000 + (Date.now() - beforeData));

		// "activates a timer once at 2024-02-20T22:17": past, so it fires once at once, late.
		const act1 = await runAfterGetUser(
			seedSendCommand('set_timer', 'fire_timer', [
				['fireAt', '2024-02-20T22:17'],
				['personaId', '$user'],
				['timerName', 'MyTimer'],
				['repeatable', 'false'],
			]),
		);
		expect(act1).toMatchObject({ status: 'completed', personaId: SEED_PERSONA });
		expect(act1.result).toMatchObject({
			timerName: 'MyTimer',
			connectorIdn: 'fire_timer',
			repeatable: false,
			late: true,
			nextFireAt: '2024-02-20T22:17:00.000+01:00',
		});
		await waitFor(async () => (await seedRuns('MyTimer')).length > 0, 20_000);
		expect((await seedRuns('MyTimer'))[0]).toMatchObject({
			personaId: SEED_PERSONA,
			connectorIdn: 'fire_timer',
			scheduledAt: '2024-02-20T21:17:00.000Z',
			late: true,
			fireCount: 1,
		});

		// "activates a timer at 2024-02-20T22:17 and repeatedly activates thereafter every 240 seconds".
		const act3 = await runAfterGetUser(
			seedSendCommand('set_repeatable_timer', 'my_timer', [
				['personaId', '$user'],
				['timerName', 'followup_timer_3'],
				['interval', '240'],
				['fireAt', '2024-02-20T22:17'],
			]),
		);
		expect(act3).toMatchObject({ status: 'completed', personaId: SEED_PERSONA });
		expect(act3.result).toMatchObject({ repeatable: true, interval: 240, late: true });
		await waitFor(async () => (await seedRuns('followup_timer_3')).length > 0, 20_000);
		const [firstOf3] = await seedRuns('followup_timer_3');
		expect(firstOf3).toMatchObject({ scheduledAt: '2024-02-20T21:17:00.000Z', late: true });
		// Then on the cadence of 22:17: the first instant of it after that late fire.
		const next3 = (await timerOf('followup_timer_3'))?.nextFireAt ?? 0;
		expect(onCadence(next3)).toBe(true);
		expect(next3).toBeGreaterThan(Date.parse(firstOf3.firedAt));
		expect(next3 - Date.parse(firstOf3.firedAt)).toBeLessThanOrEqual(240_000);

		// "creates a timer but disables it": the repeatable timer keeps its schedule without firing,
		// until example 5 enables it after the other timers have run.
		const act4 = await runAfterGetUser(
			seedSendCommand('set_timer', 'my_timer', [
				['personaId', '$user'],
				['timerName', 'followup_timer_3'],
				['enabled', 'false'],
			]),
		);
		const disabledAt = Date.now();
		expect(act4.result).toMatchObject({ state: 'disabled', enabled: false, repeatable: true });
		expect(await timerOf('followup_timer_3')).toMatchObject({
			enabled: false,
			intervalSeconds: 240,
		});
		expect(onCadence((await timerOf('followup_timer_3'))?.nextFireAt ?? 0)).toBe(true);

		// Send Command's Persona ID field and a Data argument (a JSON string).
		const actData = await runAfterGetUser(
			seedSendCommand(
				'set_timer',
				'fire_timer',
				[
					['timerName', 'data_now'],
					['fireAt', '2024-02-20T22:17'],
					['data', '{"note": "call back", "attempt": 2}'],
				],
				'={{ $json.id }}',
			),
		);
		expect(actData).toMatchObject({ personaId: SEED_PERSONA });
		expect(actData.result).toMatchObject({ personaId: SEED_PERSONA, late: true });
		await waitFor(async () => (await seedRuns('data_now')).length > 0, 20_000);
		expect((await seedRuns('data_now'))[0]).toMatchObject({
			personaId: SEED_PERSONA,
			data: { note: 'call back', attempt: 2 },
		});

		await waitFor(
			async () => (await seedRuns('data_in_a_minute')).length > 0,
			dueData + 20_000 - Date.now(),
		);
		const [dataRun] = await seedRuns('data_in_a_minute');
		expect(dataRun).toMatchObject({ data: { orderId: 42, items: ['a', 'b'] }, interval: 60 });
		expect(Date.parse(dataRun.scheduledAt)).toBe(dueData);

		await waitFor(
			async () => (await seedRuns('followup_timer_2')).length > 0,
			due120 + 20_000 - Date.now(),
		);
		const runs2 = await seedRuns('followup_timer_2');
		expect(runs2).toHaveLength(1);
		expect(runs2[0]).toMatchObject({ personaId: SEED_PERSONA, fireCount: 1, late: false });
		expect(Date.parse(runs2[0].scheduledAt)).toBe(due120);

		// "creates a timer and enables it", after a disabled stretch: armed again on the same cadence.
		const enabledFrom = Date.now();
		const act5 = await runAfterGetUser(
			seedSendCommand('set_timer', 'my_timer', [
				['personaId', '$user'],
				['timerName', 'followup_timer_3'],
				['enabled', 'true'],
			]),
		);
		expect(act5.result).toMatchObject({ state: 'scheduled', enabled: true, repeatable: true });
		expect(onCadence((await timerOf('followup_timer_3'))?.nextFireAt ?? 0)).toBe(true);

		// Every fire of the repeatable timer was on its cadence, none while it was disabled.
		const runs3 = await seedRuns('followup_timer_3');
		for (const run of runs3) expect(onCadence(Date.parse(run.scheduledAt))).toBe(true);
		const whileDisabled = runs3.filter((run) => {
			const firedAt = Date.parse(run.firedAt);
			return firedAt > disabledAt && firedAt < enabledFrom;
		});
		expect(whileDisabled).toEqual([]);
		expect(await seedRuns('MyTimer')).toHaveLength(1);
		expect(await seedRuns('data_now')).toHaveLength(1);
	});

	test("in the editor's listen-for-test-event mode the trigger runs its workflow on the next fire", async () => {
		await n8n.setupOwner();
		const workflowId = await n8n.importWorkflow(
			join(__dirname, 'workflows', 'timer-trigger-manual.json'),
		);
		const started = await n8n.request(`/rest/workflows/${workflowId}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ triggerToStartFrom: { name: 'Timer Trigger' } }),
		});
		expect(started.status).toBe(200);
		const { data } = (await started.json()) as { data: { executionId: string } };

		await setTimers([{ timerName: 'e2e_manual_1', interval: 1, connectorIdn: 'e2e_manual' }]);
		const recorded = async () => (await store.listActs({ connectorIdn: 'manual_runs' })).length > 0;
		await waitFor(recorded, 30_000);
		const [act] = await store.listActs({ connectorIdn: 'manual_runs' });
		expect(act.arguments).toMatchObject({
			timerName: 'e2e_manual_1',
			connectorIdn: 'e2e_manual',
			fireCount: 1,
		});

		let status = '';
		await waitFor(async () => {
			const response = await n8n.request(`/rest/executions/${data.executionId}`);
			status = ((await response.json()) as { data: { status: string } }).data.status;
			return status === 'success';
		}, 30_000);
		expect(status).toBe('success');
	});

	test('a timer set while n8n is stopped and due before it restarts runs the workflow exactly once, late', async () => {
		await n8n.stop();
		await setTimers([{ timerName: 'e2e_while_down', interval: 1 }]);
		await new Promise((resolve) => setTimeout(resolve, 2500));
		await n8n.start();
		await waitFor(async () => (await runsOf('e2e_while_down')).length > 0, 30_000);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const runs = await runsOf('e2e_while_down');
		expect(runs).toHaveLength(1);
		expect(runs[0].late).toBe(true);
	});
});
