import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { signBody } from '../../nodes/shared/transport/signing';
import { N8nInstance, type WorkflowJson } from '../support/n8n';

jest.setTimeout(300_000);

// The Vocode test vector of shared/specs/APIS.md: Python's json.dumps output, \u escape included.
const vectorSigningValue = ['MX/9/+iblnUoAAM2Jft8sgeY1', 'bevJvuih2nr7XKPHIY='].join('');
const vectorBody = String.raw`{"payload": {"length": "30m", "time": "10:30am", "name": "Jo\u00e3o"}, "call_id": "c1"}`;
const vectorSignature = ['q87i2EFv4mLmQu2B6qBM0wF0zX6r', 'owI7PpDtQKJhX0M='].join('');

const CREDENTIAL = {
	id: 'e2eVocodeSigning',
	name: 'Vocode signing (e2e)',
	type: 'requestSigningApi',
};
const workflowFile = (name: string) => join(__dirname, 'workflows', name);

async function loadWorkflow(name: string): Promise<WorkflowJson> {
	return JSON.parse(await readFile(workflowFile(name), 'utf8')) as WorkflowJson;
}

/**
 * The Respond to Webhook example made unusable twice over: a schema whose
 * top level is not an object, and a Respond to Webhook node of a version
 * that answers only n8n's own Webhook trigger.
 */
function misconfigured(respondNode: WorkflowJson): WorkflowJson {
	const [trigger, respond, ...rest] = respondNode.nodes;
	return {
		...respondNode,
		id: 'e2eAgentAction03',
		name: 'E2E: Agent Action Trigger that cannot be activated',
		nodes: [
			{
				...trigger,
				webhookId: '7b1e4c2a-0010-4000-8000-0000000000ff',
				parameters: {
					...(trigger.parameters as object),
					path: 'e2e-misconfigured',
					inputSchema: '{"type": "array"}',
				},
			},
			{ ...respond, typeVersion: 1.5 },
			...rest,
		],
	};
}

