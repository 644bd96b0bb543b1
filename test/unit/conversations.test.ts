import { ArgumentError } from '../../nodes/shared/commands/errors';
import type { CommandArguments } from '../../nodes/shared/commands/types';
import { sendConversationMessage } from '../../nodes/shared/integrations/twilio_messenger/commands/send_conversation_message.command';
import { sendMessage } from '../../nodes/shared/integrations/twilio_messenger/commands/send_message.command';
import { conversationItem } from '../../nodes/shared/integrations/twilio_messenger/conversationWebhook';
import { readMessagingWebhook } from '../../nodes/shared/integrations/twilio_messenger/webhook';
import { readSimplify } from '../../nodes/shared/integrations/twilio/simplify';

const CONVERSATION = 'CH0123456789abcdef0123456789abcdef';
const CONTENT = 'HX0123456789abcdef0123456789abcdef';
const MEDIA = 'ME0123456789abcdef0123456789abcdef';

const validate = (args: CommandArguments) =>
	sendConversationMessage.validate(args, {
		integrationIdn: 'twilio_messenger',
		commandIdn: 'send_conversation_message',
		connectorIdn: 'twilio_messenger',
		arguments: args,
	});

function refusal(args: CommandArguments): string {
	try {
		validate(args);
		return 'accepted';
	} catch (error) {
		return error instanceof ArgumentError
			? error.message
			: `not an ArgumentError: ${String(error)}`;
	}
}

describe('send_conversation_message validation (seed SendMessage / SendRichContentMessage)', () => {
	test("seed SendMessage's arguments become Twilio's form: Body, Author, Attributes as a JSON string, Subject", () => {
		expect(
			validate({
				conversationSid: CONVERSATION,
				body: 'Hello',
				author: 'agent.ana',
				messageAttributes: { importance: 'high' },
				subject: 'Order 42',
			}),
		).toEqual({
			conversationSid: CONVERSATION,
			binaryPropertyName: undefined,
			fireWebhooks: false,
			form: {
				Author: 'agent.ana',
				Body: 'Hello',
				Attributes: '{"importance":"high"}',
				MediaSid: undefined,
				Subject: 'Order 42',
			},
		});
	});

	test('seed SendRichContentMessage: a template with {name, value} variables, sent as a JSON object string', () => {
		const input = validate({
			conversationSid: 'support-42',
			contentSid: CONTENT,
			contentVariables: JSON.stringify([{ name: '1', value: 'Ana' }]),
			fireWebhooks: 'true',
		});
		expect(input.conversationSid).toBe('support-42');
		expect(input.fireWebhooks).toBe(true);
		expect(input.form).toMatchObject({ ContentSid: CONTENT, ContentVariables: '{"1":"Ana"}' });
	});

	test('attributes given as a JSON string are sent as that JSON; an empty object sends none', () => {
		expect(
			validate({ conversationSid: CONVERSATION, body: 'x', messageAttributes: '{"a": 1}' }).form
				.Attributes,
		).toBe('{"a":1}');
		expect(
			validate({ conversationSid: CONVERSATION, body: 'x', messageAttributes: '{}' }).form
				.Attributes,
		).toBeUndefined();
	});

	test.each([
		[{}, "Argument 'conversationSid' is required"],
		[
			{ conversationSid: 'CH123', body: 'x' },
			"Argument 'conversationSid' must be a Conversation SID",
		],
		[{ conversationSid: 'a/b', body: 'x' }, 'Argument \'conversationSid\' cannot contain "/"'],
		[{ conversationSid: CONVERSATION }, "Argument 'body' is required unless mediaSid"],
		[
			{ conversationSid: CONVERSATION, body: 'a'.repeat(1601) },
			"Argument 'body' has 1601 characters",
		],
		[{ conversationSid: CONVERSATION, mediaSid: 'ME1' }, "Argument 'mediaSid' must be a Media SID"],
		[
			{ conversationSid: CONVERSATION, mediaSid: MEDIA, binaryPropertyName: 'data' },
			"Argument 'binaryPropertyName' cannot be used with mediaSid",
		],
		[
			{ conversationSid: CONVERSATION, binaryPropertyName: 'data, photo' },
			"Argument 'binaryPropertyName' names one binary field",
		],
		[
			{ conversationSid: CONVERSATION, body: 'x', contentVariables: '{"1": "Ana"}' },
			"Argument 'contentVariables' needs a contentSid",
		],
		[
			{ conversationSid: CONVERSATION, contentSid: 'HX1' },
			"Argument 'contentSid' must be a content template SID",
		],
		[
			{ conversationSid: CONVERSATION, contentSid: CONTENT, body: 'x' },
			"Argument 'body' cannot be used with contentSid",
		],
		[
			{ conversationSid: CONVERSATION, contentSid: CONTENT, mediaSid: MEDIA },
			"Argument 'mediaSid' cannot be used with contentSid",
		],
		[
			{ conversationSid: CONVERSATION, body: 'x', messageAttributes: '{not json' },
			"Argument 'messageAttributes' is not valid JSON",
		],
		[
			{ conversationSid: CONVERSATION, body: 'x', subject: 's'.repeat(257) },
			"Argument 'subject' has more than 256 characters",
		],
	])('%j is refused: %s', (args, message) => {
		expect(refusal(args)).toContain(message);
	});

	test("seed's attachedFiles names the binary field to upload", () => {
		expect(sendConversationMessage.sendCommandAliases).toEqual({
			attachedFiles: 'binaryPropertyName',
		});
		expect(sendConversationMessage.aliases).toEqual(['SendMessage', 'SendRichContentMessage']);
	});
});

