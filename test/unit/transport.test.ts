import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { signBody, verifySignature, isBase64Secret } from '../../nodes/shared/transport/signing';
import {
	createTwilioClient,
	toTwilioForm,
	twilioServiceUrl,
} from '../../nodes/shared/transport/twilio';
import { createWtsChatClient } from '../../nodes/shared/transport/wtsChat';
import { fakeRequestHelper } from '../support/fakeRequestHelper';
import { RecordingServer, basicAuth, type Reply } from '../support/recordingServer';

const node: INode = {
	id: 'n',
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const FAST = { attempts: 4, firstDelayMs: 1, maxDelayMs: 5 };

function functionsFor(credentials: Record<string, string>): IExecuteFunctions {
	const httpRequestWithAuthentication = fakeRequestHelper(credentials);
	return {
		getNode: () => node,
		getCredentials: async () => credentials,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IExecuteFunctions;
}

describe('Twilio transport', () => {
	let server: RecordingServer;
	let replies: Reply[];

	beforeEach(async () => {
		replies = [];
		server = await RecordingServer.start(
			() => replies.shift() ?? { status: 201, body: { sid: 'CA1' } },
		);
	});

	afterEach(async () => {
		await server.close();
	});

	test('every Twilio domain follows a custom Base URL; the default keeps Twilio hosts', () => {
		expect(twilioServiceUrl('http://127.0.0.1:9/', 'taskrouter')).toBe('http://127.0.0.1:9');
		expect(twilioServiceUrl('https://api.twilio.com', 'conversations')).toBe(
			'https://conversations.twilio.com',
		);
		expect(twilioServiceUrl('', 'api')).toBe('https://api.twilio.com');
	});

	test('forms use PascalCase keys as given and repeat array keys', () => {
		expect(
			toTwilioForm({
				To: '+1555',
				MediaUrl: ['https://a', 'https://b'],
				Body: undefined,
				Record: true,
			}),
		).toBe('To=%2B1555&MediaUrl=https%3A%2F%2Fa&MediaUrl=https%3A%2F%2Fb&Record=true');
	});

	test('a request reaches the Base URL with the account filled in, the form and the credentials', async () => {
		const client = await createTwilioClient(
			functionsFor({ accountSid: 'AC1', authToken: 'tok', baseUrl: server.baseUrl }),
			0,
			FAST,
		);
		const call = await client.request<{ sid: string }>({
			method: 'POST',
			path: '/2010-04-01/Accounts/{AccountSid}/Calls.json',
			form: { To: '+15550001', From: '+15550002', Url: 'https://example.com/twiml' },
		});
		expect(call.sid).toBe('CA1');
		const [request] = server.requests;
		expect(request.url).toBe('/2010-04-01/Accounts/AC1/Calls.json');
		expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(request.body.toString()).toBe(
			'To=%2B15550001&From=%2B15550002&Url=https%3A%2F%2Fexample.com%2Ftwiml',
		);
		expect(basicAuth(request)).toEqual({ user: 'AC1', password: 'tok' });
	});

	test('429 answers are sent again until one gets through', async () => {
		replies.push({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
		replies.push({
			status: 429,
			headers: { 'retry-after': '0' },
			body: { code: 20429, message: 'Too Many Requests' },
		});
		const client = await createTwilioClient(
			functionsFor({ accountSid: 'AC1', authToken: 'tok', baseUrl: server.baseUrl }),
			0,
			FAST,
		);
		await expect(
			client.request({ method: 'GET', path: '/2010-04-01/Accounts/{AccountSid}.json' }),
		).resolves.toEqual({ sid: 'CA1' });
		expect(server.requests).toHaveLength(3);
	});

	test('Twilio errors become API errors with Twilio code, message and link, and are not retried', async () => {
		replies.push({
			status: 400,
			body: {
				code: 21211,
				message: "The 'To' number is not a valid phone number.",
				more_info: 'https://www.twilio.com/docs/errors/21211',
				status: 400,
			},
		});
		const client = await createTwilioClient(
			functionsFor({ accountSid: 'AC1', authToken: 'tok', baseUrl: server.baseUrl }),
			2,
			FAST,
		);
		const error = await client
			.request({ method: 'POST', path: '/x', form: { To: 'bad' } })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe(
			"The 'To' number is not a valid phone number. (Twilio error 21211)",
		);
		expect((error as NodeApiError).description).toBe('https://www.twilio.com/docs/errors/21211');
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(server.requests).toHaveLength(1);
	});

	test('throttling that never ends surfaces as a 429 API error after the last attempt', async () => {
		for (let index = 0; index < 10; index++)
			replies.push({ status: 429, body: { code: 20429, message: 'Too Many Requests' } });
		const client = await createTwilioClient(
			functionsFor({ accountSid: 'AC1', authToken: 'tok', baseUrl: server.baseUrl }),
			0,
			FAST,
		);
		const error = (await client
			.request({ method: 'GET', path: '/x' })
			.catch((caught: unknown) => caught)) as NodeApiError;
		expect(error.httpCode).toBe('429');
		expect(server.requests).toHaveLength(FAST.attempts);
	});
});

describe('WTS Chat transport', () => {
	test('JSON bodies go to the Base URL with the Bearer token; false stays false', async () => {
		const server = await RecordingServer.start(() => ({
			status: 200,
			body: { id: 's1', status: 'STARTED' },
		}));
		try {
			const client = await createWtsChatClient(
				functionsFor({ token: 'wts-token', baseUrl: `${server.baseUrl}/` }),
				0,
				FAST,
			);
			const session = await client.request({
				method: 'POST',
				path: '/chat/v1/chatbot/send',
				body: { botKey: 'k', options: { skipIfInProgress: false } },
			});
			expect(session).toEqual({ id: 's1', status: 'STARTED' });
			expect(server.requests[0].url).toBe('/chat/v1/chatbot/send');
			expect(server.requests[0].headers.authorization).toBe('Bearer wts-token');
			expect(JSON.parse(server.requests[0].body.toString())).toEqual({
				botKey: 'k',
				options: { skipIfInProgress: false },
			});
		} finally {
			await server.close();
		}
	});

	test('401 says to check the token', async () => {
		const server = await RecordingServer.start(() => ({
			status: 401,
			body: { message: 'Unauthorized' },
		}));
		try {
			const client = await createWtsChatClient(
				functionsFor({ token: 'bad', baseUrl: server.baseUrl }),
				0,
				FAST,
			);
			const error = (await client
				.request({ method: 'GET', path: '/auth/v1/login/validate' })
				.catch((caught: unknown) => caught)) as NodeApiError;
			expect(error.message).toBe('WTS Chat answered 401: Unauthorized');
			expect(error.description).toBe('Check the API token of the WTS Chat API credential');
		} finally {
			await server.close();
		}
	});
});

describe('request signing', () => {
	// The team's Vocode test vector (exact body bytes). Its signature was
	// written down as `Q87i…`; Python's hmac module and node:crypto both give
	// `q87i…` with every other character equal, so the first letter's case was
	// a typo in the notes.
	const vectorMaterial = 'MX/9/+iblnUoAAM2Jft8sgeY1bevJvuih2nr7XKPHIY=';
	const body =
		'{"payload": {"length": "30m", "time": "10:30am", "name": "Jo\\u00e3o"}, "call_id": "c1"}';
	const signature = 'q87i2EFv4mLmQu2B6qBM0wF0zX6rowI7PpDtQKJhX0M=';

	test('signs the exact body bytes as the test vector says', () => {
		expect(signBody(vectorMaterial, Buffer.from(body, 'utf8'))).toBe(signature);
	});

	test('verifies the right signature and refuses a wrong, missing or re-serialised one', () => {
		expect(verifySignature(vectorMaterial, body, signature)).toBe(true);
		expect(verifySignature(vectorMaterial, body, undefined)).toBe(false);
		expect(verifySignature(vectorMaterial, body, signBody(vectorMaterial, 'other'))).toBe(false);
		expect(verifySignature(vectorMaterial, JSON.stringify(JSON.parse(body)), signature)).toBe(
			false,
		);
	});

	test('a secret must be base64', () => {
		expect(isBase64Secret(vectorMaterial)).toBe(true);
		expect(isBase64Secret('not base64!')).toBe(false);
		expect(isBase64Secret('')).toBe(false);
	});
});
