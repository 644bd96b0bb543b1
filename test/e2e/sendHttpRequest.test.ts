import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import type { Act } from '../../nodes/shared/store/types';
import { verifySignature } from '../../nodes/shared/transport/signing';
import { freePort, N8nInstance, outputOf, type WorkflowJson } from '../support/n8n';
import { RecordingServer, type RecordedRequest, type Reply } from '../support/recordingServer';
import { getAct } from '../store/reads';

jest.setTimeout(300_000);

// The Vocode test vector of APIS.md: its secret, and the exact bytes it signs.
const vectorSigningValue = 'MX/9/+iblnUoAAM2Jft8sgeY1bevJvuih2nr7XKPHIY=';

const never = new Promise<Reply>(() => undefined);

function api(request: RecordedRequest): Reply | Promise<Reply> {
	const path = new URL(request.url, 'http://local').pathname;
	switch (path) {
		case '/ok':
			return { status: 200, body: { hello: 'world', method: request.method } };
		case '/notfound':
			return { status: 404, body: { error: 'no such thing' } };
		case '/boom':
			return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'boom' };
		case '/slow':
			return new Promise((resolve) =>
				setTimeout(() => resolve({ status: 200, body: { late: true } }), 3000),
			);
		case '/hang':
			return never;
		case '/agent': {
			if (
				!verifySignature(
					vectorSigningValue,
					request.body,
					request.headers['x-vocode-signature'] as string | undefined,
				)
			) {
				return { status: 401, body: { error: 'bad signature' } };
			}
			const { payload } = JSON.parse(request.body.toString('utf8')) as {
				payload: Record<string, string>;
			};
			return {
				status: 200,
				body: {
					result: { booked: true, slot: payload.time },
					agent_message: `Booked for ${payload.name}`,
				},
			};
		}
		default:
			return { status: 404, body: { error: 'unknown path' } };
	}
}

function workflowFrom(file: string, replacements: Record<string, string>): WorkflowJson {
	let text = readFileSync(join(__dirname, 'workflows', file), 'utf8');
	for (const [placeholder, value] of Object.entries(replacements))
		text = text.split(placeholder).join(value);
	return JSON.parse(text) as WorkflowJson;
}

const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number) => {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await condition()) return true;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return false;
};

