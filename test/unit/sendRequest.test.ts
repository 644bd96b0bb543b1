import type { IExecuteFunctions } from 'n8n-workflow';

import { prepareCommand } from '../../nodes/shared/commands/execute';
import { runCommand } from '../support/runCommand';
import {
	RESULT_ERROR,
	RESULT_SUCCESS,
	settleInterruptedRequests,
	settleRequest,
} from '../../nodes/shared/integrations/http/result';
import type { SendRequestInput } from '../../nodes/shared/integrations/http/commands/send_request.command';
import type { CommandArguments, CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import { parseBody } from '../../nodes/shared/transport/http';
import { compileInputSchema, InputSchemaError } from '../../nodes/shared/validation/inputSchema';
import { getAct } from '../store/reads';

const functions = {
	getNode: () => ({ name: 'Send HTTP Request' }),
} as unknown as IExecuteFunctions;

describe('send_request validation (before anything is stored or sent)', () => {
	let store: MemoryStore;
	let context: CommandContext;

	const prepare = async (args: CommandArguments) =>
		(
			await prepareCommand(context, {
				integrationIdn: 'http',
				commandIdn: 'send_request',
				connectorIdn: 'api',
				arguments: args,
			})
		).input as SendRequestInput;
	const rejects = async (args: CommandArguments, message: RegExp) => {
		await expect(prepare(args)).rejects.toThrow(message);
		await expect(store.listActs()).resolves.toEqual([]);
	};

	beforeEach(() => {
		store = new MemoryStore();
		context = { store, timezone: 'UTC', itemIndex: 2, functions };
	});

	test("Send Command's Persona ID reaches the request's userPersonaId", async () => {
		const prepared = await prepareCommand(context, {
			integrationIdn: 'http',
			commandIdn: 'send_request',
			connectorIdn: 'api',
			arguments: { method: 'GET', url: 'https://api.example.com/endpoint' },
			personaId: 'persona-9',
		});
		expect((prepared.input as SendRequestInput).recorded.userPersonaId).toBe('persona-9');
	});

	test("the seed's string arguments become the request: query, headers, exact JSON body bytes, timeout; async by default", async () => {
		const input = await prepare({
			method: 'post',
			url: 'https://api.example.com/endpoint',
			headers: '{"X-Test": "yes", "Authorization": "Bearer abc"}',
			parameters: '{"page": 2, "q": "x"}',
			body: '{"a":  1}',
			targetAction: 'check',
			params: '{"n": 1}',
			request_parameters: 'not json, kept as text',
			timeout: '2.5',
		});
		expect(input.request).toEqual({
			method: 'POST',
			url: 'https://api.example.com/endpoint',
			headers: { 'X-Test': 'yes', Authorization: 'Bearer abc', 'Content-Type': 'application/json' },
			query: { page: '2', q: 'x' },
			body: '{"a":  1}',
			timeoutMs: 2500,
		});
		expect(input.mode).toBe('async');
		expect(input.routing).toEqual({
			targetAction: 'check',
			runSkill: null,
			parameters: { page: '2', q: 'x' },
			params: { n: 1 },
			request_parameters: 'not json, kept as text',
			userPersonaId: null,
		});
		expect(input.recorded.headers).toEqual({
			'X-Test': 'yes',
			Authorization: '[redacted]',
			'Content-Type': 'application/json',
		});
	});

	test('form data is sent url-encoded; name / value pairs of a typed node read like JSON', async () => {
		const input = await prepare({
			method: 'PUT',
			url: 'http://127.0.0.1:1/form',
			bodyType: 'form',
			data: {
				pair: [
					{ name: 'a', value: '1 2' },
					{ name: 'b', value: 'x&y' },
				],
			},
			specifyHeaders: 'keypair',
			headers: { pair: [{ name: 'X-One', value: '1' }] },
			mode: 'sync',
		});
		expect(input.request.body).toBe('a=1+2&b=x%26y');
		expect(input.request.headers).toEqual({
			'X-One': '1',
			'Content-Type': 'application/x-www-form-urlencoded',
		});
		expect(input.mode).toBe('sync');
	});

	test.each([
		[{ method: 'GET', url: 'example.com/no-scheme' }, /Argument 'url' is not a valid URL/],
		[{ method: 'GET', url: 'file:///etc/passwd' }, /Argument 'url' must use http or https/],
		[
			{ method: 'FETCH', url: 'https://a.example' },
			/Argument 'method' must be one of GET, POST, PUT, DELETE, PATCH/,
		],
		[
			{ method: 'GET', url: 'https://a.example', headers: '{oops' },
			/Argument 'headers' is not valid JSON/,
		],
		[
			{ method: 'GET', url: 'https://a.example', headers: '["a"]' },
			/Argument 'headers' must be a JSON object/,
		],
		[
			{ method: 'GET', url: 'https://a.example', headers: '{"bad name": "x"}' },
			/invalid header name "bad name"/,
		],
		[
			{ method: 'GET', url: 'https://a.example', data: '{"a": "1"}' },
			/Argument 'data' cannot be sent with GET/,
		],
		[
			{ method: 'GET', url: 'https://a.example', body: '{"a": 1}' },
			/Argument 'body' cannot be sent with GET/,
		],
		[
			{ method: 'POST', url: 'https://a.example', body: '{"a": 1}', data: '{"b": "2"}' },
			/Argument 'data' cannot be sent together with body/,
		],
		[
			{ method: 'POST', url: 'https://a.example', body: '{"a": ' },
			/Argument 'body' is not valid JSON/,
		],
		[
			{ method: 'GET', url: 'https://a.example', timeout: '0' },
			/Argument 'timeout' must be greater than 0/,
		],
		[
			{ method: 'GET', url: 'https://a.example', mode: 'later' },
			/Argument 'mode' must be "sync" or "async"/,
		],
		[
			{
				method: 'GET',
				url: 'https://a.example',
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'slackApi',
			},
			/nodeCredentialType' must be one of agentTwilioApi, wtsChatApi/,
		],
		[
			{
				method: 'POST',
				url: 'https://a.example',
				body: '{"length": "2h"}',
				input_schema: '{"type": "object", "properties": {"length": {"enum": ["30m", "1hr"]}}}',
			},
			/Argument 'body' does not match the input schema: \/length: /,
		],
		[
			{ method: 'POST', url: 'https://a.example', body: '{}', input_schema: '{"type": "array"}' },
			/Argument 'input_schema' is unusable: must describe an object/,
		],
		[
			{ method: 'GET', url: 'https://a.example', input_schema: '{"type": "object"}' },
			/Argument 'input_schema' needs a JSON body/,
		],
	])('%j is rejected before anything is stored', async (args, message) => {
		await rejects(args, message);
	});

	test('the method and url are required, named in the error', async () => {
		await rejects({ url: 'https://a.example' }, /Argument 'method' is required/);
		await rejects({ method: 'GET' }, /Argument 'url' is required/);
	});
});

describe('input schema', () => {
	test('reports every problem with its location, and accepts a matching value', () => {
		const schema = compileInputSchema({
			type: 'object',
			properties: {
				length: { enum: ['30m', '1hr'] },
				time: { type: 'string', pattern: '^\\d{1,2}:\\d0(am|pm)$' },
			},
			required: ['length', 'time'],
		});
		expect(schema.problems({ length: '30m', time: '10:30am' })).toEqual([]);
		const problems = schema.problems({ length: '2h', time: '10:35am' });
		expect(problems).toHaveLength(2);
		expect(problems[0]).toMatch(/^\/length: /);
		expect(problems[1]).toMatch(/^\/time: .*pattern/);
		expect(schema.problems({})[0]).toMatch(/^\(root\): .*required/i);
	});

	test('a schema that is not an object schema, or not JSON, is an InputSchemaError', () => {
		expect(() => compileInputSchema('{"type": "string"}')).toThrow(InputSchemaError);
		expect(() => compileInputSchema('{nope')).toThrow(/not valid JSON/);
		expect(() => compileInputSchema([])).toThrow(/must be a JSON Schema object/);
	});
});

describe('response bodies', () => {
	test('JSON by content type or by look, else the text', () => {
		expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ a: 1 });
		expect(parseBody(Buffer.from('[1]'), 'text/plain')).toEqual([1]);
		expect(parseBody(Buffer.from('{not json'), 'text/plain')).toBe('{not json');
		expect(parseBody(Buffer.from(''), 'application/json')).toBe('');
		expect(parseBody(Buffer.from('plain'), undefined)).toBe('plain');
	});
});

