import type { INodeProperties } from 'n8n-workflow';

import {
	jsonArgument,
	optionalBoolean,
	optionalString,
	requiredString,
} from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandArguments, CommandContext, CommandDefinition } from '../../../commands/types';
import type { JsonObject } from '../../../store/types';
import { createTwilioClient, type TwilioFormValue } from '../../../transport/twilio';
import { MESSENGER_INTEGRATION } from '../constants';
import {
	createConversationMessage,
	fetchConversation,
	uploadConversationMedia,
} from '../conversationsApi';
import { CONTENT_TEMPLATE_FIELDS, readTemplate, readText } from '../messageArguments';

const CONVERSATION_SID = /^CH[0-9a-fA-F]{32}$/;
const MEDIA_SID = /^ME[0-9a-fA-F]{32}$/;
const MAX_SUBJECT_CHARACTERS = 256;

export interface ConversationMessageInput {
	conversationSid: string;
	form: Record<string, TwilioFormValue>;
	/** The item's binary field to upload as the message's media; check makes sure it is there. */
	binaryPropertyName?: string;
	fireWebhooks: boolean;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Conversation SID',
		name: 'conversationSid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'CH…',
		description: "The conversation's SID (CH…) or its unique name",
	},
	{
		displayName: 'Message',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description:
			'The text, at most 1600 characters; may be empty when media or a content template is sent',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attributes (JSON)',
				name: 'messageAttributes',
				type: 'json',
				default: '{}',
				description:
					'Data kept with the message (Twilio\'s Attributes), e.g. {"importance": "high"}',
			},
			{
				displayName: 'Author',
				name: 'author',
				type: 'string',
				default: '',
				placeholder: 'e.g. agent.ana',
				description:
					"Who the message is from (a participant's identity or address); Twilio says system when empty",
			},
			...CONTENT_TEMPLATE_FIELDS,
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: '',
				placeholder: 'e.g. data',
				description:
					"The input item's binary field holding a file to attach (an image, a PDF …); it is uploaded to the conversation's service first",
			},
			{
				displayName: 'Media SID',
				name: 'mediaSid',
				type: 'string',
				default: '',
				placeholder: 'ME…',
				description: "A file already uploaded to the conversation's service, to attach",
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description:
					'The subject of the message (e.g. for email participants), at most 256 characters',
			},
			{
				displayName: 'Trigger Webhooks',
				name: 'fireWebhooks',
				type: 'boolean',
				default: false,
				description:
					"Whether the conversation's webhooks (e.g. a Conversation Trigger) hear about this message; Twilio leaves them out for messages sent through its API, so a workflow that answers does not start itself again",
			},
		],
	},
];

/** Twilio's Attributes: a JSON string; an empty object says nothing. */
function readAttributes(args: CommandArguments): string | undefined {
	const value = jsonArgument(args, 'messageAttributes');
	if (value === undefined) return undefined;
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		return Object.keys(value).length === 0 ? undefined : JSON.stringify(value);
	}
	return JSON.stringify(value);
}

function readConversationSid(args: CommandArguments): string {
	const sid = requiredString(
		args,
		'conversationSid',
		"The conversation's SID (CH and 32 hex digits) or its unique name",
	);
	if (sid.startsWith('CH') && !CONVERSATION_SID.test(sid))
		throw new ArgumentError(
			'conversationSid',
			`must be a Conversation SID (CH and 32 hex digits) or a unique name, got "${sid}"`,
		);
	if (sid.includes('/'))
		throw new ArgumentError('conversationSid', `cannot contain "/", got "${sid}"`);
	return sid;
}

/** One file: a Media SID already uploaded, or the item's binary field to upload. */
function readMedia(args: CommandArguments): { mediaSid?: string; binaryPropertyName?: string } {
	const mediaSid = optionalString(args, 'mediaSid');
	const binaryPropertyName = optionalString(args, 'binaryPropertyName');
	if (mediaSid !== undefined && !MEDIA_SID.test(mediaSid))
		throw new ArgumentError(
			'mediaSid',
			`must be a Media SID (ME and 32 hex digits), got "${mediaSid}"`,
		);
	if (mediaSid !== undefined && binaryPropertyName !== undefined)
		throw new ArgumentError(
			'binaryPropertyName',
			'cannot be used with mediaSid: a Conversations message takes one file',
		);
	if (binaryPropertyName !== undefined && /[\s,]/.test(binaryPropertyName))
		throw new ArgumentError(
			'binaryPropertyName',
			`names one binary field: a Conversations message takes one file, got "${binaryPropertyName}"`,
		);
	return { mediaSid, binaryPropertyName };
}

