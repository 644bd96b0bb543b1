import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject, JsonValue } from '../../store/types';
import { accountPath, type TwilioFormValue } from '../../transport/twilio';
import { addressPattern, E164_PATTERN } from '../../integrations/twilio/addresses';
import {
	checkHttpUrl,
	jsonArgument,
	optionalHttpUrl,
	optionalList,
	optionalPositiveNumber,
	optionalString,
	optionalText,
	requiredString,
} from '../arguments';
import { ArgumentError } from '../errors';
import { createForRecipient } from '../../integrations/twilio/recipient';
import { parseFireAt } from '../program_timer/fireAt';
import type { CommandArguments, CommandDefinition } from '../types';

export const MESSENGER_INTEGRATION = 'twilio_messenger';

const MESSAGES_PATH = accountPath('/Messages.json');
const MAX_TEXT_CHARACTERS = 1600;
export const MAX_MEDIA_URLS = 10;
const MAX_VALIDITY_SECONDS = 36_000;
/** Twilio schedules a message from 15 minutes to 35 days ahead (errors 35114, 35115). */
const SCHEDULE_MIN_MS = 15 * 60_000;
const SCHEDULE_MAX_MS = 35 * 24 * 3600_000;

/** Where a message can go: an E.164 number, or a channel address such as whatsapp:+…. */
const RECIPIENT = addressPattern(
	`(?:whatsapp|rcs):${E164_PATTERN}`,
	String.raw`messenger:\d{1,32}`,
);
/** Who can send it: also a short code, an alphanumeric sender ID (a letter in it, at most 11) or an RCS agent. */
const SENDER = addressPattern(
	`whatsapp:${E164_PATTERN}`,
	String.raw`rcs:[A-Za-z0-9_.-]+`,
	String.raw`messenger:\d{1,32}`,
	String.raw`\d{3,8}`,
	'(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}',
);
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;

export interface SendMessageInput {
	to: string;
	/** Send At as written: read in the workflow's timezone by `check`, which then fills in SendAt. */
	sendAt?: string;
	form: Record<string, TwilioFormValue>;
}

function readRecipient(args: CommandArguments): string {
	const to = requiredString(
		args,
		'phoneNumber',
		'The recipient in E.164, e.g. +16507000000, or a channel address such as whatsapp:+16507000000',
	);
	if (!RECIPIENT.test(to)) {
		throw new ArgumentError(
			'phoneNumber',
			`must be an E.164 number (+16507000000) or a channel address (whatsapp:+16507000000), got "${to}"`,
		);
	}
	return to;
}

function readSender(args: CommandArguments): { from?: string; messagingServiceSid?: string } {
	const from = optionalString(args, 'from');
	const messagingServiceSid = optionalString(args, 'messagingServiceSid');
	if (from === undefined && messagingServiceSid === undefined) {
		throw new ArgumentError(
			'from',
			'is required unless a messagingServiceSid picks the sender',
			'Give a Twilio number (E.164), a sender ID or channel address, or a Messaging Service SID (MG…)',
		);
	}
	if (from !== undefined && !SENDER.test(from)) {
		throw new ArgumentError(
			'from',
			`must be an E.164 number, a short code, an alphanumeric sender ID (at most 11 characters) or a channel address, got "${from}"`,
		);
	}
	if (messagingServiceSid !== undefined && !MESSAGING_SERVICE_SID.test(messagingServiceSid)) {
		throw new ArgumentError(
			'messagingServiceSid',
			`must be a Messaging Service SID (MG and 32 hex digits), got "${messagingServiceSid}"`,
		);
	}
	return { from, messagingServiceSid };
}

function readText(args: CommandArguments): string | undefined {
	const text = optionalText(args, 'text');
	// Twilio counts characters (code points), not UTF-16 units: an emoji is one.
	const length = text === undefined ? 0 : [...text].length;
	if (length > MAX_TEXT_CHARACTERS)
		throw new ArgumentError(
			'text',
			`has ${length} characters; Twilio takes at most ${MAX_TEXT_CHARACTERS}`,
		);
	return text;
}

