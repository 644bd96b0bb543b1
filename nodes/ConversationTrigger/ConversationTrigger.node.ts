import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	publicUrlOption,
	twilioTriggerWebhooks,
	twilioWebhookPathProperty,
} from '../shared/integrations/twilio/webhook';
import {
	answerConversationWebhook,
	CONVERSATION_EVENTS,
	conversationWebhookMethods,
} from '../shared/integrations/twilio_messenger/conversationWebhook';
import { TWILIO_CREDENTIAL } from '../shared/transport/credentialTypes';

/** `onMessageAdded` → `Message Added`. */
function eventName(event: string): string {
	return event
		.slice(2)
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/ ([A-Z])/g, (_, letter: string) => ` ${letter.toLowerCase()}`);
}

export class ConversationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Conversation Trigger',
		name: 'conversationTrigger',
		icon: {
			light: 'file:../../icons/smsTrigger.svg',
			dark: 'file:../../icons/smsTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{"POST /" + $parameter["path"]}}',
		description:
			'Starts the workflow when something happens in a Twilio Conversation: a message is added, a participant joins …',
		eventTriggerDescription: 'Waiting for Twilio to post a conversation event to the Test URL',
		activationMessage:
			"You can now set the production URL as the Post-Event URL of your Conversation Service's webhooks (or of one conversation's).",
		defaults: { name: 'Conversation Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: TWILIO_CREDENTIAL, required: true }],
		webhooks: twilioTriggerWebhooks(),
		properties: [
			{
				displayName:
					"In the Twilio console (Conversations › Services › your service › Webhooks, or Conversations › Global webhooks), set this URL as the Post-Event URL, method HTTP POST, and tick the events below. Every request must carry a valid X-Twilio-Signature. Messages a workflow sends with Send to Conversation reach webhooks only with that node's 'Trigger Webhooks' option.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			twilioWebhookPathProperty('conversation', 'e.g. conversation-support'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: CONVERSATION_EVENTS.map((event) => ({
					name: `${eventName(event)} (${event})`,
					value: event,
				})),
				default: ['onMessageAdded'],
				description: 'The webhook events that start the workflow; Twilio must send them too',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Conversation SID',
						name: 'conversationSid',
						type: 'string',
						default: '',
						placeholder: 'CH…',
						description: 'Only events of this conversation; empty: every conversation',
					},
					{
						displayName: 'Ignore Authors',
						name: 'ignoreAuthors',
						type: 'string',
						default: '',
						placeholder: 'e.g. system, agent.ana',
						description:
							'Messages by these authors (comma-separated) start nothing, e.g. the identity your workflow sends as',
					},
					publicUrlOption,
				],
			},
		],
	};

	webhookMethods = conversationWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerConversationWebhook(this);
	}
}