describe('Simplify', () => {
	test('is on unless the argument says false; anything else is refused before sending', () => {
		expect(readSimplify({})).toBe(true);
		expect(readSimplify({ simplify: 'false' })).toBe(false);
		expect(readSimplify({ simplify: false })).toBe(false);
		const args = { phoneNumber: '+16507000000', from: '+16505550100', text: 'Hi', simplify: 'no' };
		expect(() =>
			sendMessage.validate(args, {
				integrationIdn: 'twilio_messenger',
				commandIdn: 'send_message',
				connectorIdn: 'sms',
				arguments: args,
			}),
		).toThrow(`Argument 'simplify' must be "true" or "false", got "no"`);
	});
});

describe('Twilio webhooks read', () => {
	test('every status callback is a delivery status; failed and undelivered carry the error', () => {
		const base = { MessageSid: 'SM1', From: '+16505550100', To: '+16507000001' };
		expect(readMessagingWebhook({ ...base, MessageStatus: 'read' })).toEqual({
			kind: 'status',
			messageSid: 'SM1',
			tenantNumber: '+16505550100',
			userNumber: '+16507000001',
			status: 'read',
			error: null,
		});
		expect(
			readMessagingWebhook({ ...base, MessageStatus: 'undelivered', ErrorCode: '30003' }),
		).toMatchObject({
			status: 'undelivered',
			error: { code: 30003, moreInfo: 'https://www.twilio.com/docs/errors/30003' },
		});
	});

	test("a Conversations webhook's tidy fields parse Attributes and Media; the raw fields stay as sent", () => {
		const params = {
			EventType: 'onMessageAdded',
			ConversationSid: CONVERSATION,
			MessageSid: 'IM1',
			Index: '3',
			Author: '+16507000001',
			Body: 'Hi',
			Attributes: '{"a":1}',
			Media: `[{"Sid":"${MEDIA}","ContentType":"image/png"}]`,
			Source: 'SMS',
		};
		expect(conversationItem(params)).toMatchObject({
			event: 'onMessageAdded',
			index: 3,
			attributes: { a: 1 },
			media: [{ Sid: MEDIA, ContentType: 'image/png' }],
			participantSid: null,
			twilio: params,
		});
		expect(
			conversationItem({ EventType: 'onMessageAdded', Attributes: 'not json' }).attributes,
		).toBe('not json');
	});
});
