import { addConversation, addMessageMedia, conversationsOf } from '../support/twilio/conversations';
import { TwilioServer } from '../support/twilioServer';

const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const TOKEN = 'dummy-account-token';
const AUTH = `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString('base64')}`;
const BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);

describe('Twilio test server: conversations and media outside the specs', () => {
	let server: TwilioServer;

	beforeEach(async () => {
		server = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: TOKEN });
	});

	afterEach(async () => {
		await server.close();
	});

	const upload = async (
		serviceSid: string,
		headers: Record<string, string> = { authorization: AUTH },
	) =>
		await fetch(`${server.baseUrl}/v1/Services/${serviceSid}/Media`, {
			method: 'POST',
			headers: { 'content-type': 'image/png', ...headers },
			body: BYTES,
		});

	test('the Media Content Service keeps an upload byte for byte, for a known service and the account only', async () => {
		const conversation = addConversation(server);
		expect((await upload(conversation.chatServiceSid, {})).status).toBe(401);
		expect((await upload(`IS${'f'.repeat(32)}`)).status).toBe(404);
		const created = await upload(conversation.chatServiceSid);
		expect(created.status).toBe(201);
		const media = (await created.json()) as { sid: string; size: number; content_type: string };
		expect(media).toMatchObject({ size: BYTES.length, content_type: 'image/png' });
		expect(conversationsOf(server).media.get(media.sid)?.data.equals(BYTES)).toBe(true);
		expect(server.violations).toEqual([]);
	});

	test("a message takes a Media SID of its conversation's service only; the spec refuses a malformed one", async () => {
		const conversation = addConversation(server);
		const other = addConversation(server);
		const sid = ((await (await upload(other.chatServiceSid)).json()) as { sid: string }).sid;
		const send = async (mediaSid: string) =>
			await fetch(`${server.baseUrl}/v1/Conversations/${conversation.sid}/Messages`, {
				method: 'POST',
				headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ MediaSid: mediaSid }).toString(),
			});
		expect(((await (await send(sid)).json()) as { code: number }).code).toBe(50511);
		expect((await send('ME1')).status).toBe(400);
		expect(server.violations.map((violation) => violation.parameter)).toEqual(['MediaSid']);
		expect(conversation.messages).toEqual([]);
	});

	test("an incoming message's media URL redirects the account's caller to the file, which is served as stored", async () => {
		const { url } = addMessageMedia(server, {
			messageSid: `MM${'1'.repeat(32)}`,
			contentType: 'image/png',
			data: BYTES,
		});
		const path = new URL(url).pathname;
		expect((await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' })).status).toBe(401);
		const redirect = await fetch(`${server.baseUrl}${path}`, {
			headers: { authorization: AUTH },
			redirect: 'manual',
		});
		expect(redirect.status).toBe(307);
		const file = await fetch(String(redirect.headers.get('location')));
		expect(file.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await file.arrayBuffer()).equals(BYTES)).toBe(true);
	});
});