describe('Send HTTP Request and HTTP Result Trigger in a real n8n', () => {
	let n8n: N8nInstance;
	let server: RecordingServer;
	let store: SqliteStore;
	let refusedUrl: string;
	let signingCredentialId: string;

	const arrived = (path: string) =>
		server.requests.filter((request) => request.url.startsWith(path));
	const recordedResults = async (): Promise<Array<Record<string, unknown> & { act: Act }>> =>
		(await store.listActs({ connectorIdn: 'result_runs', limit: 1000 })).map((act) => ({
			...act.arguments,
			act,
		}));

	const runInServer = async (workflowId: string) => {
		const started = await n8n.request(`/rest/workflows/${workflowId}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ triggerToStartFrom: { name: 'Manual Trigger' } }),
		});
		expect(started.status).toBe(200);
	};

	beforeAll(async () => {
		server = await RecordingServer.start(api);
		// Nothing listens there: connections are refused.
		refusedUrl = `http://127.0.0.1:${await freePort()}`;
		n8n = await N8nInstance.create();
		await n8n.activate(
			await n8n.importWorkflow(join(__dirname, 'workflows', 'http-result-observer.json')),
		);
		await n8n.start();
		await n8n.setupOwner();
		const created = await n8n.request('/rest/credentials', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'E2E signing secret',
				type: 'requestSigningApi',
				data: { secret: vectorSigningValue },
			}),
		});
		expect(created.status).toBe(200);
		signingCredentialId = ((await created.json()) as { data: { id: string } }).data.id;
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
		await server?.close();
	});

	test('sync: 200, 404 and 500 on Success, refused and timed out on Error; Send Command sends the same request; a signed request is verified', async () => {
		const workflow = workflowFrom('send-http-request-sync.json', {
			__BASE__: server.baseUrl,
			__REFUSED__: refusedUrl,
			__SIGNING_CREDENTIAL__: signingCredentialId,
		});
		const execution = await n8n.execute(await n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const success = outputOf(execution, 'Send HTTP Request', 0);
		const failure = outputOf(execution, 'Send HTTP Request', 1);
		expect(
			success.map((item) => [item.json.targetAction, item.json.statusCode, item.pairedItem]),
		).toEqual([
			['check_ok', 200, { item: 0 }],
			['check_not_found', 404, { item: 1 }],
			['check_server_error', 500, { item: 2 }],
		]);
		expect(success[0].json).toMatchObject({
			event: 'result_success',
			body: { hello: 'world', method: 'POST' },
			errorMessage: null,
			params: { page: 1 },
			commandActId: expect.any(String),
			referenceIdn: expect.any(String),
		});
		expect(success[2].json.body).toBe('boom');
		expect(
			failure.map((item) => [
				item.json.targetAction,
				item.json.event,
				item.json.errorCode,
				item.pairedItem,
			]),
		).toEqual([
			['check_refused', 'result_error', 'ECONNREFUSED', { item: 3 }],
			['check_slow', 'result_error', 'ETIMEDOUT', { item: 4 }],
		]);
		expect(failure[1].json.errorMessage).toBe('The request timed out after 1 s');

		// What reached the server: the body bytes, query, headers, for each request.
		const ok = arrived('/ok?');
		expect(ok).toHaveLength(2);
		for (const request of ok) {
			expect(request.method).toBe('POST');
			expect(request.url).toBe('/ok?x=1&item=ok');
			expect(request.headers['x-test']).toBe('yes');
			expect(request.headers['content-type']).toBe('application/json');
			expect(request.body.toString()).toBe('{"name":"ok"}');
		}
		// Send Command with the seed's strings records the same act as the node.
		const viaCommand = outputOf(execution, 'Send Command')[0].json;
		expect(viaCommand).toMatchObject({
			integrationIdn: 'http',
			commandIdn: 'send_request',
			status: 'completed',
		});
		const [nodeAct, commandAct] = await Promise.all([
			getAct(store, String(success[0].json.commandActId)),
			getAct(store, String(viaCommand.actId)),
		]);
		expect(commandAct?.arguments).toEqual(nodeAct?.arguments);
		// The bearer token reached the server but is never stored.
		expect(ok[0].headers.authorization).toBe('Bearer not-a-real-token');
		expect(nodeAct?.arguments.headers).toMatchObject({
			Authorization: '[redacted]',
			'X-Test': 'yes',
		});

		const signed = outputOf(execution, 'Signed Request', 0);
		expect(signed).toHaveLength(1);
		expect(signed[0].json).toMatchObject({
			statusCode: 200,
			result: { booked: true, slot: '10:30am' },
			agent_message: 'Booked for João',
		});
		expect(arrived('/agent')[0].headers['x-vocode-signature']).toBe(
			'q87i2EFv4mLmQu2B6qBM0wF0zX6rowI7PpDtQKJhX0M=',
		);
	});

	test('bad input: each case names its field and item and sends nothing; without Continue On Fail one bad item stops the node before any request', async () => {
		const execution = await n8n.execute(
			await n8n.importWorkflow(
				workflowFrom('send-http-request-bad-input.json', { __BASE__: server.baseUrl }),
			),
		);
		const items = outputOf(execution, 'Send Command').map((item) => item.json);
		expect(items.slice(0, 4).map((item) => item.error)).toEqual([
			expect.stringMatching(
				/^Argument 'url' is not a valid URL: "not a url" \(field 'url', item 0\)$/,
			),
			expect.stringMatching(
				/^Argument 'headers' is not valid JSON: .* \(field 'headers', item 1\)$/,
			),
			expect.stringMatching(/^Argument 'data' cannot be sent with GET \(field 'data', item 2\)$/),
			expect.stringMatching(
				/^Argument 'body' does not match the input schema: \/length: .* \(field 'body', item 3\)$/,
			),
		]);
		expect(items[4]).toMatchObject({
			status: 'completed',
			result: expect.objectContaining({ statusCode: 200 }),
		});
		for (const path of ['/bad-headers', '/bad-form', '/bad-schema'])
			expect(arrived(path)).toHaveLength(0);

		expect(execution.ok).toBe(false);
		expect(execution.error?.message).toMatch(
			/Argument 'url' must use http or https, got "ftp:" \(field 'url', item 3\)/,
		);
		expect(arrived('/must-not-arrive')).toHaveLength(0);
	});

	test('async: the node outputs the act at once and the HTTP Result Trigger filtered by targetAction gets the one matching result', async () => {
		const workflowId = await n8n.importWorkflow(
			workflowFrom('send-http-request-async.json', {
				__BASE__: server.baseUrl,
				__MATCH__: 'e2e_match_async',
			}),
		);
		await runInServer(workflowId);
		expect(
			await waitFor(
				async () =>
					(await recordedResults()).some((result) => result.targetAction === 'e2e_match_async'),
				30_000,
			),
		).toBe(true);
		// Give the non-matching result (there must be none) and a duplicate time to show up.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const results = await recordedResults();
		expect(results.filter((result) => result.targetAction === 'e2e_other')).toHaveLength(0);
		const matching = results.filter((result) => result.targetAction === 'e2e_match_async');
		expect(matching).toHaveLength(1);
		expect(matching[0]).toMatchObject({
			event: 'result_success',
			statusCode: 200,
			body: { hello: 'world', method: 'GET' },
			runSkill: 'follow_up',
			userPersonaId: 'persona-http',
			connectorIdn: 'http',
		});
		const sent = await getAct(store, String(matching[0].commandActId));
		expect(sent).toMatchObject({
			integrationIdn: 'http',
			commandIdn: 'send_request',
			status: 'completed',
			personaId: 'persona-http',
		});
		// Both requests went out; only the matching one started the observer.
		const other = (await store.listActs({ integrationIdn: 'http', limit: 1000 })).find(
			(act) => act.arguments.targetAction === 'e2e_other',
		);
		expect(other?.status).toBe('completed');
	});

	test("in the editor's listen-for-test-event mode the HTTP Result Trigger runs its workflow on the next matching result", async () => {
		const listener = workflowFrom('http-result-observer.json', {});
		listener.id = 'e2eHttpListener1';
		listener.name = 'E2E: HTTP Result Trigger, listening for a test event';
		const trigger = listener.nodes[0].parameters as { targetAction: string };
		trigger.targetAction = 'e2e_listen';
		const recorder = listener.nodes[1].parameters as { connectorIdn: string };
		recorder.connectorIdn = 'listen_runs';
		const listenerId = await n8n.importWorkflow(listener);
		const started = await n8n.request(`/rest/workflows/${listenerId}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ triggerToStartFrom: { name: 'HTTP Result Trigger' } }),
		});
		expect(started.status).toBe(200);

		const sender = workflowFrom('send-http-request-async.json', {
			__BASE__: server.baseUrl,
			__MATCH__: 'e2e_listen',
		});
		sender.id = 'e2eHttpAsyncList1';
		await runInServer(await n8n.importWorkflow(sender));
		const heard = async () => (await store.listActs({ connectorIdn: 'listen_runs' })).length > 0;
		expect(await waitFor(heard, 30_000)).toBe(true);
		const [act] = await store.listActs({ connectorIdn: 'listen_runs' });
		expect(act.arguments).toMatchObject({
			event: 'result_success',
			targetAction: 'e2e_listen',
			statusCode: 200,
		});
	});

	test('a request in flight when n8n is killed ends as result_error "interrupted" after the restart', async () => {
		const workflow = workflowFrom('send-http-request-async.json', {
			__BASE__: server.baseUrl,
			__MATCH__: 'e2e_match_interrupted',
		});
		workflow.id = 'e2eHttpAsyncHang1';
		const requests = workflow.nodes[1].parameters as { jsonOutput: string };
		requests.jsonOutput = JSON.stringify({
			requests: [{ targetAction: 'e2e_match_interrupted', path: '/hang', timeout: 5 }],
		});
		await runInServer(await n8n.importWorkflow(workflow));
		expect(await waitFor(async () => arrived('/hang').length > 0, 30_000)).toBe(true);

		await n8n.kill();
		await n8n.start();
		expect(
			await waitFor(
				async () =>
					(await recordedResults()).some(
						(result) => result.targetAction === 'e2e_match_interrupted',
					),
				60_000,
			),
		).toBe(true);
		const [interrupted] = (await recordedResults()).filter(
			(result) => result.targetAction === 'e2e_match_interrupted',
		);
		expect(interrupted).toMatchObject({
			event: 'result_error',
			errorCode: 'INTERRUPTED',
			statusCode: null,
		});
		expect(String(interrupted.errorMessage)).toMatch(/^interrupted/);
		expect((await getAct(store, String(interrupted.commandActId)))?.status).toBe('failed');
	});
});
