import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Schema } from '@cfworker/json-schema';

import {
	TWILIO_FIXTURES_DIR,
	TWILIO_OVERLAYS,
	TWILIO_SPEC_FILES,
	TwilioServer,
	type TwilioRequest,
} from '../support/twilioServer';

const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const OTHER_ACCOUNT_SID = `AC${'0'.repeat(31)}2`;
const ACCOUNT_TOKEN = 'dummy-account-token';
const API_SID = `SK${'0'.repeat(31)}1`;
const API_PASSWORD = 'dummy-example-password';
const CALLS = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const SERVICE_SID = `MG${'a'.repeat(32)}`;

type Form = Record<string, string | string[]>;

interface Sent {
	status: number;
	headers: Headers;
	body: Record<string, unknown>;
}

describe('Twilio test server', () => {
	let server: TwilioServer;

	beforeEach(async () => {
		server = await TwilioServer.start({
			accountSid: ACCOUNT_SID,
			authToken: ACCOUNT_TOKEN,
			apiKeys: [{ sid: API_SID, secret: API_PASSWORD }],
		});
	});

	afterEach(async () => {
		await server.close();
	});

	function basic(user: string, password: string): string {
		return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
	}

	function encode(form: Form): string {
		const search = new URLSearchParams();
		for (const [key, value] of Object.entries(form))
			for (const item of [value].flat()) search.append(key, item);
		return search.toString();
	}

	async function send(
		method: string,
		path: string,
		form?: Form,
		init: { authorization?: string | null; contentType?: string; body?: string } = {},
	): Promise<Sent> {
		const headers: Record<string, string> = {};
		const authorization =
			init.authorization === undefined ? basic(ACCOUNT_SID, ACCOUNT_TOKEN) : init.authorization;
		if (authorization !== null) headers.authorization = authorization;
		const body = init.body ?? (form === undefined ? undefined : encode(form));
		if (body !== undefined)
			headers['content-type'] = init.contentType ?? 'application/x-www-form-urlencoded';
		const response = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
		};
	}

	const greeting: Form = {
		To: '+15005550006',
		From: '+15005550001',
		Twiml: '<Response><Say>Hello</Say></Response>',
	};

	function responseErrors(
		request: TwilioRequest | undefined,
		status: number,
		body: unknown,
	): string[] {
		const operation = server.operation(request?.operationId ?? '');
		return operation?.responseErrors(status, body) ?? ['no operation'];
	}

	test('the fixture specs are byte-identical to the files LICENSE-NOTE.md names', () => {
		const note = readFileSync(join(TWILIO_FIXTURES_DIR, 'LICENSE-NOTE.md'), 'utf8');
		for (const file of TWILIO_SPEC_FILES) {
			const recorded = new RegExp(
				`^\\| ${file.replace('.', '\\.')} \\| ([0-9a-f]{64}) \\|`,
				'm',
			).exec(note)?.[1];
			const actual = createHash('sha256')
				.update(readFileSync(join(TWILIO_FIXTURES_DIR, file)))
				.digest('hex');
			expect({ file, sha256: actual }).toEqual({ file, sha256: recorded });
		}
		expect(note).toContain('Copyright (C) 2023, Twilio, Inc. <help@twilio.com>');
	});

	test('Calls.create: a correct request answers a queued Call resource shaped by the spec', async () => {
		const created = await send('POST', CALLS, {
			...greeting,
			StatusCallback: 'https://example.com/status',
			StatusCallbackEvent: ['initiated', 'answered', 'completed'],
			MachineDetection: 'DetectMessageEnd',
			Timeout: '30',
			Record: 'true',
			SendDigits: 'ww1234#',
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			sid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
			account_sid: ACCOUNT_SID,
			status: 'queued',
			to: '+15005550006',
			from: '+15005550001',
			direction: 'outbound-api',
			api_version: '2010-04-01',
		});
		const sid = created.body.sid as string;
		expect(created.body.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${sid}.json`);
		expect(responseErrors(server.requests[0], 201, created.body)).toEqual([]);
		expect(created.headers.get('twilio-request-id')).toMatch(/^RQ[0-9a-f]{32}$/);

		const fetched = await send('GET', `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${sid}.json`);
		expect(fetched.body).toMatchObject({
			sid,
			status: 'in-progress',
			start_time: expect.stringMatching(/\+0000$/),
		});
		expect(server.calls.get(sid)?.twiml).toBe(greeting.Twiml);
		expect(server.requestsTo('POST', '/Calls.json')).toHaveLength(1);
		expect(server.requestsFor('FetchCall')).toHaveLength(1);
		expect(server.violations).toEqual([]);
		expect(() => server.assertNoViolations()).not.toThrow();
	});

	test.each([
		['an unknown parameter', { ...greeting, Foo: 'bar' }, 20001, 'Foo', 'spec'],
		[
			'a bad enum in a list',
			{ ...greeting, StatusCallbackEvent: ['initiated', 'bogus'] },
			20001,
			'StatusCallbackEvent',
			'documented',
		],
		[
			'a value the description rules out',
			{ ...greeting, MachineDetection: 'Maybe' },
			20001,
			'MachineDetection',
			'documented',
		],
		['a bad enum of the schema', { ...greeting, Method: 'PUT' }, 20001, 'Method', 'spec'],
		['a missing To', { From: greeting.From, Twiml: greeting.Twiml }, 21201, 'To', 'spec'],
		['a missing From', { To: greeting.To, Twiml: greeting.Twiml }, 21213, 'From', 'spec'],
		['a non-integer Timeout', { ...greeting, Timeout: 'soon' }, 20001, 'Timeout', 'spec'],
		['a Timeout over 600', { ...greeting, Timeout: '601' }, 20001, 'Timeout', 'documented'],
		['a non-boolean Record', { ...greeting, Record: 'yes' }, 20001, 'Record', 'spec'],
		[
			'a relative StatusCallback',
			{ ...greeting, StatusCallback: '/status' },
			20001,
			'StatusCallback',
			'spec',
		],
		[
			'an ApplicationSid off its pattern',
			{ ...greeting, ApplicationSid: 'AP123' },
			20001,
			'ApplicationSid',
			'spec',
		],
		[
			'digits Twilio cannot send',
			{ ...greeting, SendDigits: '12x' },
			20001,
			'SendDigits',
			'documented',
		],
		['a "+" sent unencoded', { ...greeting, To: ' 15005550006' }, 20001, 'To', 'documented'],
		['neither Url nor Twiml', { To: greeting.To, From: greeting.From }, 20001, 'Url', 'documented'],
		[
			'a repeated key that is not a list',
			{ ...greeting, From: ['+15005550001', '+15005550002'] },
			20001,
			'From',
			'spec',
		],
	])(
		'Calls.create refuses %s: 400, recorded, no call placed',
		async (_case, form, code, parameter, source) => {
			const answer = await send('POST', CALLS, form);
			expect(answer.status).toBe(400);
			expect(answer.body).toMatchObject({
				code,
				status: 400,
				more_info: `https://www.twilio.com/docs/errors/${code}`,
			});
			expect(answer.body.message).toContain(parameter);
			expect(server.violations).toEqual([
				expect.objectContaining({
					request: `POST ${CALLS}`,
					operationId: 'CreateCall',
					parameter,
					source,
					code,
				}),
			]);
			expect(server.calls.size).toBe(0);
			expect(() => server.assertNoViolations()).toThrow(
				/1 request\(s\) Twilio's spec refuses:\n {2}POST .*Calls\.json: /,
			);
		},
	);

	test('a wrong path is 404 and a wrong method 405, both recorded', async () => {
		const wrongPath = await send('POST', `/2010-04-01/Accounts/${ACCOUNT_SID}/Call.json`, greeting);
		expect(wrongPath.status).toBe(404);
		expect(wrongPath.body).toMatchObject({ code: 20404, status: 404 });
		const withoutJson = await send('GET', `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls`);
		expect(withoutJson.status).toBe(404);
		const wrongMethod = await send('PUT', CALLS, greeting);
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.body).toMatchObject({ code: 20004, status: 405 });
		expect(server.violations.map((violation) => [violation.location, violation.status])).toEqual([
			['route', 404],
			['route', 404],
			['route', 405],
		]);
		expect(server.violations[2]?.message).toContain('the spec has GET, POST');
	});

	test('path parameters must match their pattern, query parameters must exist', async () => {
		const badSid = await send('GET', `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/CA123.json`);
		expect(badSid.status).toBe(400);
		expect(server.violations[0]).toMatchObject({ location: 'path', parameter: 'Sid' });
		expect(server.violations[0]?.message).toContain('^CA[0-9a-fA-F]{32}$');

		server.clearRecords();
		const list = await send('GET', `${CALLS}?Status=completed&PageSize=20`);
		expect(list.status).toBe(200);
		const badQuery = await send('GET', `${CALLS}?Sort=desc&PageSize=5000`);
		expect(badQuery.status).toBe(400);
		expect(server.violations.map((violation) => [violation.location, violation.parameter])).toEqual(
			[
				['query', 'PageSize'],
				['query', 'Sort'],
			],
		);
	});

	test('Basic auth: the account token, or an API key with the account in the path; Twilio 401 otherwise', async () => {
		const expected401 = {
			code: 20003,
			message: 'Authenticate',
			more_info: 'https://www.twilio.com/docs/errors/20003',
			status: 401,
		};
		expect(await send('POST', CALLS, greeting, { authorization: null })).toMatchObject({
			status: 401,
			body: expected401,
		});
		expect(
			await send('POST', CALLS, greeting, { authorization: basic(ACCOUNT_SID, 'wrong') }),
		).toMatchObject({
			status: 401,
			body: expected401,
		});
		expect(
			await send('POST', CALLS.replace(ACCOUNT_SID, OTHER_ACCOUNT_SID), greeting, {
				authorization: basic(API_SID, API_PASSWORD),
			}),
		).toMatchObject({ status: 401, body: expected401 });
		expect(server.calls.size).toBe(0);

		const withKey = await send('POST', CALLS, greeting, {
			authorization: basic(API_SID, API_PASSWORD),
		});
		expect(withKey.status).toBe(201);
		expect(server.requests.map((request) => request.auth)).toEqual([
			undefined,
			{ user: ACCOUNT_SID, kind: 'rejected' },
			{ user: API_SID, kind: 'rejected' },
			{ user: API_SID, kind: 'apiKey' },
		]);
		expect(server.violations).toEqual([]);
	});

	test('429 injected twice: both answered 20429 with Retry-After and not processed, the third places one call', async () => {
		const fault = server.inject({
			method: 'POST',
			path: '/Calls.json',
			times: 2,
			status: 429,
			retryAfter: 1,
		});
		const answers: Sent[] = [];
		for (let attempt = 0; attempt < 3; attempt++) answers.push(await send('POST', CALLS, greeting));
		expect(answers.map((answer) => answer.status)).toEqual([429, 429, 201]);
		expect(answers[0]?.body).toEqual({
			code: 20429,
			message: 'Too Many Requests',
			more_info: 'https://www.twilio.com/docs/errors/20429',
			status: 429,
		});
		expect(answers[0]?.headers.get('retry-after')).toBe('1');
		expect(fault).toMatchObject({ hits: 2, remaining: 0 });
		expect(server.calls.size).toBe(1);
		expect(server.requestsTo('POST', '/Calls.json').map((request) => request.status)).toEqual([
			429, 429, 201,
		]);
	});

	test('5xx, delays, latency and dropped connections', async () => {
		server.inject({ operationId: 'CreateMessage', status: 503 });
		const unavailable = await send('POST', MESSAGES, {
			To: '+15005550006',
			From: '+15005550001',
			Body: 'hi',
		});
		expect(unavailable).toMatchObject({
			status: 503,
			body: { code: 20503, message: 'Service Unavailable' },
		});

		server.inject({ path: /Messages\.json$/, delayMs: 150 });
		let started = Date.now();
		expect(
			(await send('POST', MESSAGES, { To: '+15005550006', From: '+15005550001', Body: 'hi' }))
				.status,
		).toBe(201);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		server.setLatency((request) => (request.method === 'GET' ? 100 : 0));
		started = Date.now();
		await send('GET', `/2010-04-01/Accounts/${ACCOUNT_SID}.json`);
		expect(Date.now() - started).toBeGreaterThanOrEqual(90);
		server.setLatency(0);

		server.inject({ path: '/Calls.json', reset: 'after-processing' });
		await expect(send('POST', CALLS, greeting)).rejects.toThrow();
		expect(server.calls.size).toBe(1);
		server.inject({ path: '/Calls.json', reset: 'before-processing' });
		await expect(send('POST', CALLS, greeting)).rejects.toThrow();
		expect(server.calls.size).toBe(1);
		expect(server.violations).toEqual([]);
	});

	test('repeated keys arrive as lists; the form, query, raw body and headers are recorded', async () => {
		await send('POST', CALLS, {
			...greeting,
			StatusCallbackEvent: ['ringing', 'answered'],
			RecordingStatusCallbackEvent: 'in-progress completed',
		});
		const [request] = server.requestsTo('POST', '/Calls.json');
		expect(request?.form).toEqual({
			...greeting,
			StatusCallbackEvent: ['ringing', 'answered'],
			RecordingStatusCallbackEvent: 'in-progress completed',
		});
		expect(request?.rawBody).toContain('StatusCallbackEvent=ringing&StatusCallbackEvent=answered');
		expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request?.pathParams).toEqual({ AccountSid: ACCOUNT_SID });
		expect(server.violations).toEqual([]);
	});

	test('Messages.create: SMS, MMS with two media URLs, scheduled; answers shaped by the spec', async () => {
		const sms = await send('POST', MESSAGES, {
			To: '+15005550006',
			From: '+15005550001',
			Body: 'Hello there',
		});
		expect(sms.status).toBe(201);
		expect(sms.body).toMatchObject({
			sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
			status: 'queued',
			body: 'Hello there',
			num_media: '0',
			num_segments: '1',
			direction: 'outbound-api',
		});

		const scheduled = await send('POST', MESSAGES, {
			To: '+15005550006',
			MessagingServiceSid: SERVICE_SID,
			Body: 'Your table is ready',
			MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'],
			ScheduleType: 'fixed',
			SendAt: '2030-01-01T10:00:00Z',
			ValidityPeriod: '600',
			ContentRetention: 'retain',
		});
		expect(scheduled.status).toBe(201);
		expect(scheduled.body).toMatchObject({
			sid: expect.stringMatching(/^MM[0-9a-f]{32}$/),
			status: 'scheduled',
			num_media: '2',
			from: null,
			messaging_service_sid: SERVICE_SID,
		});
		const [, request] = server.requestsTo('POST', '/Messages.json');
		expect(request?.form.MediaUrl).toEqual([
			'https://example.com/a.png',
			'https://example.com/b.png',
		]);
		expect(responseErrors(request, 201, scheduled.body)).toEqual([]);

		const canceled = await send(
			'POST',
			`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${scheduled.body.sid as string}.json`,
			{
				Status: 'canceled',
			},
		);
		expect(canceled.body.status).toBe('canceled');
		expect(server.violations).toEqual([]);
	});

	test.each([
		['no To', { From: '+15005550001', Body: 'hi' }, 21604, 'To'],
		['no sender', { To: '+15005550006', Body: 'hi' }, 21603, 'From'],
		['no content', { To: '+15005550006', From: '+15005550001' }, 21602, 'Body'],
		[
			'eleven media URLs',
			{
				To: '+15005550006',
				From: '+15005550001',
				MediaUrl: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.png`),
			},
			21623,
			'MediaUrl',
		],
		[
			'a body over 1600 characters',
			{ To: '+15005550006', From: '+15005550001', Body: 'x'.repeat(1601) },
			21617,
			'Body',
		],
		[
			'a schedule without SendAt',
			{ To: '+15005550006', MessagingServiceSid: SERVICE_SID, Body: 'hi', ScheduleType: 'fixed' },
			35111,
			'SendAt',
		],
		[
			'a schedule without a Messaging Service',
			{
				To: '+15005550006',
				From: '+15005550001',
				Body: 'hi',
				ScheduleType: 'fixed',
				SendAt: '2030-01-01T10:00:00Z',
			},
			35118,
			'MessagingServiceSid',
		],
		[
			'an unknown ScheduleType',
			{
				To: '+15005550006',
				MessagingServiceSid: SERVICE_SID,
				Body: 'hi',
				ScheduleType: 'later',
				SendAt: '2030-01-01T10:00:00Z',
			},
			20001,
			'ScheduleType',
		],
		[
			'a SendAt that is not a date-time',
			{
				To: '+15005550006',
				MessagingServiceSid: SERVICE_SID,
				Body: 'hi',
				ScheduleType: 'fixed',
				SendAt: 'tomorrow',
			},
			20001,
			'SendAt',
		],
		[
			'ContentVariables that are not JSON',
			{
				To: '+15005550006',
				From: '+15005550001',
				ContentSid: `HX${'b'.repeat(32)}`,
				ContentVariables: '1=Bob',
			},
			20001,
			'ContentVariables',
		],
		[
			'a ValidityPeriod over 36000',
			{ To: '+15005550006', From: '+15005550001', Body: 'hi', ValidityPeriod: '36001' },
			20001,
			'ValidityPeriod',
		],
	])('Messages.create refuses %s', async (_case, form, code, parameter) => {
		const answer = await send('POST', MESSAGES, form);
		expect(answer).toMatchObject({ status: 400, body: { code } });
		expect(server.violations).toEqual([
			expect.objectContaining({ operationId: 'CreateMessage', parameter, code }),
		]);
		expect(server.messages.size).toBe(0);
	});

	test('a JSON body is refused the way Twilio refuses it: no To', async () => {
		const answer = await send('POST', MESSAGES, undefined, {
			body: JSON.stringify({ To: '+15005550006', From: '+15005550001', Body: 'hi' }),
			contentType: 'application/json',
		});
		expect(answer).toMatchObject({ status: 400, body: { code: 21604 } });
		expect(server.violations.map((violation) => violation.parameter ?? violation.message)).toEqual([
			'To',
			'CreateMessage takes application/x-www-form-urlencoded, not application/json',
			'From',
			'Body',
		]);
	});

	test('conference participants: hold with music, unhold, remove; end the conference', async () => {
		const conference = server.addConference();
		const participant = server.addParticipant(conference.sid);
		const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Conferences/${conference.sid}/Participants/${participant.callSid}.json`;

		const held = await send('POST', path, {
			Hold: 'true',
			HoldUrl: 'https://example.com/music.mp3',
			HoldMethod: 'GET',
		});
		expect(held.status).toBe(200);
		expect(held.body).toMatchObject({
			call_sid: participant.callSid,
			conference_sid: conference.sid,
			hold: true,
			muted: false,
		});
		expect(responseErrors(server.requests.at(-1), 200, held.body)).toEqual([]);
		expect(participant).toMatchObject({
			hold: true,
			holdUrl: 'https://example.com/music.mp3',
			holdMethod: 'GET',
		});
		expect((await send('POST', path, { Hold: 'false', Muted: 'true' })).body).toMatchObject({
			hold: false,
			muted: true,
		});

		expect(await send('POST', path, { Hold: 'maybe' })).toMatchObject({ status: 400 });
		expect(await send('POST', path, { HoldMethod: 'PUT' })).toMatchObject({ status: 400 });
		expect(server.violations.map((violation) => violation.parameter)).toEqual([
			'Hold',
			'HoldMethod',
		]);
		server.clearRecords();

		// Another participant keeps the conference going when this one is removed.
		const other = server.addParticipant(conference.sid);
		expect((await send('DELETE', path)).status).toBe(204);
		expect((await send('GET', path)).status).toBe(404);
		expect(server.calls.get(participant.callSid)?.status).toBe('completed');

		const ended = await send(
			'POST',
			`/2010-04-01/Accounts/${ACCOUNT_SID}/Conferences/${conference.sid}.json`,
			{
				Status: 'completed',
			},
		);
		expect(ended.body).toMatchObject({
			status: 'completed',
			reason_conference_ended: 'conference-ended-via-api',
		});
		expect(responseErrors(server.requests.at(-1), 200, ended.body)).toEqual([]);
		expect(server.participant(conference.sid, other.callSid)).toBeUndefined();
		expect(server.violations).toEqual([]);
	});

	test('call control: new TwiML on a live call, hang up, then no more redirects; cancel a ringing call', async () => {
		const { body } = await send('POST', CALLS, greeting);
		const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${body.sid as string}.json`;
		const transfer = '<Response><Dial>+15005550009</Dial></Response>';
		expect((await send('POST', path, { Twiml: transfer })).body).toMatchObject({
			status: 'in-progress',
		});
		expect(server.calls.get(body.sid as string)?.twiml).toBe(transfer);
		const hungUp = await send('POST', path, { Status: 'completed' });
		expect(hungUp.body).toMatchObject({
			status: 'completed',
			end_time: expect.any(String),
			duration: expect.any(String),
		});
		expect(await send('POST', path, { Twiml: transfer })).toMatchObject({
			status: 400,
			body: { code: 21220 },
		});

		const ringing = server.addCall({ status: 'ringing', startedAt: undefined });
		const ringingPath = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${ringing.sid}.json`;
		expect((await send('POST', ringingPath, { Status: 'canceled' })).body).toMatchObject({
			status: 'canceled',
		});
		expect((await send('POST', ringingPath, { Status: 'hangup' })).status).toBe(400);
		expect(server.violations.map((violation) => violation.parameter)).toEqual(['Status']);
	});

	test('other operations answer the spec example, or a handler the test sets', async () => {
		const tasks = '/v1/Workspaces/WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Tasks';
		const task = await send('POST', tasks, {
			Attributes: JSON.stringify({ outbound_to: '+15005550006' }),
			WorkflowSid: `WW${'c'.repeat(32)}`,
		});
		expect(task.status).toBe(201);
		expect(task.body.sid).toMatch(/^WT/);
		expect(await send('POST', tasks, { Queue: 'sales' })).toMatchObject({ status: 400 });

		server.handle('CreateTask', ({ params }) => ({
			status: 201,
			body: { sid: `WT${'d'.repeat(32)}`, attributes: params.Attributes },
		}));
		expect((await send('POST', tasks, { Attributes: '{}' })).body).toEqual({
			sid: `WT${'d'.repeat(32)}`,
			attributes: '{}',
		});
		expect(() => server.handle('CreateTsk', () => ({ status: 200 }))).toThrow(
			'No Twilio operation is called CreateTsk',
		);
		expect(server.violations.map((violation) => violation.parameter)).toEqual(['Queue']);
	});

	test("every value an overlay allows is one the spec's description names", () => {
		for (const [operationId, parameters] of Object.entries(TWILIO_OVERLAYS)) {
			for (const [name, overlay] of Object.entries(parameters)) {
				const items = overlay.schema.items as Schema | undefined;
				const values = (overlay.schema.enum ?? items?.enum ?? []) as string[];
				const description = server.operation(operationId)?.bodyParameter(name)?.description ?? '';
				for (const value of values)
					expect({ name, mentioned: description.includes(`\`${value}\``) }).toEqual({
						name,
						mentioned: true,
					});
			}
		}
	});

	// How fast it answers is the benchmark's business (npm run bench), not a test's: these machines are shared.
	test('takes 2,000 messages, 50 at a time, each checked against the spec', async () => {
		for (let batch = 0; batch < 40; batch++) {
			await Promise.all(
				Array.from({ length: 50 }, async (_, index) => {
					const answer = await send('POST', MESSAGES, {
						To: '+15005550006',
						From: '+15005550001',
						Body: `Message ${batch * 50 + index}`,
					});
					expect(answer.status).toBe(201);
				}),
			);
		}
		expect(server.messages.size).toBe(2000);
		expect(server.violations).toEqual([]);
	}, 120_000);
});
