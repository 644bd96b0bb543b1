import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { N8nInstance } from '../support/n8n';

jest.setTimeout(240_000);

describe('Send Command in a running n8n (activated workflow, production webhook)', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.create();
		const id = await n8n.importWorkflow(join(__dirname, 'workflows', 'webhook-send-command.json'));
		await n8n.activate(id);
		await n8n.start();
		await n8n.waitForWebhook('agent-connectors-e2e');
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	test('each webhook call records one act and answers with it', async () => {
		const answers = [];
		for (const persona of ['p-1', 'p-2']) {
			const response = await fetch(`${n8n.baseUrl}/webhook/agent-connectors-e2e`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					command: 'set_timer',
					persona,
					args: { timerName: `t-${persona}`, interval: '120' },
				}),
			});
			expect(response.status).toBe(200);
			answers.push((await response.json()) as Record<string, unknown>);
		}
		expect(answers.map((answer) => answer.personaId)).toEqual(['p-1', 'p-2']);

		const store = new SqliteStore(n8n.storePath);
		try {
			const acts = await store.listActs({ connectorIdn: 'webhook_connector' });
			expect(acts.map((act) => act.id).sort()).toEqual(
				answers.map((answer) => answer.actId).sort(),
			);
			expect(acts.find((act) => act.personaId === 'p-2')).toMatchObject({
				commandIdn: 'set_timer',
				arguments: { timerName: 't-p-2', interval: '120' },
				status: 'completed',
			});
		} finally {
			await store.close();
		}
	});
});
