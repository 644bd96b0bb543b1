import type { IncomingHttpHeaders } from 'node:http';

import type {
	ICredentialTestFunctions,
	IHookFunctions,
	INode,
	IWebhookFunctions,
	NodeTypeAndVersion,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AgentActionTrigger } from '../../nodes/AgentActionTrigger/AgentActionTrigger.node';
import {
	checkAgentRequest,
	normaliseHeaderName,
	parseAgentBody,
	type AgentRequest,
} from '../../nodes/AgentActionTrigger/agentRequest';
import { configurationProblems } from '../../nodes/AgentActionTrigger/configuration';
import { signBody } from '../../nodes/shared/transport/signing';
import { requestSigningSecretTest } from '../../nodes/shared/transport/signingCredentialTest';

// The Vocode test vector of shared/specs/APIS.md: Python's json.dumps output, \u escape included.
const vectorSigningValue = ['MX/9/+iblnUoAAM2Jft8sgeY1', 'bevJvuih2nr7XKPHIY='].join('');
const vectorBody = String.raw`{"payload": {"length": "30m", "time": "10:30am", "name": "Jo\u00e3o"}, "call_id": "c1"}`;
const vectorSignature = ['q87i2EFv4mLmQu2B6qBM0wF0zX6r', 'owI7PpDtQKJhX0M='].join('');

const MEETING_SCHEMA = JSON.stringify({
	type: 'object',
	properties: {
		length: { type: 'string', enum: ['30m', '1hr'] },
		time: { type: 'string', pattern: '^\\d{1,2}:\\d0[ap]m$' },
	},
	required: ['length', 'time'],
});

function request(overrides: Partial<AgentRequest> = {}, body: string = vectorBody): AgentRequest {
	return {
		secret: vectorSigningValue,
		rawBody: Buffer.from(body, 'utf8'),
		headers: { 'x-vocode-signature': signBody(vectorSigningValue, body) },
		signatureHeader: 'x-vocode-signature',
		inputSchema: '',
		...overrides,
	};
}

describe('Agent Action Trigger: the signature', () => {
	test('the APIS.md test vector is accepted over its exact bytes', () => {
		expect(signBody(vectorSigningValue, vectorBody)).toBe(vectorSignature);
		const check = checkAgentRequest(
			request({ headers: { 'x-vocode-signature': vectorSignature } }),
		);
		expect(check).toEqual({
			ok: true,
			action: { payload: { length: '30m', time: '10:30am', name: 'João' }, call_id: 'c1' },
		});
	});

	test('the same JSON re-serialised is refused: only the raw bytes count', () => {
		const reserialised = JSON.stringify(JSON.parse(vectorBody));
		const check = checkAgentRequest(
			request({
				rawBody: Buffer.from(reserialised),
				headers: { 'x-vocode-signature': vectorSignature },
			}),
		);
		expect(check).toMatchObject({ ok: false, status: 401 });
	});

	test('a forged, a missing and an empty signature are 401 with a JSON reason', () => {
		const forged = signBody(Buffer.from('another secret').toString('base64'), vectorBody);
		expect(checkAgentRequest(request({ headers: { 'x-vocode-signature': forged } }))).toEqual({
			ok: false,
			status: 401,
			body: { error: 'The x-vocode-signature signature does not match the body' },
		});
		expect(checkAgentRequest(request({ headers: {} }))).toEqual({
			ok: false,
			status: 401,
			body: { error: 'Missing x-vocode-signature header' },
		});
		expect(checkAgentRequest(request({ headers: { 'x-vocode-signature': ' ' } }))).toMatchObject({
			status: 401,
		});
		expect(checkAgentRequest(request({ rawBody: undefined }))).toMatchObject({ status: 401 });
	});

	test('another header name is read lower-cased, as Node keeps headers', () => {
		expect(normaliseHeaderName(' X-Agent-Signature ')).toBe('x-agent-signature');
		expect(normaliseHeaderName('')).toBe('x-vocode-signature');
		expect(normaliseHeaderName(undefined)).toBe('x-vocode-signature');
		const headers: IncomingHttpHeaders = { 'x-agent-signature': vectorSignature };
		expect(
			checkAgentRequest(request({ headers, signatureHeader: 'x-agent-signature' })),
		).toMatchObject({ ok: true });
		expect(checkAgentRequest(request({ headers }))).toMatchObject({ status: 401 });
	});

	test("a credential without a base64 secret is the server's fault (500), and the secret is never echoed", () => {
		for (const secret of [undefined, '', 'not base64!']) {
			const check = checkAgentRequest(request({ secret }));
			expect(check).toMatchObject({ ok: false, status: 500 });
			expect(JSON.stringify(check)).not.toContain('not base64!');
		}
	});
});

