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

type Fire = TimerFiredPayload;

describe('Set Timer and Timer Trigger in a real n8n', () => {
	let n8n: N8nInstance;
	let store: SqliteStore;
	let workflowCount = 0;

	const runsOf = async (timerName: string): Promise<Array<Fire & { act: Act }>> => {
		const acts = await store.listActs({ connectorIdn: 'timer_runs', limit: 1000 });
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