function readMediaUrls(args: CommandArguments): string[] | undefined {
	const urls = optionalList(args, 'mediaUrl');
	if (urls === undefined) return undefined;
	if (urls.length > MAX_MEDIA_URLS)
		throw new ArgumentError(
			'mediaUrl',
			`has ${urls.length} URLs; Twilio takes at most ${MAX_MEDIA_URLS} per message`,
		);
	return urls.map((url, index) => checkHttpUrl('mediaUrl', url, `(URL ${index + 1}) `));
}

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Twilio's `{"1": "Ana"}`, or seed 001's list of `{name, value}`, as the JSON string Twilio takes. */
function readContentVariables(args: CommandArguments): string | undefined {
	const value = jsonArgument(args, 'contentVariables');
	if (value === undefined) return undefined;
	let entries: Array<[string, JsonValue | undefined]>;
	if (Array.isArray(value)) {
		entries = value.map((entry) => {
			if (!isObject(entry) || typeof entry.name !== 'string')
				throw new ArgumentError(
					'contentVariables',
					'as a list must hold {"name": …, "value": …} objects',
				);
			return [entry.name, entry.value];
		});
	} else if (isObject(value)) {
		entries = Object.entries(value);
	} else {
		throw new ArgumentError(
			'contentVariables',
			'must be a JSON object such as {"1": "Ana"} or a list of {"name", "value"}',
		);
	}
	const variables: Record<string, string> = {};
	for (const [name, variable] of entries) {
		if (typeof variable === 'object' && variable !== null)
			throw new ArgumentError(
				'contentVariables',
				`variable "${name}" must be text, a number or a boolean`,
			);
		variables[name] = variable === null || variable === undefined ? '' : String(variable);
	}
	// The typed field's default `{}` says nothing.
	return Object.keys(variables).length === 0 ? undefined : JSON.stringify(variables);
}

/** What the message says: text and media, or a content template with its variables. */
function readContent(
	args: CommandArguments,
): Partial<Record<'Body' | 'MediaUrl' | 'ContentSid' | 'ContentVariables', TwilioFormValue>> {
	const text = readText(args);
	const mediaUrls = readMediaUrls(args);
	const contentSid = optionalString(args, 'contentSid');
	const contentVariables = readContentVariables(args);
	if (contentSid === undefined) {
		if (contentVariables !== undefined)
			throw new ArgumentError(
				'contentVariables',
				'needs a contentSid: they fill in a content template',
			);
		if (text === undefined && mediaUrls === undefined)
			throw new ArgumentError('text', 'is required unless mediaUrl or contentSid give the message');
		return { Body: text, MediaUrl: mediaUrls };
	}
	if (!CONTENT_SID.test(contentSid))
		throw new ArgumentError(
			'contentSid',
			`must be a content template SID (HX and 32 hex digits), got "${contentSid}"`,
		);
	// The template holds the message; text or media beside it would be dropped without a word.
	if (text !== undefined)
		throw new ArgumentError(
			'text',
			'cannot be used with contentSid: the content template holds the message',
		);
	if (mediaUrls !== undefined)
		throw new ArgumentError(
			'mediaUrl',
			'cannot be used with contentSid: the content template holds the message',
		);
	return { ContentSid: contentSid, ContentVariables: contentVariables };
}

const properties: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +16507000000',
		description:
			'The recipient: an E.164 number, or a channel address such as whatsapp:+16507000000',
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		placeholder: 'e.g. +16505550100',
		description:
			'A Twilio number (E.164), short code, alphanumeric sender ID or channel address of the account; leave empty to let the Messaging Service pick the sender',
	},
	{
		displayName: 'Messaging Service SID',
		name: 'messagingServiceSid',
		type: 'string',
		default: '',
		placeholder: 'MG…',
		description:
			'Send through a Messaging Service (needed to schedule); it picks the sender when From is empty',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. Hello, how can I assist you today?',
		description:
			'The message, at most 1600 characters; may be empty when media or a content template is sent',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Content SID',
				name: 'contentSid',
				type: 'string',
				default: '',
				placeholder: 'HX…',
				description: 'Send this content template (rich content) instead of text and media',
			},
			{
				displayName: 'Content Variables (JSON)',
				name: 'contentVariables',
				type: 'json',
				default: '{}',
				description:
					'Values of the template\'s variables: {"1": "Ana"}, or a list of {"name", "value"}',
			},
			{
				displayName: 'Media URLs',
				name: 'mediaUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/photo.jpg',
				description:
					'Up to 10 public http(s) URLs of images or other media (MMS), separated by commas, spaces or new lines',
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description:
					"Schedule the message (15 minutes to 35 days ahead; needs a Messaging Service). Without an offset it is read in the workflow's timezone.",
			},
			{
				displayName: 'Status Callback URL',
				name: 'statusCallback',
				type: 'string',
				default: '',
				description: "Twilio posts the message's status changes here",
			},
			{
				displayName: 'Validity Period (Seconds)',
				name: 'validityPeriod',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_VALIDITY_SECONDS },
				default: MAX_VALIDITY_SECONDS,
				description:
					"How long the message may wait in Twilio's queue before it is dropped (1 to 36000)",
			},
		],
	},
];

