import type {
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
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
import {
	SMS_ERROR,
	SMS_NO_INPUT_TURN,
	SMS_RESPONSE_TIMEOUT,
} from '../shared/integrations/twilio_messenger/session';
import { MAX_RESPONSE_TIMEOUT_MS } from '../shared/integrations/twilio_messenger/reply';
import { listenForSessionTurns, SMS_STATUS } from '../shared/integrations/twilio_messenger/turns';
import {
	answerSmsWebhook,
	DEFAULT_DELIVERY_STATUSES,
} from '../shared/integrations/twilio_messenger/webhook';
import { TWILIO_CREDENTIAL } from '../shared/transport/credentialTypes';
import { maxRunsAtOnceOption, outboxNotice } from '../shared/triggers/outboxTrigger';

const DELIVERY_STATUS_OPTIONS = [
	'accepted',
	'scheduled',
	'queued',
	'sending',
	'sent',
	'delivered',
	'read',
	'undelivered',
	'failed',
	'canceled',
].map((status) => ({ name: status[0].toUpperCase() + status.slice(1), value: status }));

export class SmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Trigger',
		name: 'smsTrigger',
		icon: {
			light: 'file:../../icons/smsTrigger.svg',
			dark: 'file:../../icons/smsTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{"POST /" + $parameter["path"]}}',
		description:
			"Starts the workflow on each SMS turn over Twilio: a user's message, a failed delivery (smsError), a delivery status, a session timeout (smsResponseTimeout) or a forced no-input turn, with the session's state variables",
		eventTriggerDescription: 'Waiting for Twilio to post a message to the Test URL',
		activationMessage:
			"You can now set the production URL as your Twilio number's 'A message comes in' webhook (unless the trigger sets it up itself).",
		defaults: { name: 'SMS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: TWILIO_CREDENTIAL, required: true }],
		webhooks: twilioTriggerWebhooks(),
		properties: [
			{
				displayName:
					"In the Twilio console, set this URL for your number's 'A message comes in' (HTTP POST), or turn on Set Up Twilio Webhook Automatically. Messages sent on this trigger's connector while the workflow is active report failures here (smsError) without a Status Callback URL. Every request must carry a valid X-Twilio-Signature.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			twilioWebhookPathProperty('sms', 'e.g. sms-support'),
			...webhookSetupProperties('sms'),
			{
				displayName: 'Connector IDN',
				name: 'connectorIdn',
				type: 'string',
				default: 'twilio_messenger',
				required: true,
				description:
					'The connector this trigger listens on while the workflow is active: messages sent on it report their status here. Sessions are kept under it: use the same one in Send SMS/MMS for session actions.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Message Received',
						value: 'message',
						description: 'A user wrote; the text is the message',
					},
					{
						name: 'Delivery Status (smsStatus)',
						value: SMS_STATUS,
						description:
							'A status callback of a message sent: sent, delivered, read … (see Delivery Statuses)',
					},
					{
						name: 'No-Input Turn (smsNoInputTurn)',
						value: SMS_NO_INPUT_TURN,
						description: 'Send SMS/MMS forced a turn without the user writing',
					},
					{
						name: 'Send Failed (smsError)',
						value: SMS_ERROR,
						description: 'A status callback reported a message failed or undelivered',
					},
					{
						name: 'Session Timeout (smsResponseTimeout)',
						value: SMS_RESPONSE_TIMEOUT,
						description: 'The user stayed silent longer than the session timeout',
					},
				],
				default: ['message', 'smsError', 'smsResponseTimeout', 'smsNoInputTurn'],
			},
			{
				displayName:
					"Session timeouts and no-input turns start the workflow only while it is active; the editor's test listener gets Twilio's requests only",
				name: 'testModeNotice',
				type: 'notice',
				default: '',
			},
			outboxNotice('Timeouts and no-input turns'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						...maxRunsAtOnceOption,
						description:
							'How many executions started by timeouts and no-input turns may be unfinished at once. Further ones wait in the store, where they survive a restart, until one finishes.',
					},
					{
						displayName: 'Delivery Statuses',
						name: 'deliveryStatuses',
						type: 'multiOptions',
						options: DELIVERY_STATUS_OPTIONS,
						default: [...DEFAULT_DELIVERY_STATUSES],
						description:
							'The statuses the Delivery Status event starts the workflow on; a failure is smsError instead when that event is chosen',
					},
					{
						displayName: 'Download Media',
						name: 'downloadMedia',
						type: 'boolean',
						default: false,
						description:
							"Whether to download an incoming MMS's files into the item's binary data (media0, media1 …) with the Twilio credential",
					},
					publicUrlOption,
					{
						displayName: 'Reply Message',
						name: 'reply',
						type: 'string',
						default: '',
						description:
							'Answered to every incoming message right away (a TwiML Message); empty: no reply, the workflow answers with Send SMS/MMS',
					},
					{
						displayName: 'Response Timeout (Ms)',
						name: 'responseTimeout',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_RESPONSE_TIMEOUT_MS },
						default: 0,
						description:
							"How long to wait for the workflow's reply to a message: the first message the workflow sends the user (Send SMS/MMS, From your number) within this time is Twilio's answer; a later one goes through the API. 0: answer at once.",
					},
					{
						displayName: 'Tenant Number',
						name: 'tenantPhoneNumber',
						type: 'string',
						default: '',
						placeholder: 'e.g. +16505550100',
						description: 'Only turns of sessions with this Twilio number; empty: every number',
					},
				],
			},
		],
	};

	methods = { listSearch: twilioListSearch };

	webhookMethods = twilioSignedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerSmsWebhook(this);
	}

	/**
	 * Timeouts and forced no-input turns come from the store, not from Twilio:
	 * the same node listens to the outbox while it is active, and runs the
	 * timer engine that fires session timeouts.
	 */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await listenForSessionTurns(this);
	}
}