describe('Agent Action Trigger: the body', () => {
	test('needs a JSON object with a payload object; call_id is a string or absent', () => {
		expect(parseAgentBody(Buffer.from('not json'))).toEqual({ problem: 'The body is not JSON' });
		expect(parseAgentBody(Buffer.from('[1]')).problem).toMatch(/JSON object/);
		expect(parseAgentBody(Buffer.from('{"call_id":"c1"}'))).toEqual({
			problem: 'The body has no "payload" object',
		});
		expect(parseAgentBody(Buffer.from('{"payload":[1]}'))).toEqual({
			problem: 'The body has no "payload" object',
		});
		expect(parseAgentBody(Buffer.from('{"payload":null}'))).toEqual({
			problem: 'The body has no "payload" object',
		});
		expect(parseAgentBody(Buffer.from('{"payload":{},"call_id":7}'))).toEqual({
			problem: '"call_id" must be a string',
		});
		expect(parseAgentBody(Buffer.from('{"payload":{"a":1}}'))).toEqual({
			action: { payload: { a: 1 }, call_id: null },
		});
	});

	test('a signed body that breaks those rules is 400', () => {
		const body = '{"payload": "30m"}';
		expect(checkAgentRequest(request({}, body))).toEqual({
			ok: false,
			status: 400,
			body: { error: 'The body has no "payload" object' },
		});
		expect(checkAgentRequest(request({}, 'plain text'))).toEqual({
			ok: false,
			status: 400,
			body: { error: 'The body is not JSON' },
		});
	});
});

describe('Agent Action Trigger: the input schema', () => {
	test('a matching payload passes; a schema given as an object works too', () => {
		expect(checkAgentRequest(request({ inputSchema: MEETING_SCHEMA }))).toMatchObject({ ok: true });
		expect(
			checkAgentRequest(request({ inputSchema: JSON.parse(MEETING_SCHEMA) as object })),
		).toMatchObject({ ok: true });
	});

	test('a payload that does not match is 400 with every reason', () => {
		const body = JSON.stringify({ payload: { length: '2h', time: '10:35am' }, call_id: 'c2' });
		const check = checkAgentRequest(request({ inputSchema: MEETING_SCHEMA }, body));
		expect(check).toMatchObject({
			ok: false,
			status: 400,
			body: { error: 'The payload does not match the input schema' },
		});
		const problems = check.ok ? [] : (check.body.problems ?? []);
		expect(problems).toEqual([
			expect.stringMatching(/^\/length: /),
			expect.stringMatching(/^\/time: /),
		]);
	});

	test('an unusable schema is 500 and says why; an unsigned caller still only learns 401', () => {
		expect(checkAgentRequest(request({ inputSchema: '{"type": "object",' }))).toMatchObject({
			status: 500,
			body: { error: expect.stringMatching(/^Input schema is not valid JSON/) },
		});
		expect(checkAgentRequest(request({ inputSchema: '{"type": "string"}' }))).toMatchObject({
			status: 500,
			body: { error: expect.stringMatching(/top level/) },
		});
		expect(
			checkAgentRequest(request({ inputSchema: '{"type": "string"}', headers: {} })),
		).toMatchObject({ status: 401 });
	});
});

const respondNode = (typeVersion: number, disabled = false): NodeTypeAndVersion => ({
	name: 'Respond to Webhook',
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion,
	disabled,
});

describe('Agent Action Trigger: configuration checked at activation', () => {
	const good = {
		secret: vectorSigningValue,
		inputSchema: MEETING_SCHEMA,
		responseMode: 'lastNode' as const,
		childNodes: [],
		options: {},
	};

	test('a usable configuration has no problems', () => {
		expect(configurationProblems(good)).toEqual([]);
		expect(
			configurationProblems({
				...good,
				responseMode: 'responseNode',
				childNodes: [respondNode(1)],
			}),
		).toEqual([]);
	});

	test('a bad secret, a bad schema and a missing or unsuitable Respond to Webhook node are named', () => {
		expect(configurationProblems({ ...good, secret: 'not base64!' })).toEqual([
			expect.stringMatching(/base64 secret/),
		]);
		expect(configurationProblems({ ...good, inputSchema: '[]' })).toEqual([
			expect.stringMatching(/^Input schema/),
		]);
		expect(configurationProblems({ ...good, responseMode: 'responseNode' })).toEqual([
			expect.stringMatching(/no Respond to Agent node follows/),
		]);
		expect(
			configurationProblems({
				...good,
				responseMode: 'responseNode',
				childNodes: [respondNode(1, true)],
			}),
		).toHaveLength(1);
		expect(
			configurationProblems({
				...good,
				responseMode: 'responseNode',
				childNodes: [respondNode(1.5)],
			}),
		).toEqual([expect.stringMatching(/version 1\.5.*use a Respond to Agent node/)]);
	});

	test('a Respond to Agent node answers, whatever prefix n8n gives the package', () => {
		for (const type of ['n8n-nodes-agent-connectors.respondToAgent', 'CUSTOM.respondToAgent']) {
			const respondToAgent = { name: 'Respond to Agent', type, typeVersion: 1, disabled: false };
			expect(
				configurationProblems({
					...good,
					responseMode: 'responseNode',
					childNodes: [respondToAgent],
				}),
			).toEqual([]);
		}
	});
});

