import type { IExecuteFunctions } from 'n8n-workflow';

import { ArgumentError } from '../../nodes/shared/commands/errors';
import { sendMessage } from '../../nodes/shared/integrations/twilio_messenger/commands/send_message.command';
import type { CommandArguments, CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';

const request = {
	integrationIdn: 'twilio_messenger',
	commandIdn: 'send_message',
	connectorIdn: 'sms',
	arguments: {},
};
const validate = (args: CommandArguments) =>
	sendMessage.validate(args, { ...request, arguments: args });
const base = { phoneNumber: '+16507000000', from: '+16505550100', text: 'Hello' };

function fieldOf(args: CommandArguments): string | undefined {
	try {
		validate(args);
		return undefined;
	} catch (error) {
		return error instanceof ArgumentError ? error.field : `not an ArgumentError: ${String(error)}`;
	}
}

describe('send_message validation', () => {
	test('the seed arguments (text, phoneNumber) and a sender make a plain SMS', () => {
		expect(validate(base).form).toEqual({
			To: '+16507000000',
			From: '+16505550100',
			Body: 'Hello',
		});
	});

	test('text keeps its spaces and line breaks; 1600 characters are allowed, an emoji counts as one', () => {
		expect(validate({ ...base, text: ' two\nlines ' }).form.Body).toBe(' two\nlines ');
		expect(validate({ ...base, text: '😀'.repeat(1600) }).form.Body).toHaveLength(3200);
		expect(() => validate({ ...base, text: 'a'.repeat(1601) })).toThrow(
			"Argument 'text' has 1601 characters; Twilio takes at most 1600",
		);
	});

	test('media URLs come as a JSON list or a comma / space separated string, at most 10, http(s) only', () => {
		const urls = Array.from({ length: 10 }, (_, index) => `https://example.com/${index}.jpg`);
		expect(validate({ ...base, mediaUrl: urls }).form.MediaUrl).toEqual(urls);
		expect(validate({ ...base, mediaUrl: JSON.stringify(urls) }).form.MediaUrl).toEqual(urls);
		expect(
			validate({ ...base, mediaUrl: `${urls[0]}, ${urls[1]}\n${urls[2]}` }).form.MediaUrl,
		).toEqual(urls.slice(0, 3));
		expect(() => validate({ ...base, mediaUrl: [...urls, 'https://example.com/x.png'] })).toThrow(
			"Argument 'mediaUrl' has 11 URLs",
		);
		expect(() =>
			validate({ ...base, mediaUrl: 'https://example.com/a.png ftp://example.com/b.png' }),
		).toThrow('Argument \'mediaUrl\' (URL 2) must use http or https, got "ftp:"');
	});

	test('a content template takes its variables as an object or as seed 001 {name, value} pairs, sent as a JSON string', () => {
		const contentSid = 'HX0123456789abcdef0123456789abcdef';
		const { phoneNumber, from } = base;
		expect(
			validate({ phoneNumber, from, contentSid, contentVariables: '{"1": "Ana", "2": 3}' }).form,
		).toEqual({
			To: phoneNumber,
			From: from,
			ContentSid: contentSid,
			ContentVariables: '{"1":"Ana","2":"3"}',
		});
		expect(
			validate({
				phoneNumber,
				from,
				contentSid,
				contentVariables: [{ name: 'first', value: 'Ana' }],
			}).form.ContentVariables,
		).toBe('{"first":"Ana"}');
		expect(
			validate({ phoneNumber, from, contentSid, contentVariables: '{}' }).form.ContentVariables,
		).toBeUndefined();
		expect(fieldOf({ phoneNumber, from, contentSid, contentVariables: '[1]' })).toBe(
			'contentVariables',
		);
		expect(fieldOf({ phoneNumber, from, contentVariables: '{"1": "Ana"}' })).toBe(
			'contentVariables',
		);
		expect(fieldOf({ ...base, contentSid })).toBe('text');
		expect(fieldOf({ phoneNumber, from, contentSid: 'HX123' })).toBe('contentSid');
	});

	test.each([
		['a recipient that is not E.164', { phoneNumber: '6507000000' }, 'phoneNumber'],
		[
			'a WhatsApp recipient that is not E.164',
			{ phoneNumber: 'whatsapp:6507000000' },
			'phoneNumber',
		],
		['a sender ID of 12 characters', { from: 'ABCDEFGHIJKL' }, 'from'],
		[
			'a Messaging Service SID of the wrong kind',
			{ messagingServiceSid: 'MGxyz' },
			'messagingServiceSid',
		],
		['neither text nor media nor template', { text: '  ' }, 'text'],
		['a validity period over 36000', { validityPeriod: '36001' }, 'validityPeriod'],
		[
			'a status callback that is not http(s)',
			{ statusCallback: 'mailto:ops@example.com' },
			'statusCallback',
		],
	])('%s is rejected naming the field', (_, change, field) => {
		expect(fieldOf({ ...base, ...change })).toBe(field);
	});

	test('channel addresses, short codes and sender IDs are accepted', () => {
		expect(
			validate({ ...base, phoneNumber: 'whatsapp:+16507000000', from: 'whatsapp:+16505550100' })
				.form.To,
		).toBe('whatsapp:+16507000000');
		expect(validate({ ...base, from: '12345' }).form.From).toBe('12345');
		expect(validate({ ...base, from: 'Acme Shop' }).form.From).toBe('Acme Shop');
		expect(
			validate({ ...base, from: '', messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' })
				.form.From,
		).toBeUndefined();
	});
});

describe('send_message schedule', () => {
	const messagingServiceSid = 'MG0123456789abcdef0123456789abcdef';
	const context = {
		store: new MemoryStore(),
		timezone: 'Europe/Berlin',
		itemIndex: 0,
		functions: {} as IExecuteFunctions,
	} satisfies CommandContext;

	test('Send At without an offset is read in the workflow timezone and sent as UTC with ScheduleType fixed', async () => {
		const input = validate({ ...base, messagingServiceSid, sendAt: '2099-01-01T10:00' });
		// 35 days is the limit: a date that far is refused, so check the conversion on a near date.
		await expect(sendMessage.check?.(context, input)).rejects.toThrow(
			"Argument 'sendAt' must be 15 minutes to 35 days ahead",
		);
		const soon = new Date(Date.now() + 2 * 24 * 3600_000);
		const local = soon
			.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' })
			.replace(' ', 'T')
			.slice(0, 16);
		const near = validate({ ...base, messagingServiceSid, sendAt: local });
		await sendMessage.check?.(context, near);
		expect(near.form.ScheduleType).toBe('fixed');
		expect(near.form.SendAt).toBe(
			new Date(Math.floor(soon.getTime() / 60_000) * 60_000).toISOString(),
		);
	});

	test('a schedule without a Messaging Service is rejected naming sendAt', async () => {
		await expect(
			sendMessage.check?.(context, validate({ ...base, sendAt: '2030-01-01T10:00:00Z' })),
		).rejects.toThrow("Argument 'sendAt' needs a messagingServiceSid");
	});

	test('a Send At in the past or in another format is rejected naming sendAt', async () => {
		await expect(
			sendMessage.check?.(
				context,
				validate({ ...base, messagingServiceSid, sendAt: '2020-01-01T10:00Z' }),
			),
		).rejects.toThrow(/sendAt/);
		await expect(
			sendMessage.check?.(context, validate({ ...base, messagingServiceSid, sendAt: 'tomorrow' })),
		).rejects.toThrow('Argument \'sendAt\' "tomorrow" is not in the format');
	});
});
