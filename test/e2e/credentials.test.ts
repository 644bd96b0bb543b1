import { N8nInstance } from '../support/n8n';
import {
	RecordingServer,
	basicAuth,
	type RecordedRequest,
	type Reply,
} from '../support/recordingServer';

jest.setTimeout(240_000);

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const AUTH_TOKEN = 'auth-token-not-a-real-one';
const KEY_SID = 'SK-dummy-key-sid';
const API_KEY_SECRET = 'api-key-secret-not-a-real-one';
const WTS_TOKEN = 'wts-token-not-a-real-one';

/** Answers like Twilio's account fetch: the account for valid Basic auth, Twilio's 401 otherwise. */
function twilioAccounts(request: RecordedRequest): Reply {
	const auth = basicAuth(request);
	const valid =
		(auth?.user === ACCOUNT_SID && auth.password === AUTH_TOKEN) ||
		(auth?.user === KEY_SID && auth.password === API_KEY_SECRET);
	if (request.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}.json`) {
		return {
			status: 404,
			body: { code: 20404, message: 'The requested resource was not found', status: 404 },
		};
	}
	if (!valid) {
		return {
			status: 401,
			body: {
				code: 20003,
				message: 'Authenticate',
				more_info: 'https://www.twilio.com/docs/errors/20003',
				status: 401,
			},
		};
	}
	return {
		status: 200,
		body: { sid: ACCOUNT_SID, friendly_name: 'Test account', status: 'active' },
	};
}

function wtsChat(request: RecordedRequest): Reply {
	if (request.url !== '/auth/v1/login/validate')
		return { status: 404, body: { message: 'Not found' } };
	if (request.headers.authorization !== `Bearer ${WTS_TOKEN}`)
		return { status: 401, body: { message: 'Unauthorized' } };
	return { status: 200, body: { valid: true } };
}

interface TestResult {
	data: { status: 'OK' | 'Error'; message: string };
}

describe('credential tests in a real n8n, against local servers through the Base URL', () => {
	let n8n: N8nInstance;
	let twilio: RecordingServer;
	let wts: RecordingServer;

	beforeAll(async () => {
		twilio = await RecordingServer.start(twilioAccounts);
		wts = await RecordingServer.start(wtsChat);
		n8n = await N8nInstance.create();
		await n8n.start();
		await n8n.setupOwner();
	});

	afterAll(async () => {
		await n8n?.dispose();
		await twilio?.close();
		await wts?.close();
	});

	async function testCredential(
		type: string,
		data: Record<string, unknown>,
	): Promise<TestResult['data']> {
		const created = await n8n.request('/rest/credentials', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: `${type} ${Math.random()}`, type, data }),
		});
		expect(created.status).toBe(200);
		const { data: credential } = (await created.json()) as { data: { id: string; name: string } };
		const tested = await n8n.request('/rest/credentials/test', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				credentials: { id: credential.id, name: credential.name, type, data },
			}),
		});
		expect(tested.status).toBe(200);
		return ((await tested.json()) as TestResult).data;
	}

	test('Twilio: the auth token signs in as the account; the request goes to the Base URL', async () => {
		const result = await testCredential('agentTwilioApi', {
			accountSid: ACCOUNT_SID,
			authType: 'authToken',
			authToken: AUTH_TOKEN,
			baseUrl: `${twilio.baseUrl}/`,
		});
		expect(result.status).toBe('OK');
		const last = twilio.requests.at(-1);
		expect(last?.method).toBe('GET');
		expect(basicAuth(last as RecordedRequest)).toEqual({ user: ACCOUNT_SID, password: AUTH_TOKEN });
	});

	test('Twilio: an API key signs in with its SID and secret', async () => {
		const result = await testCredential('agentTwilioApi', {
			accountSid: ACCOUNT_SID,
			authType: 'apiKey',
			apiKeySid: KEY_SID,
			apiKeySecret: API_KEY_SECRET,
			baseUrl: twilio.baseUrl,
		});
		expect(result.status).toBe('OK');
		expect(basicAuth(twilio.requests.at(-1) as RecordedRequest)).toEqual({
			user: KEY_SID,
			password: API_KEY_SECRET,
		});
	});

	test('Twilio: a wrong token fails the test', async () => {
		const result = await testCredential('agentTwilioApi', {
			accountSid: ACCOUNT_SID,
			authType: 'authToken',
			authToken: 'wrong',
			baseUrl: twilio.baseUrl,
		});
		expect(result.status).toBe('Error');
	});

	test('WTS Chat: the token is sent as a Bearer token to /auth/v1/login/validate', async () => {
		expect(
			(await testCredential('wtsChatApi', { token: WTS_TOKEN, baseUrl: wts.baseUrl })).status,
		).toBe('OK');
		expect(
			(await testCredential('wtsChatApi', { token: 'wrong', baseUrl: wts.baseUrl })).status,
		).toBe('Error');
		expect(new Set(wts.requests.map((request) => request.url))).toEqual(
			new Set(['/auth/v1/login/validate']),
		);
		expect(new Set(wts.requests.map((request) => request.headers.authorization))).toEqual(
			new Set([`Bearer ${WTS_TOKEN}`, 'Bearer wrong']),
		);
	});
});
