import type { INodeProperties } from 'n8n-workflow';

import {
	optionalHttpUrl,
	optionalPositiveNumber,
	optionalString,
} from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import { parseFireAt } from '../../../commands/dates';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../../../commands/types';
import type { Act } from '../../../store/types';
import type { TwilioFormValue } from '../../../transport/twilio';
import { createForRecipient, recipientOf } from '../../twilio/recipient';
import { readSimplify, simplified, simplifyProperty } from '../../twilio/simplify';
import { createMessage } from '../api';
import { MESSENGER_INTEGRATION } from '../constants';
import {
	CONTENT_TEMPLATE_FIELDS,
	completeSender,
	readContent,
	readRecipient,
	readSender,
} from '../messageArguments';
import { fromField } from '../senderFields';
import { messagingServiceLocator } from '../../twilio/pickers';
import { handReplyToWebhook } from '../reply';
import { senderPace } from '../sendingRate';
import { findWebhookListener, SMS_TRIGGER } from '../../../triggers/connectorListener';

const MAX_VALIDITY_SECONDS = 36_000;
/** Twilio schedules a message from 15 minutes to 35 days ahead (errors 35114, 35115). */
const SCHEDULE_MIN_MS = 15 * 60_000;
const SCHEDULE_MAX_MS = 35 * 24 * 3600_000;

export interface SendMessageInput {
	to: string;
	/** Where status callbacks go when the message names none: the SMS Trigger listening on it. */
	connectorIdn: string;
	/** Send At as written: read in the workflow's timezone by `check`, which then fills in SendAt. */
	sendAt?: string;
	form: Record<string, TwilioFormValue>;
	/** false: the result is Twilio's Message resource as it answered. */
	simplify?: boolean;
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
	fromField(
		'A Twilio number, short code, alphanumeric sender ID or channel address of the account; leave empty to let the Messaging Service pick the sender',
	),
	messagingServiceLocator(
		'Send through a Messaging Service (needed to schedule); it picks the sender when From is empty',
	),
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
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...CONTENT_TEMPLATE_FIELDS,
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
				description:
					"Twilio posts the message's status changes here. Empty: to the SMS Trigger listening on the connector, if an active one does.",
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

/** Only a plain message (text, media, status callback) can be a TwiML reply; the other options need the REST API. */
const REST_ONLY_FIELDS = ['ContentSid', 'SendAt', 'ValidityPeriod'] as const;

/**
 * A message to a user whose SMS Trigger is holding Twilio's request for a
 * reply goes back as that request's answer; undefined when it must be sent
 * through the REST API.
 */
async function replyThroughWebhook(
	context: CommandContext,
	input: SendMessageInput,
	act: Act,
): Promise<CommandOutcome | undefined> {
	const { From: from, Body: body, MediaUrl: media, StatusCallback: statusCallback } = input.form;
	if (typeof from !== 'string' || REST_ONLY_FIELDS.some((field) => input.form[field] !== undefined))
		return undefined;
	const text = typeof body === 'string' ? body : null;
	const mediaUrls = Array.isArray(media) ? media : [];
	const handed = await handReplyToWebhook(
		context.store,
		{ connectorIdn: act.connectorIdn, tenantNumber: from, userNumber: input.to },
		{
			text,
			media: mediaUrls,
			statusCallback: typeof statusCallback === 'string' ? statusCallback : null,
		},
	);
	if (!handed) return undefined;
	const recipient = await recipientOf(context, act, input.to);
	// No Message resource exists: Twilio sends the reply as its answer to the webhook.
	const resource = {
		sid: null,
		status: 'replied',
		to: input.to,
		from,
		body: text,
		num_media: String(mediaUrls.length),
	};
	return {
		status: 'sent',
		result: simplified(input.simplify ?? true, resource, () => ({
			messageSid: null,
			status: 'replied',
			deliveredBy: 'webhook',
			to: input.to,
			from,
			messagingServiceSid: null,
			body: text,
			numMedia: String(mediaUrls.length),
			numSegments: null,
			sendAt: null,
			...recipient,
		})),
	};
}

/**
 * The credential's Default From, the SMS Trigger listening on the connector
 * and the workflow's timezone reach a command only here, still before
 * anything is sent.
 */
export async function checkMessage(
	context: CommandContext,
	input: SendMessageInput,
): Promise<void> {
	await completeSender(context, input.form);
	if (input.form.StatusCallback === undefined) {
		const listener = await findWebhookListener(context, SMS_TRIGGER, input.connectorIdn);
		input.form.StatusCallback = listener?.webhookUrl ?? undefined;
	}
	if (input.sendAt === undefined) return;
	if (input.form.MessagingServiceSid === undefined) {
		throw new ArgumentError(
			'sendAt',
			'needs a messagingServiceSid: Twilio schedules only messages sent through a Messaging Service',
		);
	}
	const at = parseFireAt(input.sendAt, context.timezone, 'sendAt');
	const ahead = at - Date.now();
	if (ahead < SCHEDULE_MIN_MS || ahead > SCHEDULE_MAX_MS) {
		throw new ArgumentError('sendAt', `must be 15 minutes to 35 days ahead, got "${input.sendAt}"`);
	}
	input.form.ScheduleType = 'fixed';
	input.form.SendAt = new Date(at).toISOString();
}

export const sendMessage: CommandDefinition<SendMessageInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_message',
	displayName: 'Send Message',
	description: 'Send an SMS, MMS, channel (e.g. WhatsApp) or content-template message',
	properties,
	validate(args, request) {
		const to = readRecipient(args);
		const { from, messagingServiceSid } = readSender(args);
		const content = readContent(args);
		return {
			to,
			connectorIdn: request.connectorIdn,
			sendAt: optionalString(args, 'sendAt'),
			simplify: readSimplify(args),
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
	check: checkMessage,
	async run(context, input, act) {
		const replied = await replyThroughWebhook(context, input, act);
		if (replied !== undefined) return replied;
		const { created: message, recipient } = await createForRecipient(
			context,
			act,
			input.to,
			(client) =>
				createMessage(client, input.form, senderPace(context, client.accountSid, input.form)),
		);
		return {
			status: 'sent',
			externalId: String(message.sid),
			result: simplified(input.simplify ?? true, message, () => ({
				messageSid: message.sid ?? null,
				status: message.status ?? null,
				to: message.to ?? input.to,
				from: message.from ?? null,
				messagingServiceSid: message.messaging_service_sid ?? null,
				body: message.body ?? null,
				numMedia: message.num_media ?? null,
				numSegments: message.num_segments ?? null,
				sendAt: input.form.SendAt ?? null,
				statusCallback: input.form.StatusCallback ?? null,
				...recipient,
			})),
		};
	},
};