function readContent(args: CommandArguments) {
	const body = readText(args, 'body');
	const media = readMedia(args);
	const template = readTemplate(args, [
		{ field: 'body', given: body !== undefined },
		{ field: 'mediaSid', given: media.mediaSid !== undefined },
		{ field: 'binaryPropertyName', given: media.binaryPropertyName !== undefined },
	]);
	if (
		template === undefined &&
		body === undefined &&
		media.mediaSid === undefined &&
		media.binaryPropertyName === undefined
	)
		throw new ArgumentError(
			'body',
			'is required unless mediaSid, binaryPropertyName or contentSid give the message',
		);
	return { body, media, content: template ?? {} };
}

/** The item's file, checked before anything is sent. */
function binaryFile(context: CommandContext, name: string) {
	const binary = context.functions.getInputData()[context.itemIndex]?.binary?.[name];
	if (binary === undefined)
		throw new ArgumentError(
			'binaryPropertyName',
			`names no binary field of the input item: it has ${Object.keys(context.functions.getInputData()[context.itemIndex]?.binary ?? {}).join(', ') || 'none'}`,
			'Name the field a previous node put the file in, e.g. data',
		);
	return binary;
}

/**
 * Seed SendMessage / SendRichContentMessage: a message into a Twilio
 * Conversation (any of its channels: SMS, WhatsApp, chat …), with text,
 * attributes, one file, or a content template.
 */
export const sendConversationMessage: CommandDefinition<ConversationMessageInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_conversation_message',
	aliases: ['SendMessage', 'SendRichContentMessage'],
	displayName: 'Send to Conversation',
	description: 'Send a message into a Twilio Conversation',
	properties,
	sendCommandAliases: { attachedFiles: 'binaryPropertyName' },
	validate(args) {
		const conversationSid = readConversationSid(args);
		const { body, media, content } = readContent(args);
		const subject = optionalString(args, 'subject');
		if (subject !== undefined && [...subject].length > MAX_SUBJECT_CHARACTERS)
			throw new ArgumentError('subject', `has more than ${MAX_SUBJECT_CHARACTERS} characters`);
		return {
			conversationSid,
			binaryPropertyName: media.binaryPropertyName,
			fireWebhooks: optionalBoolean(args, 'fireWebhooks') ?? false,
			form: {
				Author: optionalString(args, 'author'),
				Body: body,
				Attributes: readAttributes(args),
				MediaSid: media.mediaSid,
				Subject: subject,
				...content,
			},
		};
	},
	async check(context, input) {
		if (input.binaryPropertyName !== undefined) binaryFile(context, input.binaryPropertyName);
	},
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		let upload: JsonObject | undefined;
		if (input.binaryPropertyName !== undefined) {
			const file = binaryFile(context, input.binaryPropertyName);
			const conversation = await fetchConversation(client, input.conversationSid);
			upload = await uploadConversationMedia(client, String(conversation.chat_service_sid), {
				data: await context.functions.helpers.getBinaryDataBuffer(
					context.itemIndex,
					input.binaryPropertyName,
				),
				contentType: file.mimeType || 'application/octet-stream',
			});
			input.form.MediaSid = String(upload.sid);
		}
		const message = await createConversationMessage(
			client,
			input.conversationSid,
			input.form,
			input.fireWebhooks,
		);
		return {
			status: 'sent',
			externalId: String(message.sid),
			result: {
				messageSid: message.sid ?? null,
				conversationSid: message.conversation_sid ?? input.conversationSid,
				index: message.index ?? null,
				author: message.author ?? null,
				body: message.body ?? null,
				attributes: message.attributes ?? null,
				media: message.media ?? null,
				contentSid: message.content_sid ?? null,
				participantSid: message.participant_sid ?? null,
				dateCreated: message.date_created ?? null,
				mediaSid: typeof input.form.MediaSid === 'string' ? input.form.MediaSid : null,
			},
		};
	},
};
