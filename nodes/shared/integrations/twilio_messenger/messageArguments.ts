/** Reading a message's arguments: recipient, sender and content, as Send Message and Send Media take them. */
import type { INodeProperties } from 'n8n-workflow';

import {
	checkHttpUrl,
	jsonArgument,
	optionalList,
	optionalString,
	optionalText,
	requiredString,
} from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext } from '../../commands/types';
import type { JsonObject, JsonValue } from '../../store/types';
import { twilioDefaults, type TwilioFormValue } from '../../transport/twilio';
import { addressPattern, addressSource, E164_PATTERN } from '../twilio/addresses';
import {
	CONTENT_SID_PATTERN,
	contentTemplateLocator,
	MESSAGING_SERVICE_SID_PATTERN,
} from '../twilio/pickers';
import { MAX_MEDIA_URLS } from './constants';

const MAX_TEXT_CHARACTERS = 1600;
/** Where a message can go: an E.164 number, or a channel address such as whatsapp:+…. */
const RECIPIENT = addressPattern(
	`(?:whatsapp|rcs):${E164_PATTERN}`,
	String.raw`messenger:\d{1,32}`,
);
/** Who can send it: also a short code, an alphanumeric sender ID (a letter in it, at most 11) or an RCS agent. */
const SENDERS = [
	`whatsapp:${E164_PATTERN}`,
	String.raw`rcs:[A-Za-z0-9_.-]+`,
	String.raw`messenger:\d{1,32}`,
	String.raw`\d{3,8}`,
	'(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}',
];
const SENDER = addressPattern(...SENDERS);
export const SENDER_SOURCE = addressSource(...SENDERS);
const MESSAGING_SERVICE_SID = new RegExp(`^${MESSAGING_SERVICE_SID_PATTERN}$`);
const CONTENT_SID = new RegExp(`^${CONTENT_SID_PATTERN}$`);

export function readRecipient(args: CommandArguments): string {
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

/**
 * The sender as given, checked; neither From nor a Messaging Service SID is
 * fine here: completeSender then takes the credential's Default From.
 */
export function readSender(args: CommandArguments): {
	from?: string;
	messagingServiceSid?: string;
} {
	const from = optionalString(args, 'from');
	const messagingServiceSid = optionalString(args, 'messagingServiceSid');
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

/**
 * A message that names no sender gets the Twilio credential's Default From
 * (a sender, or a Messaging Service SID); without one, the error says where
 * to set a sender. Before anything is sent.
 */
export async function completeSender(
	context: CommandContext,
	form: Record<string, TwilioFormValue>,
): Promise<void> {
	if (form.From !== undefined || form.MessagingServiceSid !== undefined) return;
	const { defaultFrom } = await twilioDefaults(context.functions, context.itemIndex);
	if (defaultFrom === undefined) {
		throw new ArgumentError(
			'from',
			'is required unless a messagingServiceSid picks the sender: set From (or Messaging Service SID) on the node, or Default From on the Twilio credential',
			'Give a Twilio number (E.164), a sender ID or channel address, or a Messaging Service SID (MG…)',
		);
	}
	if (MESSAGING_SERVICE_SID.test(defaultFrom)) form.MessagingServiceSid = defaultFrom;
	else if (SENDER.test(defaultFrom)) form.From = defaultFrom;
	else
		throw new ArgumentError(
			'from',
			`is empty and the Twilio credential's Default From is neither a sender nor a Messaging Service SID: "${defaultFrom}"`,
			'Correct Default From on the Twilio credential, or set From on the node',
		);
}

export function readText(args: CommandArguments, name = 'text'): string | undefined {
	const text = optionalText(args, name);
	// Twilio counts characters (code points), not UTF-16 units: an emoji is one.
	const length = text === undefined ? 0 : [...text].length;
	if (length > MAX_TEXT_CHARACTERS)
		throw new ArgumentError(
			name,
			`has ${length} characters; Twilio takes at most ${MAX_TEXT_CHARACTERS}`,
		);
	return text;
}

/** Up to 10 http(s) URLs, as a list or one string of them; undefined when empty. */
export function optionalMediaUrls(args: CommandArguments, name: string): string[] | undefined {
	const urls = optionalList(args, name);
	if (urls === undefined) return undefined;
	if (urls.length > MAX_MEDIA_URLS)
		throw new ArgumentError(
			name,
			`has ${urls.length} URLs; Twilio takes at most ${MAX_MEDIA_URLS} per message`,
		);
	return urls.map((url, index) => checkHttpUrl(name, url, `(URL ${index + 1}) `));
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

/**
 * A content template and its variables, or undefined when none is given
 * (variables without one are refused). The template holds the whole
 * message: any of `beside` given with it is refused, as Twilio would drop
 * it without a word.
 */
export function readTemplate(
	args: CommandArguments,
	beside: Array<{ field: string; given: boolean }>,
): { ContentSid: string; ContentVariables?: string } | undefined {
	const contentSid = optionalString(args, 'contentSid');
	const contentVariables = readContentVariables(args);
	if (contentSid === undefined) {
		if (contentVariables !== undefined)
			throw new ArgumentError(
				'contentVariables',
				'needs a contentSid: they fill in a content template',
			);
		return undefined;
	}
	if (!CONTENT_SID.test(contentSid))
		throw new ArgumentError(
			'contentSid',
			`must be a content template SID (HX and 32 hex digits), got "${contentSid}"`,
		);
	const clash = beside.find((other) => other.given);
	if (clash !== undefined)
		throw new ArgumentError(
			clash.field,
			'cannot be used with contentSid: the content template holds the message',
		);
	return { ContentSid: contentSid, ContentVariables: contentVariables };
}

/** What the message says: text and media, or a content template with its variables. */
export function readContent(
	args: CommandArguments,
): Partial<Record<'Body' | 'MediaUrl' | 'ContentSid' | 'ContentVariables', TwilioFormValue>> {
	const text = readText(args);
	const mediaUrls = optionalMediaUrls(args, 'mediaUrl');
	const template = readTemplate(args, [
		{ field: 'text', given: text !== undefined },
		{ field: 'mediaUrl', given: mediaUrls !== undefined },
	]);
	if (template !== undefined) return template;
	if (text === undefined && mediaUrls === undefined)
		throw new ArgumentError('text', 'is required unless mediaUrl or contentSid give the message');
	return { Body: text, MediaUrl: mediaUrls };
}

/** The Options fields of a content template, as Send Message and Send to Conversation show them. */
export const CONTENT_TEMPLATE_FIELDS: INodeProperties[] = [
	contentTemplateLocator('Send this content template (rich content) instead of text and media'),
	{
		displayName: 'Content Variables (JSON)',
		name: 'contentVariables',
		type: 'json',
		default: '{}',
		description:
			'Values of the template\'s variables: {"1": "Ana"}, or a list of {"name", "value"}',
	},
];