/** The example as a user has it once they selected their credential on the trigger. */
function withCredential(example: WorkflowJson): WorkflowJson {
	const [trigger, ...rest] = example.nodes;
	return {
		...example,
		nodes: [
			{
				...trigger,
				credentials: { requestSigningApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
			...rest,
		],
	};
}

interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
}

describe('Agent Action Trigger in a real n8n (active workflows, production webhooks)', () => {
	let n8n: N8nInstance;
	let bookMeeting: string;
	let misconfiguredId: string;
	let slowAction: string;

	const post = async (path: string, body: string, headers: Record<string, string>) =>
		await fetch(`${n8n.baseUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body,
		});

	const executionsOf = async (workflowId: string): Promise<ExecutionSummary[]> => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const response = await n8n.request(`/rest/executions?filter=${filter}&limit=100`);
		expect(response.status).toBe(200);
		return ((await response.json()) as { data: { results: ExecutionSummary[] } }).data.results;
	};

	/** Waits until the workflow has `count` finished executions, then gives a stray one time to show up. */
	const settledExecutions = async (
		workflowId: string,
		count: number,
	): Promise<ExecutionSummary[]> => {
		const deadline = Date.now() + 15_000;
		let executions = await executionsOf(workflowId);
		while (
			Date.now() < deadline &&
			executions.filter((execution) => execution.status !== 'running').length < count
		) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			executions = await executionsOf(workflowId);
		}
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		return await executionsOf(workflowId);
	};

	beforeAll(async () => {
		n8n = await N8nInstance.create();
		const credentialsFile = join(n8n.userFolder, 'credentials.json');
		await writeFile(
			credentialsFile,
			JSON.stringify([{ ...CREDENTIAL, data: { secret: vectorSigningValue } }]),
		);
		const imported = await n8n.cli(['import:credentials', `--input=${credentialsFile}`]);
		await rm(credentialsFile);
		if (imported.code !== 0)
			throw new Error(
				`n8n import:credentials failed (${imported.code}):\n${imported.stdout}\n${imported.stderr}`,
			);

		const workflows = [
			await loadWorkflow('agent-action-trigger.json'),
			await loadWorkflow('agent-action-respond-node.json'),
		];
		const respondToAgent = await loadWorkflow('agent-action-respond-to-agent.json');
		workflows.push(
			misconfigured(workflows[1]),
			withCredential(
				await loadWorkflow(join('..', '..', '..', 'examples', 'agent-action-trigger.json')),
			),
			respondToAgent,
			await loadWorkflow('agent-action-slow.json'),
			await loadWorkflow('agent-action-no-result.json'),
		);
		[bookMeeting, , misconfiguredId] = workflows.map((workflow) => workflow.id ?? '');
		slowAction = workflows[5].id ?? '';
		// One import for all: every n8n CLI call costs seconds.
		const workflowsFile = join(n8n.userFolder, 'workflows.json');
		await writeFile(workflowsFile, JSON.stringify(workflows));
		const importedWorkflows = await n8n.cli(['import:workflow', `--input=${workflowsFile}`]);
		if (importedWorkflows.code !== 0) {
			throw new Error(
				`n8n import:workflow failed (${importedWorkflows.code}):\n${importedWorkflows.stdout}\n${importedWorkflows.stderr}`,
			);
		}
		for (const workflow of workflows) await n8n.activate(workflow.id ?? '');

		await n8n.start();
		await n8n.waitForWebhook('e2e-book-meeting');
		await n8n.waitForWebhook('e2e-respond-node');
		await n8n.waitForWebhook('book-meeting');
		await n8n.waitForWebhook('e2e-respond-agent');
		await n8n.waitForWebhook('e2e-slow-action');
		await n8n.waitForWebhook('e2e-no-result');
		await n8n.setupOwner();
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	test('the APIS.md test vector, signed over its exact bytes, is answered {result, agent_message} from the payload', async () => {
		const response = await post('e2e-book-meeting', vectorBody, {
			'x-vocode-signature': vectorSignature,
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			result: { booked: true, length: '30m', time: '10:30am', name: 'João', call_id: 'c1' },
			agent_message: 'Booked 30m at 10:30am for João',
		});
	});

	test('forged or missing signatures and payloads outside the input schema are refused; none runs the workflow', async () => {
		const before = (await settledExecutions(bookMeeting, 1)).length;

		const forged = await post('e2e-book-meeting', vectorBody, {
			'x-vocode-signature': signBody(Buffer.from('not the secret').toString('base64'), vectorBody),
		});
		expect(forged.status).toBe(401);
		expect(await forged.json()).toEqual({
			error: 'The x-vocode-signature signature does not match the body',
		});

		const unsigned = await post('e2e-book-meeting', vectorBody, {});
		expect(unsigned.status).toBe(401);
		expect(await unsigned.json()).toEqual({ error: 'Missing x-vocode-signature header' });

		const outsideSchema = JSON.stringify({
			payload: { length: '2h', time: '10:35am', name: 'Ana' },
			call_id: 'c2',
		});
		const refused = await post('e2e-book-meeting', outsideSchema, {
			'x-vocode-signature': signBody(vectorSigningValue, outsideSchema),
		});
		expect(refused.status).toBe(400);
		expect(await refused.json()).toEqual({
			error: 'The payload does not match the input schema',
			problems: [expect.stringMatching(/^\/length: /), expect.stringMatching(/^\/time: /)],
		});

		// n8n parses application/json bodies itself and refuses broken JSON before any node runs; other types reach the trigger.
		const notJson = 'length=30m';
		const signedNotJson = { 'x-vocode-signature': signBody(vectorSigningValue, notJson) };
		expect((await post('e2e-book-meeting', notJson, signedNotJson)).status).toBe(422);
		const plainText = await post('e2e-book-meeting', notJson, {
			...signedNotJson,
			'content-type': 'text/plain',
		});
		expect(plainText.status).toBe(400);
		expect(await plainText.json()).toEqual({ error: 'The body is not JSON' });

		const noPayload = JSON.stringify({ call_id: 'c3' });
		const malformed = await post('e2e-book-meeting', noPayload, {
			'x-vocode-signature': signBody(vectorSigningValue, noPayload),
		});
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toEqual({ error: 'The body has no "payload" object' });

		// One accepted request after the refused ones: once it is recorded, nothing else may be.
		const accepted = await post('e2e-book-meeting', vectorBody, {
			'x-vocode-signature': vectorSignature,
		});
		expect(accepted.status).toBe(200);
		const executions = await settledExecutions(bookMeeting, before + 1);
		expect(executions).toHaveLength(before + 1);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	});

	test('with Respond "Using Respond to Webhook Node" the answer is what that node sends', async () => {
		const body = JSON.stringify({ payload: { name: 'Ana' }, call_id: 'c4' });
		const response = await post('e2e-respond-node', body, {
			'X-Agent-Signature': signBody(vectorSigningValue, body),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			result: { greeting: 'Hello Ana', call_id: 'c4' },
			agent_message: 'Hello Ana',
		});

		// The header option replaces x-vocode-signature.
		const vocodeHeader = await post('e2e-respond-node', body, {
			'x-vocode-signature': signBody(vectorSigningValue, body),
		});
		expect(vocodeHeader.status).toBe(401);
	});

	test('with Respond "Using Respond to Agent Node" the answer is {result, agent_message} from that node', async () => {
		const body = JSON.stringify({ payload: { name: 'Bea' }, call_id: 'c6' });
		const response = await post('e2e-respond-agent', body, {
			'x-vocode-signature': signBody(vectorSigningValue, body),
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await response.json()).toEqual({
			result: { greeting: 'Hi Bea', call_id: 'c6' },
			agent_message: 'Hi Bea, you are booked',
		});
	});

	test('the example workflow books the meeting Vocode asks for', async () => {
		const body = JSON.stringify({ payload: { length: '1hr', time: '10:30am' }, call_id: 'c5' });
		const response = await post('book-meeting', body, {
			'x-vocode-signature': signBody(vectorSigningValue, body),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			result: { booked: true, length: '1hr', time: '10:30am' },
			agent_message: 'You are booked for an hour at 10:30am.',
		});
	});

	test('a workflow that has not answered by the Answer Deadline: the agent gets the fallback then, the run goes on', async () => {
		const body = JSON.stringify({ payload: { length: '30m', time: '10:30am' }, call_id: 'c7' });
		const started = Date.now();
		const response = await post('e2e-slow-action', body, {
			'x-vocode-signature': signBody(vectorSigningValue, body),
		});
		const waited = Date.now() - started;
		expect(response.status).toBe(200);
		expect(response.headers.get('x-agent-action-fallback')).toBe('deadline');
		expect(await response.json()).toEqual({
			result: { queued: true },
			agent_message: 'I have noted it and will confirm shortly.',
		});
		// The deadline is 2 s; the workflow needs 4 s. Vocode would have waited 10.
		expect(waited).toBeGreaterThanOrEqual(1_900);
		expect(waited).toBeLessThan(3_900);
		// The late answer is dropped, not an error: the run finishes as a success.
		const [execution] = await settledExecutions(slowAction, 1);
		expect(execution.status).toBe('success');
		// And n8n answers the next agent request as before.
		const next = await post('e2e-book-meeting', vectorBody, {
			'x-vocode-signature': vectorSignature,
		});
		expect(next.status).toBe(200);
		expect(next.headers.get('x-agent-action-fallback')).toBeNull();
	});

	test('a last node without a "result" object: the agent gets the fallback instead of that item', async () => {
		const body = JSON.stringify({ payload: { length: '1hr', time: '11:00am' }, call_id: 'c8' });
		const response = await post('e2e-no-result', body, {
			'x-vocode-signature': signBody(vectorSigningValue, body),
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('x-agent-action-fallback')).toBe('invalid-answer');
		expect(await response.json()).toEqual({
			result: { completed: false },
			agent_message: "Sorry, I couldn't finish that just now.",
		});
	});

	test('an unusable input schema and a Respond to Webhook node that cannot answer stop activation, with both reasons', async () => {
		const reasons = [
			/Input schema must describe an object at its top level/,
			/Respond to Webhook version 1\.5.*use a Respond to Agent node/,
		];
		// n8n retries a failing activation a few times before it records the failure.
		let status = '';
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline && !reasons.every((reason) => reason.test(status))) {
			const response = await n8n.request(`/rest/workflows/${misconfiguredId}/publication-status`);
			expect(response.status).toBe(200);
			status = JSON.stringify(await response.json());
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		for (const reason of reasons) expect(status).toMatch(reason);
		const response = await post('e2e-misconfigured', vectorBody, {
			'x-vocode-signature': vectorSignature,
		});
		expect(response.status).toBe(404);
	});
});
