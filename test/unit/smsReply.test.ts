import {
	awaitReply,
	handReplyToWebhook,
	openReplyTurn,
} from '../../nodes/shared/integrations/twilio_messenger/reply';
import { openSmsSession } from '../../nodes/shared/integrations/twilio_messenger/session';
import { messagingReplyTwiml } from '../../nodes/shared/integrations/twilio_messenger/twiml';
import { MemoryStore } from '../../nodes/shared/store';
import { runCommand, sendCommandContext } from '../support/runCommand';

const parties = { connectorIdn: 'sms', tenantNumber: '+12345556789', userNumber: '+18765554321' };

describe("the workflow's reply answers the SMS Trigger's held webhook (response timeout)", () => {
	let store: MemoryStore;

	beforeEach(() => {
		store = new MemoryStore();
	});

	test('a reply sent while the trigger waits is handed to it, not sent through the API', async () => {
		const { session } = await openSmsSession(store, parties);
		const deadline = Date.now() + 3_000;
		const turn = await openReplyTurn(store, session, deadline);
		const waiting = awaitReply(store, session.id, turn, deadline);
		await expect(
			handReplyToWebhook(store, parties, {
				text: 'Hi there',
				media: ['https://a.example/x.gif'],
				statusCallback: null,
			}),
		).resolves.toBe(true);
		const started = Date.now();
		await expect(waiting).resolves.toEqual({
			turn,
			text: 'Hi there',
			media: ['https://a.example/x.gif'],
			statusCallback: null,
		});
		expect(Date.now() - started).toBeLessThan(1_000);
		// A second message of the same turn goes through the API.
		await expect(
			handReplyToWebhook(store, parties, { text: 'More', media: [], statusCallback: null }),
		).resolves.toBe(false);
	});

	test('after the timeout the trigger stops waiting, and a late reply goes through the API', async () => {
		const { session } = await openSmsSession(store, parties);
		const deadline = Date.now() + 200;
		const turn = await openReplyTurn(store, session, deadline);
		await expect(awaitReply(store, session.id, turn, deadline)).resolves.toBeUndefined();
		await expect(
			handReplyToWebhook(store, parties, { text: 'Late', media: [], statusCallback: null }),
		).resolves.toBe(false);
	});

	test('without a waiting trigger (no turn, another connector or number) nothing is handed', async () => {
		await expect(
			handReplyToWebhook(store, parties, { text: 'x', media: [], statusCallback: null }),
		).resolves.toBe(false);
		const { session } = await openSmsSession(store, parties);
		await openReplyTurn(store, session, Date.now() + 5_000);
		await expect(
			handReplyToWebhook(
				store,
				{ ...parties, connectorIdn: 'other' },
				{ text: 'x', media: [], statusCallback: null },
			),
		).resolves.toBe(false);
		await expect(
			handReplyToWebhook(
				store,
				{ ...parties, tenantNumber: '+15550000000' },
				{ text: 'x', media: [], statusCallback: null },
			),
		).resolves.toBe(false);
	});

	test('Send Message from the tenant number to the user is the reply, its status callback too: recorded as delivered by the webhook', async () => {
		const { session } = await openSmsSession(store, parties);
		const deadline = Date.now() + 3_000;
		const turn = await openReplyTurn(store, session, deadline);
		const waiting = awaitReply(store, session.id, turn, deadline);
		// No credential in this context: a request to Twilio would fail the act.
		const act = await runCommand(sendCommandContext(store), {
			integrationIdn: 'twilio_messenger',
			commandIdn: 'send_message',
			connectorIdn: parties.connectorIdn,
			arguments: {
				phoneNumber: parties.userNumber,
				from: parties.tenantNumber,
				text: 'Hello',
				statusCallback: 'https://n8n.example/webhook/sms',
			},
		});
		expect(act).toMatchObject({
			status: 'sent',
			commandIdn: 'send_message',
			result: { deliveredBy: 'webhook', status: 'replied', body: 'Hello', messageSid: null },
		});
		await expect(waiting).resolves.toMatchObject({
			text: 'Hello',
			media: [],
			statusCallback: 'https://n8n.example/webhook/sms',
		});
	});

	test('the reply TwiML carries the text, the media and where Twilio reports its status', () => {
		expect(messagingReplyTwiml('Hi & bye')).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi &amp; bye</Message></Response>',
		);
		expect(messagingReplyTwiml(null, ['https://a.example/1.gif'])).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message><Media>https://a.example/1.gif</Media></Message></Response>',
		);
		expect(messagingReplyTwiml('Hi', [], 'https://n8n.example/webhook/sms?a=1&b=2')).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message action="https://n8n.example/webhook/sms?a=1&amp;b=2" method="POST">Hi</Message></Response>',
		);
		expect(messagingReplyTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
	});
});
