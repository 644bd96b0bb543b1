/**
 * The Conversation Trigger's webhook: Twilio Conversations' post-event
 * webhooks (onMessageAdded …), signed like every Twilio webhook, read into
 * an item of tidy fields next to every field Twilio posted.
 */
import type { IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JsonObject, JsonValue } from '../../store/types';
import { matchesFilter } from '../../triggers/match';
import { formField, numberOrNull, type TwilioFormFields } from '../twilio/formFields';
import { receiveTwilioWebhook, twilioWebhookAuthToken } from '../twilio/webhook';

export const CONVERSATION_EVENTS = [
	'onMessageAdded',
	'onMessageUpdated',
	'onMessageRemoved',
	'onDeliveryUpdated',
	'onConversationAdded',
	'onConversationUpdated',
	'onConversationStateUpdated',
	'onConversationRemoved',
	'onParticipantAdded',
	'onParticipantUpdated',
	'onParticipantRemoved',
] as const;

export interface ConversationTriggerOptions {
	publicUrl?: string;
	conversationSid?: string;
	ignoreAuthors?: string;
}

/** Attributes and Media are JSON text; a value that is not stays as Twilio sent it. */
function jsonField(params: TwilioFormFields, name: string): JsonValue {
	const text = formField(params, name);
	if (text === '') return null;
	try {
		return JSON.parse(text) as JsonValue;
	} catch {
		return text;
	}
}

const orNull = (text: string) => (text === '' ? null : text);

export function conversationItem(params: TwilioFormFields): JsonObject {
	const media = jsonField(params, 'Media');
	return {
		event: formField(params, 'EventType'),
		conversationSid: orNull(formField(params, 'ConversationSid')),
		messageSid: orNull(formField(params, 'MessageSid')),
		index: numberOrNull(formField(params, 'Index')),
		author: orNull(formField(params, 'Author')),
		body: orNull(formField(params, 'Body')),
		attributes: jsonField(params, 'Attributes'),
		media: Array.isArray(media) ? media : [],
		participantSid: orNull(formField(params, 'ParticipantSid')),
		source: orNull(formField(params, 'Source')),
		chatServiceSid: orNull(formField(params, 'ChatServiceSid')),
		dateCreated: orNull(formField(params, 'DateCreated')),
		twilio: params as JsonObject,
	};
}

/** Answers Twilio (200: a post-event webhook needs nothing else) and starts the workflow when the event is chosen. */
export async function answerConversationWebhook(
	functions: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const received = await receiveTwilioWebhook<ConversationTriggerOptions>(functions);
	if (received === undefined) return { noWebhookResponse: true };
	const { params, options } = received;
	functions.getResponseObject().writeHead(200, { 'content-type': 'text/plain' }).end();
	const events = functions.getNodeParameter('events', ['onMessageAdded']) as string[];
	const ignoredAuthors = (options.ignoreAuthors ?? '')
		.split(',')
		.map((author) => author.trim())
		.filter((author) => author !== '');
	const item = conversationItem(params);
	if (
		!events.includes(String(item.event)) ||
		!matchesFilter(options.conversationSid ?? '', String(item.conversationSid ?? '')) ||
		(item.author !== null && ignoredAuthors.includes(String(item.author)))
	)
		return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}

/**
 * Nothing is registered at Twilio (the URL is set on the Conversation
 * Service or the conversation); activation only makes sure signatures can
 * be checked.
 */
export const conversationWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return false;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			if ((await twilioWebhookAuthToken(this)) === undefined)
				throw new NodeOperationError(
					this.getNode(),
					'The Twilio credential has no Auth Token to check X-Twilio-Signature with',
					{
						description:
							"With API key authentication, fill in the credential's 'Auth Token (for Webhook Signatures)'.",
					},
				);
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
