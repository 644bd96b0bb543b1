import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	publicUrlOption,
	twilioSignedWebhookMethods,
	twilioTriggerWebhooks,
	twilioWebhookPathProperty,
} from '../shared/integrations/twilio/webhook';
import { twilioListSearch } from '../shared/integrations/twilio/pickers';
import { webhookSetupProperties } from '../shared/integrations/twilio/webhookSetup';
import { DEFAULT_CONVERSATION_LENGTH } from '../shared/integrations/twilio_voice/session';
import {
	answerVoiceWebhook,
	DEFAULT_FALLBACK,
	DEFAULT_REPLY_SECONDS,
	TWILIO_WEBHOOK_SECONDS,
} from '../shared/integrations/twilio_voice/webhook';

export class CallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Call Trigger',
		name: 'callTrigger',
		icon: {
			light: 'file:../../icons/callTrigger.svg',
			dark: 'file:../../icons/callTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{"POST /" + $parameter["path"]}}',
		description:
			'Starts the workflow on each turn of a phone conversation over Twilio: the call connects, the caller speaks or presses keys, the call ends. Answer with Reply to Call.',
		eventTriggerDescription: 'Waiting for Twilio to post a call to the Test URL',
		activationMessage:
			"You can now set the production URL as your Twilio number's 'A call comes in' webhook (unless the trigger sets it up itself). Calls placed on this trigger's connector come here by themselves.",
		defaults: { name: 'Call Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'agentTwilioApi', required: true }],
		webhooks: twilioTriggerWebhooks(),
		properties: [
			{
				displayName:
					'The caller waits while the workflow runs: Twilio allows 15 seconds per turn. Answer with a Reply to Call node; if no answer comes within the Reply Timeout, the caller hears the Fallback Phrase and may speak again.',
				name: 'timeoutNotice',
				type: 'notice',
				default: '',
			},
			twilioWebhookPathProperty('call', 'e.g. support-line'),
			...webhookSetupProperties('call'),
			{
				displayName: 'Connector IDN',
				name: 'connectorIdn',
				type: 'string',
				default: 'twilio_voice',
				required: true,
				description:
					'The connector this trigger listens on while the workflow is active: calls placed by Make Call or Send Command on it are held as conversations here. Call sessions are kept under it.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Call Ended',
						value: 'call_ended',
						description: "Twilio's status callback reported the call over",
					},
					{
						name: 'Call Started',
						value: 'call_started',
						description: 'The call connected: greet the caller',
					},
					{ name: 'Keys Pressed (DTMF)', value: 'dtmf', description: 'The caller pressed keys' },
					{
						name: 'User Message',
						value: 'user_message',
						description: 'The caller spoke, or stayed silent (noInput)',
					},
				],
				default: ['call_started', 'user_message', 'dtmf', 'call_ended'],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Conversation Length',
						name: 'conversationLength',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 200 },
						default: DEFAULT_CONVERSATION_LENGTH,
						description:
							'How many of the latest utterances (caller and agent) the session keeps and each event carries',
					},
					{
						displayName: 'Fallback Language',
						name: 'language',
						type: 'string',
						default: '',
						placeholder: 'e.g. en-US',
					},
					{
						displayName: 'Fallback Phrase',
						name: 'fallbackPhrase',
						type: 'string',
						default: DEFAULT_FALLBACK,
						description:
							'Said when the workflow has not answered within the Reply Timeout, instead of dead air; then the call listens again',
					},
					{
						displayName: 'Fallback Voice',
						name: 'voice',
						type: 'string',
						default: '',
						placeholder: 'e.g. Polly.Joanna',
					},
					publicUrlOption,
					{
						displayName: 'Reply Timeout (Seconds)',
						name: 'replyTimeout',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: TWILIO_WEBHOOK_SECONDS - 1 },
						default: DEFAULT_REPLY_SECONDS,
						description:
							'How long to wait for Reply to Call before the Fallback Phrase (Twilio waits at most 15 s)',
					},
				],
			},
		],
	};

	methods = { listSearch: twilioListSearch };

	webhookMethods = twilioSignedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerVoiceWebhook(this);
	}
}