describe('Request Signing credential test', () => {
	const testWith = async (secret: unknown) =>
		await requestSigningSecretTest.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'signing',
			type: 'requestSigningApi',
			data: { secret } as never,
		});

	test('accepts the base64 secret the platform shows and refuses anything else without repeating it', async () => {
		expect(await testWith(vectorSigningValue)).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
		for (const secret of ['', 'has spaces in it', 'abc', undefined, 42]) {
			const result = await testWith(secret);
			expect(result.status).toBe('Error');
			if (typeof secret === 'string' && secret !== '') expect(result.message).not.toContain(secret);
		}
	});
});

const node: INode = {
	id: 'agent-action',
	name: 'Agent Action Trigger',
	type: 'n8n-nodes-agent-connectors.agentActionTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

interface Written {
	status?: number;
	headers?: Record<string, string>;
	body?: string;
}

/** The parts of n8n's webhook context the node uses, over a request n8n has already read. */
function webhookContext(
	parameters: Record<string, unknown>,
	headers: IncomingHttpHeaders,
	body: string,
	written: Written,
): IWebhookFunctions {
	const rawBody = Buffer.from(body);
	return {
		getNode: () => node,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async () => ({ secret: vectorSigningValue }),
		getRequestObject: () => ({ headers, rawBody, readRawBody: async () => undefined }),
		getResponseObject: () => ({
			writeHead: (status: number, responseHeaders: Record<string, string>) =>
				Object.assign(written, { status, headers: responseHeaders }),
			end: (text: string) => Object.assign(written, { body: text }),
			write: () => true,
			setHeader: () => undefined,
			removeHeader: () => undefined,
			getHeaderNames: () => [],
			once: () => undefined,
			headersSent: false,
			writableEnded: false,
			statusCode: 200,
		}),
		logger: { warn: () => undefined },
	} as unknown as IWebhookFunctions;
}

describe('Agent Action Trigger node', () => {
	const trigger = new AgentActionTrigger();

	test('declares a POST webhook whose answer follows the Respond parameter', () => {
		expect(trigger.description.webhooks).toEqual([
			expect.objectContaining({
				httpMethod: 'POST',
				isFullPath: true,
				responseMode: '={{$parameter["responseMode"]}}',
			}),
		]);
		expect(trigger.description.credentials).toEqual([
			{ name: 'requestSigningApi', required: true, testedBy: 'requestSigningSecretTest' },
		]);
		expect(trigger.methods.credentialTest.requestSigningSecretTest).toBe(requestSigningSecretTest);
	});

	test('a signed request becomes one item {payload, call_id}', async () => {
		const written: Written = {};
		const result = await trigger.webhook.call(
			webhookContext({}, { 'x-vocode-signature': vectorSignature }, vectorBody, written),
		);
		expect(result).toEqual({
			workflowData: [
				[{ json: { payload: { length: '30m', time: '10:30am', name: 'João' }, call_id: 'c1' } }],
			],
		});
		expect(written).toEqual({});
	});

	test('a refused request is answered by the node and starts nothing', async () => {
		const written: Written = {};
		const result = await trigger.webhook.call(
			webhookContext(
				{ inputSchema: MEETING_SCHEMA },
				{ 'x-vocode-signature': 'AAAA' },
				vectorBody,
				written,
			),
		);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(401);
		expect(written.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
		expect(JSON.parse(written.body ?? '')).toEqual({
			error: 'The x-vocode-signature signature does not match the body',
		});
	});

	test('activation fails with every configuration problem', async () => {
		const context = {
			getNode: () => node,
			getNodeParameter: (name: string, fallback?: unknown) =>
				({ inputSchema: '{"type":"array"}', responseMode: 'responseNode' })[name] ?? fallback,
			getCredentials: async () => ({ secret: vectorSigningValue }),
			getChildNodes: () => [respondNode(1.5)],
		} as unknown as IHookFunctions;
		const activation = trigger.webhookMethods.default.create.call(context);
		await expect(activation).rejects.toThrow(NodeOperationError);
		await expect(activation).rejects.toThrow(
			/Input schema .*; "Respond to Webhook" is Respond to Webhook version 1\.5/,
		);
	});
});
