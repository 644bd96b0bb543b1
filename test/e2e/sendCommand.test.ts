import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { N8nInstance, outputOf } from '../support/n8n';
import { manualTriggerNode } from '../support/workflows';

const workflows = join(__dirname, 'workflows');

// Each n8n CLI run boots n8n and loads every node: seconds, not milliseconds.
jest.setTimeout(180_000);

describe('Send Command in a real n8n', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create();
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	test('three items with expressions become three sandbox acts, output and stored', async () => {
		const id = await n8n.importWorkflow(join(workflows, 'send-command-sandbox.json'));
		const execution = await n8n.execute(id);
		expect(execution.ok).toBe(true);

		const items = outputOf(execution, 'Send Command');
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.commandIdn)).toEqual([
			'send_message',
			'make_call',
			'set_timer',
		]);
		expect(items.map((item) => item.json.personaId)).toEqual([
			'persona-ada',
			'persona-grace',
			'persona-linus',
		]);
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({
				integrationIdn: 'sandbox',
				connectorIdn: 'sandbox_connector',
				status: 'completed',
				result: { sandbox: true, delivered: false },
			});
			expect(item.json.arguments).toEqual({
				phoneNumber: `+1650700000${index + 1}`,
				text: `Hello ${['Ada', 'Grace', 'Linus'][index]}, item ${index}`,
			});
		}

		const store = new SqliteStore(n8n.storePath);
		try {
			const acts = await store.listActs({ integrationIdn: 'sandbox' });
			expect(acts).toHaveLength(3);
			const byId = new Map(acts.map((act) => [act.id, act]));
			for (const item of items) {
				const stored = byId.get(String(item.json.actId));
				expect(stored).toBeDefined();
				expect(stored).toMatchObject({
					commandIdn: item.json.commandIdn,
					personaId: item.json.personaId,
					arguments: item.json.arguments,
					status: 'completed',
				});
			}
		} finally {
			await store.close();
		}
	});

	test('delete_persona removes one person from the store and leaves the others', async () => {
		const sandbox = await n8n.importWorkflow(join(workflows, 'send-command-sandbox.json'));
		expect((await n8n.execute(sandbox)).ok).toBe(true);
		const id = await n8n.importWorkflow({
			id: 'e2eDeletePersona',
			name: 'E2E: delete a persona',
			nodes: [
				{
					id: 'd1e2e000-0000-4000-8000-000000000001',
					name: 'Manual Trigger',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'd1e2e000-0000-4000-8000-000000000002',
					name: 'Send Command',
					type: 'n8n-nodes-agent-connectors.sendCommand',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						integrationIdn: 'store',
						commandIdn: 'delete_persona',
						connectorIdn: 'store',
						personaId: 'persona-grace',
					},
				},
			],
			connections: {
				'Manual Trigger': { main: [[{ node: 'Send Command', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const execution = await n8n.execute(id);
		expect(execution.ok).toBe(true);
		const [item] = outputOf(execution, 'Send Command');
		expect(item.json).toMatchObject({
			commandIdn: 'delete_persona',
			personaId: null,
			arguments: {},
			result: { removed: { acts: expect.any(Number) } },
		});
		expect((item.json.result as { removed: { acts: number } }).removed.acts).toBeGreaterThan(0);

		const store = new SqliteStore(n8n.storePath);
		try {
			const acts = await store.listActs({ limit: 1000 });
			expect(acts.filter((act) => act.personaId === 'persona-grace')).toEqual([]);
			expect(acts.filter((act) => act.personaId === 'persona-ada').length).toBeGreaterThan(0);
		} finally {
			await store.close();
		}
	});

	test('JSON arguments, unknown integrations, missing connectors and secret arguments, item by item', async () => {
		const id = await n8n.importWorkflow(join(workflows, 'send-command-inputs.json'));
		const execution = await n8n.execute(id);
		expect(execution.ok).toBe(true);

		const json = outputOf(execution, 'JSON Arguments');
		expect(json.map((item) => item.json.arguments)).toEqual([
			{ phoneNumber: '+16507000001', attempt: 0, urgent: true },
			{ phoneNumber: '+16507000002', attempt: 1, urgent: true },
			{ phoneNumber: '+16507000003', attempt: 2, urgent: true },
		]);

		const unknown = outputOf(execution, 'Unknown Integration');
		expect(unknown).toHaveLength(3);
		for (const [index, item] of unknown.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toBe(
				`Unknown integration 'nope'. Valid integrations: sandbox, program_timer, http, twilio_voice, twilio_messenger, wts_chat, store, twilio, newo_voice (field 'integrationIdn', item ${index})`,
			);
		}

		const missing = outputOf(execution, 'Missing Connector');
		expect(missing.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(missing[0].json.status).toBe('completed');
		expect(missing[1].json).toEqual({
			error: "Connector IDN is required (field 'connectorIdn', item 1)",
		});
		expect(missing[2].json.status).toBe('completed');

		const secret = outputOf(execution, 'Secret Argument');
		expect(
			secret.every(
				(item) => (item.json.arguments as Record<string, unknown>).apiToken === '[redacted]',
			),
		).toBe(true);
		expect(JSON.stringify(execution.runData)).not.toContain('tok-should-not-be-stored');

		const store = new SqliteStore(n8n.storePath);
		try {
			expect(await store.listActs({ integrationIdn: 'nope' })).toHaveLength(0);
			expect(await store.listActs({ connectorIdn: 'json_connector' })).toHaveLength(3);
			const secretActs = await store.listActs({ connectorIdn: 'secret_connector' });
			expect(secretActs).toHaveLength(3);
			expect(JSON.stringify(secretActs)).not.toContain('tok-should-not-be-stored');
		} finally {
			await store.close();
		}
	});

	test('without Continue On Fail the first bad item stops the node with an error naming field and item, before any item runs', async () => {
		const store = new SqliteStore(n8n.storePath);
		try {
			const before = (await store.listActs({ connectorIdn: 'sms_connector', limit: 1000 })).length;
			const id = await n8n.importWorkflow(join(workflows, 'send-command-stops.json'));
			const execution = await n8n.execute(id);

			expect(execution.ok).toBe(false);
			expect(execution.error?.message).toBe(
				"Connector IDN is required (field 'connectorIdn', item 1)",
			);
			expect(execution.error?.description).toBe('Name the connector the command goes to');
			const after = await store.listActs({ connectorIdn: 'sms_connector', limit: 1000 });
			// Every item is checked before any runs: valid item 0 was not sent either.
			expect(after.length - before).toBe(0);
		} finally {
			await store.close();
		}
	});
	test('an action {command, parameters} written as a Key / Value argument runs the command it names with its parameters', async () => {
		const node = (suffix: number) => `a7c10000-0000-4000-8000-00000000000${suffix}`;
		const sendCommand = (name: string, position: number, value: string) => ({
			id: node(position + 2),
			name,
			type: 'n8n-nodes-agent-connectors.sendCommand',
			typeVersion: 1,
			position: [220 * (position + 1), 0],
			continueOnFail: true,
			parameters: {
				integrationIdn: 'sandbox',
				commandIdn: 'smsAction',
				connectorIdn: 'action_connector',
				argumentsMode: 'keyValue',
				arguments: {
					argument: [
						{ name: 'smsAction', value },
						{ name: 'smsSessionID', value: 'a23de67h-e527-40d5-a867-5c0ce9e72d0d' },
					],
				},
			},
		});
		const id = await n8n.importWorkflow({
			id: 'e2eActionForm001',
			name: 'E2E: the action form in Send Command',
			nodes: [
				manualTriggerNode(node(1)),
				sendCommand(
					'Seed Action',
					0,
					'{"command": "setSessionTimeoutCount", "parameters": {"count": 200}}',
				),
				sendCommand('Broken Action', 1, '{"command": "setSessionTimeoutCount", '),
			],
			connections: {
				'Manual Trigger': {
					main: [
						[
							{ node: 'Seed Action', type: 'main', index: 0 },
							{ node: 'Broken Action', type: 'main', index: 0 },
						],
					],
				},
			},
			settings: { executionOrder: 'v1' },
		});
		const execution = await n8n.execute(id);
		expect(execution.ok).toBe(true);
		const [act] = outputOf(execution, 'Seed Action');
		expect(act.json).toMatchObject({
			commandIdn: 'setSessionTimeoutCount',
			connectorIdn: 'action_connector',
			status: 'completed',
			arguments: { count: 200, smsSessionID: 'a23de67h-e527-40d5-a867-5c0ce9e72d0d' },
		});
		const [broken] = outputOf(execution, 'Broken Action');
		expect(broken.json.error).toMatch(
			/^Argument 'smsAction' is not valid JSON: .* \(field 'smsAction', item 0\)$/,
		);
		const store = new SqliteStore(n8n.storePath);
		try {
			expect(await store.listActs({ connectorIdn: 'action_connector' })).toHaveLength(1);
		} finally {
			await store.close();
		}
	});
});