export const sendMessage: CommandDefinition<SendMessageInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_message',
	displayName: 'Send Message',
	description: 'Send an SMS, MMS, channel (e.g. WhatsApp) or content-template message',
	arguments: [
		{
			name: 'phoneNumber',
			type: 'string',
			required: true,
			description: 'The recipient, E.164 or a channel address (whatsapp:+…)',
		},
		{
			name: 'text',
			type: 'string',
			required: false,
			description: 'The message text, at most 1600 characters',
		},
		{
			name: 'from',
			type: 'string',
			required: false,
			description: 'The sender: a Twilio number, short code, sender ID or channel address',
		},
		{
			name: 'messagingServiceSid',
			type: 'string',
			required: false,
			description: 'Messaging Service SID (MG…); needed to schedule',
		},
		{
			name: 'mediaUrl',
			type: 'string',
			required: false,
			description: 'Up to 10 http(s) media URLs (MMS), comma-separated or a JSON list',
		},
		{
			name: 'contentSid',
			type: 'string',
			required: false,
			description: 'Content template SID (HX…) instead of text',
		},
		{
			name: 'contentVariables',
			type: 'json',
			required: false,
			description: 'Template variables: {"1": "Ana"} or [{"name", "value"}]',
		},
		{
			name: 'sendAt',
			type: 'datetime',
			required: false,
			description: 'Schedule for this time (15 min to 35 days ahead)',
		},
		{
			name: 'validityPeriod',
			type: 'number',
			required: false,
			description: 'Seconds the message may wait in the queue, 1 to 36000',
		},
		{ name: 'statusCallback', type: 'string', required: false, description: 'Status callback URL' },
	],
	properties,
	validate(args) {
		const to = readRecipient(args);
		const { from, messagingServiceSid } = readSender(args);
		const content = readContent(args);
		const sendAt = optionalString(args, 'sendAt');
		if (sendAt !== undefined && messagingServiceSid === undefined) {
			throw new ArgumentError(
				'sendAt',
				'needs a messagingServiceSid: Twilio schedules only messages sent through a Messaging Service',
			);
		}
		return {
			to,
			sendAt,
			form: {
				To: to,
				From: from,
				MessagingServiceSid: messagingServiceSid,
				...content,
				ValidityPeriod: optionalPositiveNumber(args, 'validityPeriod', {
					integer: true,
					max: MAX_VALIDITY_SECONDS,
				}),
				StatusCallback: optionalHttpUrl(args, 'statusCallback'),
			},
		};
	},
	// The workflow's timezone reaches a command only here, still before anything is sent.
	async check(context, input) {
		if (input.sendAt === undefined) return;
		const at = parseFireAt(input.sendAt, context.timezone, 'sendAt');
		const ahead = at - Date.now();
		if (ahead < SCHEDULE_MIN_MS || ahead > SCHEDULE_MAX_MS) {
			throw new ArgumentError(
				'sendAt',
				`must be 15 minutes to 35 days ahead, got "${input.sendAt}"`,
			);
		}
		input.form.ScheduleType = 'fixed';
		input.form.SendAt = new Date(at).toISOString();
	},
	async run(context, input, act) {
		const { created: message, recipient } = await createForRecipient(
			context,
			act,
			input.to,
			async (client) =>
				await client.request<JsonObject>({ method: 'POST', path: MESSAGES_PATH, form: input.form }),
		);
		return {
			status: 'sent',
			externalId: String(message.sid),
			result: {
				messageSid: message.sid ?? null,
				status: message.status ?? null,
				to: message.to ?? input.to,
				from: message.from ?? null,
				messagingServiceSid: message.messaging_service_sid ?? null,
				body: message.body ?? null,
				numMedia: message.num_media ?? null,
				numSegments: message.num_segments ?? null,
				sendAt: input.form.SendAt ?? null,
				...recipient,
			},
		};
	},
};
