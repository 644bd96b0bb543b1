import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	freePort,
	type N8nInstance,
	outputOf,
	PROJECT_ROOT,
	type WorkflowJson,
} from '../support/n8n';
import { addConversation, addMessageMedia, conversationsOf } from '../support/twilio/conversations';
import { startTwilioN8n } from '../support/twilioE2e';
import type { TwilioServer } from '../support/twilioServer';
import {
	incomingMessageParams,
	messageStatusParams,
	postTwilioWebhook,
} from '../support/twilioWebhooks';
import { readUntil, recordedArguments, workflowFrom } from '../support/workflows';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'dummy-auth-token-for-conversations';
const TENANT = '+16505550100';
const USER = '+16507000001';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
/** A 1×1 PNG. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
	'base64',
);

const CREDENTIALS = { agentTwilioApi: { id: 'e2eTwilioConv001', name: 'Twilio (e2e)' } };

type Recorded = Record<string, unknown>;

describe('Twilio Conversations and what the triggers pass on, in a real n8n', () => {
	let n8n: N8nInstance;
	let twilio: TwilioServer;
	let store: SqliteStore;
	let webhookBase: string;
	const recorded = async (connectorIdn: string, count: number): Promise<Recorded[]> =>
		await readUntil(() => recordedArguments(store, connectorIdn), count);
	const post = async (path: string, params: Record<string, string>, authToken = AUTH_TOKEN) =>
		await postTwilioWebhook(`${webhookBase}/${path}`, params, { authToken });

	beforeAll(async () => {
		const port = await freePort();
		webhookBase = `http://127.0.0.1:${port}/webhook`;
		({ n8n, twilio } = await startTwilioN8n({
			accountSid: ACCOUNT_SID,
			authToken: AUTH_TOKEN,
			credentialId: 'e2eTwilioConv001',
			n8n: { port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } },
		}));
		// The example as a user has it once they selected their credential.
		const example = JSON.parse(
			readFileSync(join(PROJECT_ROOT, 'examples', 'conversation-reply.json'), 'utf8'),
		) as WorkflowJson;
		for (const node of example.nodes) node.credentials = CREDENTIALS;
		// One workflow holds every other trigger: one import, two publishes.
		for (const id of await n8n.importWorkflows([
			workflowFrom('twilio-triggers-observer.json'),
			example,
		]))
			await n8n.activate(id);
		await n8n.start();
		for (const path of [
			'e2e-conversation',
			'e2e-sms-status',
			'e2e-sms-media',
			'e2e-call-raw',
			'conversation',
		])
			await n8n.waitForWebhook(path);
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
		await twilio?.close();
	});

	afterEach(() => expect(twilio.violations).toEqual([]));

	test('Send to Conversation and seed SendMessage / SendRichContentMessage reach the conversation: text, attributes, an uploaded file, a template; Simplify off gives Twilio’s own fields', async () => {
		const conversation = addConversation(twilio);
		const named = addConversation(twilio, { uniqueName: 'support-42' });
		const workflow = workflowFrom('conversations-send.json', {
			__CONVERSATION__: conversation.sid,
			__PNG_BASE64__: PNG.toString('base64'),
		});
		const execution = await n8n.execute(await n8n.importWorkflow(workflow));

		// The file went to the conversation's service's Media Content Service, as sent, then into the message.
		const uploads = twilio.requestsFor('McsCreateMedia');
		expect(uploads).toHaveLength(2);
		for (const upload of uploads) {
			expect(upload.path).toBe(`/v1/Services/${conversation.chatServiceSid}/Media`);
			expect(upload.headers['content-type']).toBe('image/png');
			expect(upload.rawBytes.equals(PNG)).toBe(true);
			expect(upload.auth?.kind).toBe('authToken');
		}
		expect(twilio.requestsFor('FetchConversation')).toHaveLength(2);
		const messages = conversation.messages;
		const byBody = (body: string | null) => messages.find((message) => message.body === body);
		const uploaded = [...conversationsOf(twilio).media.values()].filter(
			(media) => media.serviceSid === conversation.chatServiceSid,
		);
		expect(byBody('Here is the photo')).toMatchObject({
			author: 'agent.ana',
			attributes: '{"kind":"photo"}',
			mediaSid: expect.stringMatching(/^ME/),
			webhookEnabled: 'true',
		});
		expect(byBody('Seed message with a file')).toMatchObject({
			author: 'system',
			attributes: '{"from":"flex"}',
			mediaSid: expect.stringMatching(/^ME/),
			webhookEnabled: null,
		});
		expect(uploaded.map((media) => media.sid).sort()).toEqual(
			messages
				.map((message) => message.mediaSid)
				.filter((sid) => sid !== null)
				.sort(),
		);
		expect(byBody(null)).toMatchObject({
			contentSid: CONTENT_SID,
			attributes: '{"priority":"high"}',
		});
		const template = twilio
			.requestsFor('CreateConversationMessage')
			.find((request) => request.form.ContentSid === CONTENT_SID);
		expect(template?.form).toEqual({
			ContentSid: CONTENT_SID,
			ContentVariables: '{"1":"Ana"}',
			Attributes: '{"priority":"high"}',
		});
		expect(named.messages).toHaveLength(1);
		expect(twilio.requestsTo('POST', '/v1/Conversations/support-42/Messages')[0]?.form).toEqual({
			Body: 'Hello from n8n',
			Subject: 'Order 42',
		});

		const [photo] = outputOf(execution, 'Send Photo');
		expect(photo.json).toMatchObject({
			messageSid: byBody('Here is the photo')?.sid,
			conversationSid: conversation.sid,
			author: 'agent.ana',
			body: 'Here is the photo',
			mediaSid: byBody('Here is the photo')?.mediaSid,
			media: [expect.objectContaining({ content_type: 'image/png', size: PNG.length })],
		});
		const [seed] = outputOf(execution, 'SendMessage Seed');
		expect(seed.json).toMatchObject({
			integrationIdn: 'twilio_messenger',
			commandIdn: 'send_conversation_message',
			status: 'sent',
			externalId: byBody('Seed message with a file')?.sid,
		});
		const [rich] = outputOf(execution, 'SendRichContentMessage Seed');
		expect(rich.json).toMatchObject({
			status: 'sent',
			result: expect.objectContaining({ contentSid: CONTENT_SID, body: null }),
		});
		// Refused before anything was sent, naming the field.
		expect(outputOf(execution, 'Bad Input')[0].json.error).toMatch(
			/contentSid.*must be a content template SID \(HX and 32 hex digits\), got "HX1"/,
		);
		expect(
			twilio.requestsFor('CreateConversationMessage').map((request) => request.form.ContentSid),
		).not.toContain('HX1');

		const [sms] = outputOf(execution, 'SMS Raw');
		const createMessage = twilio.operation('CreateMessage');
		expect(Object.keys(sms.json).sort()).toEqual(createMessage?.responseProperties().sort());
		expect(sms.json).toMatchObject({
			sid: expect.stringMatching(/^SM/),
			account_sid: ACCOUNT_SID,
			date_created: expect.stringMatching(/\+0000$/),
			price: null,
			error_code: null,
			to: '+16507000009',
			body: 'Raw fields please',
		});
		const [call] = outputOf(execution, 'Call Raw');
		expect(Object.keys(call.json).sort()).toEqual(
			twilio.operation('CreateCall')?.responseProperties().sort(),
		);
		expect(call.json).toMatchObject({
			sid: expect.stringMatching(/^CA/),
			status: 'queued',
			to: '+16507000009',
			from: '+16505550100',
		});
	});

	test('the Conversation Trigger starts a run per chosen, signed event, with tidy fields and every field Twilio sent', async () => {
		const conversationSid = 'CH0123456789abcdef0123456789abcde0';
		const added = {
			AccountSid: ACCOUNT_SID,
			EventType: 'onMessageAdded',
			ConversationSid: conversationSid,
			ChatServiceSid: 'IS0123456789abcdef0123456789abcdef',
			MessageSid: 'IM0123456789abcdef0123456789abcdef',
			Index: '4',
			Author: USER,
			Body: 'Is my order shipped?',
			Attributes: '{"channel":"sms"}',
			Media: '[{"Sid":"ME0123456789abcdef0123456789abcdef","ContentType":"image/jpeg"}]',
			ParticipantSid: 'MB0123456789abcdef0123456789abcdef',
			Source: 'SMS',
			DateCreated: '2026-12-07T22:00:00.000Z',
			RetryCount: '0',
			WebhookType: 'webhook',
			WebhookSid: 'WH0123456789abcdef0123456789abcdef',
		};
		const forged = await post('e2e-conversation', { ...added, Body: 'forged' }, 'wrong-token');
		expect(forged.status).toBe(403);
		// Not chosen, and written by an ignored author: nothing runs.
		for (const params of [
			{ ...added, EventType: 'onConversationAdded' },
			{ ...added, Author: 'system', Body: 'from the API' },
		])
			expect((await post('e2e-conversation', params)).status).toBe(200);
		expect((await post('e2e-conversation', added)).status).toBe(200);
		const participant = {
			AccountSid: ACCOUNT_SID,
			EventType: 'onParticipantAdded',
			ConversationSid: conversationSid,
			ParticipantSid: 'MB0123456789abcdef0123456789abcde1',
			'MessagingBinding.Address': USER,
			'MessagingBinding.ProxyAddress': TENANT,
			Source: 'API',
		};
		expect((await post('e2e-conversation', participant)).status).toBe(200);

		const runs = await recorded('conv_runs', 2);
		expect(runs).toHaveLength(2);
		const message = runs.find((run) => run.event === 'onMessageAdded');
		expect(message).toEqual({
			event: 'onMessageAdded',
			conversationSid,
			messageSid: added.MessageSid,
			index: 4,
			author: USER,
			body: 'Is my order shipped?',
			attributes: { channel: 'sms' },
			media: [{ Sid: 'ME0123456789abcdef0123456789abcdef', ContentType: 'image/jpeg' }],
			participantSid: added.ParticipantSid,
			source: 'SMS',
			chatServiceSid: added.ChatServiceSid,
			dateCreated: added.DateCreated,
			twilio: added,
		});
		expect(runs.find((run) => run.event === 'onParticipantAdded')).toMatchObject({
			participantSid: participant.ParticipantSid,
			body: null,
			twilio: participant,
		});
	});

	test('the example answers a message in its conversation, as the assistant, and not its own message again', async () => {
		const conversation = addConversation(twilio);
		const added = (author: string, body: string, index: number) => ({
			AccountSid: ACCOUNT_SID,
			EventType: 'onMessageAdded',
			ConversationSid: conversation.sid,
			ChatServiceSid: conversation.chatServiceSid,
			MessageSid: `IM0123456789abcdef0123456789abcd${String(index).padStart(2, '0')}`,
			Index: String(index),
			Author: author,
			Body: body,
			Attributes: '{}',
			Source: 'WHATSAPP',
		});
		expect(
			(await post('conversation', added(`whatsapp:${USER}`, 'Where is my order?', 0))).status,
		).toBe(200);
		const deadline = Date.now() + 20_000;
		while (conversation.messages.length === 0 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(conversation.messages).toEqual([
			expect.objectContaining({
				author: 'assistant',
				body: 'Thanks! You wrote: Where is my order?',
				attributes: '{"inReplyTo":"IM0123456789abcdef0123456789abcd00"}',
				webhookEnabled: null,
			}),
		]);
		// Had Twilio told the trigger of the answer, the assistant's own message starts nothing.
		expect((await post('conversation', added('assistant', 'Thanks! You wrote: …', 1))).status).toBe(
			200,
		);
		expect((await post('conversation', added(`whatsapp:${USER}`, 'Thanks', 2))).status).toBe(200);
		while (conversation.messages.length < 2 && Date.now() < deadline + 20_000)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(conversation.messages.map((message) => message.body)).toEqual([
			'Thanks! You wrote: Where is my order?',
			'Thanks! You wrote: Thanks',
		]);
	});

	test('the SMS Trigger starts runs on the chosen delivery statuses (a failure as smsError), with every field Twilio sent', async () => {
		const messageSid = 'SM0123456789abcdef0123456789abcdef';
		const status = (value: 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: number) =>
			messageStatusParams({
				accountSid: ACCOUNT_SID,
				messageSid,
				from: TENANT,
				to: USER,
				status: value,
				errorCode,
			});
		const read = {
			...status('delivered'),
			MessageStatus: 'read',
			SmsStatus: 'read',
			ChannelPrefix: 'whatsapp',
		};
		for (const params of [status('sent'), status('delivered'), read, status('failed', 30008)])
			expect((await post('e2e-sms-status', params)).status).toBe(200);

		const runs = await recorded('status_runs', 3);
		expect(runs).toHaveLength(3);
		const byStatus = Object.fromEntries(runs.map((run) => [String(run.messageStatus), run]));
		expect(Object.keys(byStatus).sort()).toEqual(['delivered', 'failed', 'read']);
		expect(byStatus.delivered).toMatchObject({
			event: 'smsStatus',
			text: 'smsStatus',
			messageSid,
			smsTenantPhoneNumber: TENANT,
			smsUserPhoneNumber: USER,
			smsError: null,
			twilio: status('delivered'),
		});
		expect(byStatus.read.twilio).toEqual(read);
		expect(byStatus.failed).toMatchObject({
			event: 'smsError',
			smsError: { status: 'failed', code: 30008 },
			twilio: status('failed', 30008),
		});
	});

	test("Download Media puts an incoming MMS's files in the item's binary data, fetched with the credential; WhatsApp's fields are passed on", async () => {
		const messageSid = 'MM0123456789abcdef0123456789abcdef';
		const photo = addMessageMedia(twilio, { messageSid, contentType: 'image/png', data: PNG });
		const note = addMessageMedia(twilio, {
			messageSid,
			contentType: 'text/plain',
			data: Buffer.from('a voice note, transcribed'),
		});
		const params = {
			...incomingMessageParams({
				accountSid: ACCOUNT_SID,
				from: `whatsapp:${USER}`,
				to: `whatsapp:${TENANT}`,
				body: 'Here you go',
				media: [
					{ url: photo.url, contentType: 'image/png' },
					{ url: note.url, contentType: 'text/plain' },
					{ url: 'https://example.com/elsewhere.jpg', contentType: 'image/jpeg' },
				],
			}),
			ProfileName: 'Ana',
			WaId: USER.slice(1),
			ButtonPayload: 'order-status',
			ButtonText: 'Order status',
			Latitude: '37.7749',
			Longitude: '-122.4194',
		};
		expect((await post('e2e-sms-media', params)).status).toBe(200);

		const [run] = await recorded('mms_runs', 1);
		expect(run.media0Base64).toBe(PNG.toString('base64'));
		expect(run.smsMedia).toEqual([
			{ mediaURL: photo.url, mediaContentType: 'image/png', binaryPropertyName: 'media0' },
			{ mediaURL: note.url, mediaContentType: 'text/plain', binaryPropertyName: 'media1' },
			{
				mediaURL: 'https://example.com/elsewhere.jpg',
				mediaContentType: 'image/jpeg',
				downloadError:
					"https://example.com/elsewhere.jpg is not on Twilio's API; it was not downloaded",
			},
		]);
		expect(run.binary).toMatchObject({
			media0: { mimeType: 'image/png', fileName: photo.media.sid },
			media1: { mimeType: 'text/plain', fileName: note.media.sid },
		});
		expect(run.twilio).toEqual(params);
		expect(run).toMatchObject({ event: 'message', text: 'Here you go', messageStatus: 'received' });

		// Each file was asked for on the credential's Base URL with its auth, then fetched where Twilio redirected.
		const asked = twilio.requestsFor('FetchMessageMediaContent');
		expect(
			asked.map((request) => [request.path, request.auth?.kind, request.status]).sort(),
		).toEqual(
			[
				[new URL(photo.url).pathname, 'authToken', 307],
				[new URL(note.url).pathname, 'authToken', 307],
			].sort(),
		);
		expect(twilio.requestsFor('MediaFile').map((request) => request.status)).toEqual([200, 200]);
	});

	test('the Call Trigger passes on every field Twilio sent (AnsweredBy, CallerName, recording fields)', async () => {
		const params = {
			AccountSid: ACCOUNT_SID,
			ApiVersion: '2010-04-01',
			CallSid: 'CA0123456789abcdef0123456789abcdef',
			CallStatus: 'completed',
			CallDuration: '42',
			CallbackSource: 'call-progress-events',
			Direction: 'outbound-api',
			From: TENANT,
			To: USER,
			AnsweredBy: 'machine_end_beep',
			CallerName: 'ANA LOPEZ',
			RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE0123456789abcdef0123456789abcdef`,
			RecordingSid: 'RE0123456789abcdef0123456789abcdef',
			RecordingDuration: '40',
			SequenceNumber: '3',
			Timestamp: 'Mon, 07 Dec 2026 22:00:00 +0000',
		};
		expect((await post('e2e-call-raw', params)).status).toBe(200);
		const [run] = await recorded('call_runs', 1);
		expect(run).toMatchObject({
			event: 'call_ended',
			callSid: params.CallSid,
			status: 'completed',
			duration: 42,
			twilio: params,
		});
	});
});