describe('async results', () => {
	let store: MemoryStore;

	beforeEach(() => {
		store = new MemoryStore();
	});

	const sentAct = async (interruptedAfter: number) =>
		(
			await store.createActs([
				{
					integrationIdn: 'http',
					connectorIdn: 'api',
					commandIdn: 'send_request',
					arguments: {
						targetAction: 'check',
						runSkill: 'skill',
						parameters: { q: '1' },
						params: null,
						request_parameters: null,
						userPersonaId: 'p1',
					},
					status: 'sent',
					result: { inFlight: true, interruptedAfter, format: 'raw' },
				},
			])
		)[0];

	test('a request whose process stopped is settled as result_error "interrupted" once, after its deadline only', async () => {
		const act = await sentAct(10_000);
		await expect(settleInterruptedRequests(store, 9_999)).resolves.toBe(0);
		await expect(settleInterruptedRequests(store, 10_001)).resolves.toBe(1);
		await expect(settleInterruptedRequests(store, 20_000)).resolves.toBe(0);
		const [event] = await store.readEvents('reader');
		expect(event).toMatchObject({
			type: RESULT_ERROR,
			connectorIdn: 'api',
			payload: {
				event: RESULT_ERROR,
				errorCode: 'INTERRUPTED',
				commandActId: act.id,
				targetAction: 'check',
				runSkill: 'skill',
				parameters: { q: '1' },
			},
		});
		await expect(getAct(store, act.id)).resolves.toMatchObject({ status: 'failed' });
	});

	test('a result that arrives after the sweeper settled the act is dropped, not delivered twice', async () => {
		const act = await sentAct(0);
		await settleInterruptedRequests(store, 1);
		await expect(
			settleRequest(store, act, { event: RESULT_SUCCESS, statusCode: 200 }),
		).resolves.toBe(false);
		await expect(store.readEvents('reader')).resolves.toHaveLength(1);
	});

	test('in async mode the act is recorded as sent before the background request can settle it', async () => {
		const statusWhenSent: string[] = [];
		const httpRequest = jest.fn(async () => {
			const [pending] = await store.listActs();
			statusWhenSent.push(pending.status);
			return {
				statusCode: 200,
				headers: { 'content-type': 'application/json' },
				body: Buffer.from('{"ok":true}'),
			};
		});
		const asyncFunctions = {
			getNode: () => ({ name: 'Send HTTP Request' }),
			helpers: { httpRequest },
			logger: { error: jest.fn() },
		} as unknown as IExecuteFunctions;
		const act = await runCommand(
			{ store, timezone: 'UTC', itemIndex: 0, functions: asyncFunctions },
			{
				integrationIdn: 'http',
				commandIdn: 'send_request',
				connectorIdn: 'api',
				arguments: { method: 'GET', url: 'https://a.example' },
			},
		);
		expect(act.status).toBe('sent');
		await new Promise((resolve) => setImmediate(resolve));
		await new Promise((resolve) => setTimeout(resolve, 10));
		const settled = await getAct(store, act.id);
		expect(settled).toMatchObject({
			status: 'completed',
			result: { event: RESULT_SUCCESS, statusCode: 200, body: { ok: true } },
		});
		expect(statusWhenSent).toEqual(['sent']);
		await expect(store.readEvents('reader')).resolves.toHaveLength(1);
	});
});
