import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	findSmsSession,
	MESSENGER_INTEGRATION,
	openSmsSession,
	restartSessionTimeout,
	sessionOfTimeoutTimer,
	SMS_ERROR,
	SMS_NO_INPUT_TURN,
	SMS_NO_INPUT_TURN_EVENT,
	SMS_RESPONSE_TIMEOUT,
	smsStateVariables,
} from '../shared/commands/twilio_messenger/smsSession';
import { getStore } from '../shared/store';
import type { JsonObject, Session, StoredEvent } from '../shared/store/types';
import { TIMER_FIRED_EVENT } from '../shared/timers/schedule';
import { matchesFilter } from '../shared/triggers/match';
import {
	listenWithTimerEngine,
	outboxNotice,
	subscribeTrigger,
} from '../shared/triggers/outboxTrigger';
import { TWILIO_CREDENTIAL } from '../shared/transport/credentialTypes';
import {
	answerTwiml,
	publicUrlOption,
	receiveTwilioWebhook,
	twilioSignedWebhookMethods,
} from '../shared/integrations/twilio/webhook';
import { messagingReplyTwiml } from '../shared/twiml/messaging';
import { readMessagingWebhook } from './inboundSms';

type SmsEvent =
	'message' | typeof SMS_ERROR | typeof SMS_RESPONSE_TIMEOUT | typeof SMS_NO_INPUT_TURN;
const ALL_EVENTS: SmsEvent[] = ['message', SMS_ERROR, SMS_RESPONSE_TIMEOUT, SMS_NO_INPUT_TURN];

interface SmsTriggerOptions {
	publicUrl?: string;
	reply?: string;
	tenantPhoneNumber?: string;
}

interface TurnDetails {
	event: SmsEvent;
	text: string;
	messageSid?: string | null;
	smsMedia?: JsonObject[];
	smsError?: JsonObject | null;
}

/** One output item: the seed's state variables, the turn's text (a keyword for events), and where it came from. */
function turnItem(
	session: Session | null,
	fallback: { tenantNumber: string; userNumber: string },
	turn: TurnDetails,
): JsonObject {
	const variables = session
		? smsStateVariables(session)
		: {
				smsTenantPhoneNumber: fallback.tenantNumber,
				smsUserPhoneNumber: fallback.userNumber,
				smsSessionID: null,
				smsUserData: null,
				smsSessionTimeoutCount: null,
			};
	return {
		event: turn.event,
		text: turn.text,
		...variables,
		smsError: turn.smsError ?? null,
		smsMedia: turn.smsMedia ?? [],
		messageSid: turn.messageSid ?? null,
		personaId: session?.personaId ?? null,
		sessionId: session?.id ?? null,
		connectorIdn: session?.connectorIdn ?? null,
	};
}

function readEvents(functions: IWebhookFunctions | ITriggerFunctions): Set<SmsEvent> {
	const events = functions.getNodeParameter('events', ALL_EVENTS) as SmsEvent[];
	return new Set(events);
}

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
			"Starts the workflow on each SMS turn over Twilio: a user's message, a failed delivery (smsError), a session timeout (smsResponseTimeout) or a forced no-input turn, with the session's state variables",
		eventTriggerDescription: 'Waiting for Twilio to post a message to the Test URL',
		activationMessage:
			"You can now set the production URL as your Twilio number's 'A message comes in' webhook.",
		defaults: { name: 'SMS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: TWILIO_CREDENTIAL, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				responseMode: 'onReceived',
			},
		],
		properties: [
			{
				displayName:
					"In the Twilio console, set this URL for your number's 'A message comes in' (HTTP POST), and as the Status Callback of messages you send to get smsError. Every request must carry a valid X-Twilio-Signature.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'sms',
				required: true,
				placeholder: 'e.g. sms-support',
				description: 'The last part of the URL Twilio calls; every active workflow needs its own',
			},
			{
				displayName: 'Connector IDN',
				name: 'connectorIdn',
				type: 'string',
				default: 'twilio_messenger',
				required: true,
				description:
					'The connector sessions are kept under: use the same one in Send SMS/MMS for session actions',
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

	webhookMethods = twilioSignedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const received = await receiveTwilioWebhook<SmsTriggerOptions>(this);
		if (received === undefined) return { noWebhookResponse: true };
		const { params, options } = received;

		const webhook = readMessagingWebhook(params);
		const emptyTwiml = messagingReplyTwiml();
		if (
			webhook.kind === 'status' ||
			!matchesFilter(options.tenantPhoneNumber ?? '', webhook.tenantNumber)
		) {
			answerTwiml(response, emptyTwiml);
			return { noWebhookResponse: true };
		}
		const store = await getStore();
		const connectorIdn = String(this.getNodeParameter('connectorIdn', MESSENGER_INTEGRATION));
		const parties = {
			connectorIdn,
			tenantNumber: webhook.tenantNumber,
			userNumber: webhook.userNumber,
		};
		const events = readEvents(this);

		if (webhook.kind === 'smsError') {
			answerTwiml(response, emptyTwiml);
			if (!events.has(SMS_ERROR)) return { noWebhookResponse: true };
			const session = await findSmsSession(store, parties);
			const item = turnItem(session, parties, {
				event: SMS_ERROR,
				text: SMS_ERROR,
				messageSid: webhook.messageSid,
				smsError: webhook.error,
			});
			return { noWebhookResponse: true, workflowData: [[{ json: item as IDataObject }]] };
		}

		// The user spoke: the session (re)starts, and its silence counts from now.
		const { session } = await openSmsSession(store, parties);
		await restartSessionTimeout(store, session);
		answerTwiml(response, messagingReplyTwiml(options.reply));
		if (!events.has('message')) return { noWebhookResponse: true };
		const item = turnItem(session, parties, {
			event: 'message',
			text: webhook.text,
			messageSid: webhook.messageSid,
			smsMedia: webhook.media,
		});
		return { noWebhookResponse: true, workflowData: [[{ json: item as IDataObject }]] };
	}

	/**
	 * Timeouts and forced no-input turns come from the store, not from Twilio:
	 * the same node listens to the outbox while it is active, and runs the
	 * timer engine that fires session timeouts.
	 */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const connectorIdn = String(this.getNodeParameter('connectorIdn', MESSENGER_INTEGRATION));
		const { tenantPhoneNumber = '' } = this.getNodeParameter('options', {}) as SmsTriggerOptions;
		const events = readEvents(this);
		const store = await getStore();

		const emitTurn = async (sessionId: string, event: SmsEvent) => {
			const session = await store.getSession(sessionId);
			if (session === null || session.status !== 'active') return;
			if (!matchesFilter(tenantPhoneNumber, String(session.state.smsTenantPhoneNumber ?? '')))
				return;
			const item = turnItem(session, { tenantNumber: '', userNumber: '' }, { event, text: event });
			this.emit([[{ json: item as IDataObject }]]);
		};
		const deliver = (event: StoredEvent) => {
			if (
				event.integrationIdn !== MESSENGER_INTEGRATION ||
				!matchesFilter(connectorIdn, event.connectorIdn)
			)
				return;
			const timedOut =
				event.type === TIMER_FIRED_EVENT
					? sessionOfTimeoutTimer(String(event.payload.timerName ?? ''))
					: undefined;
			const wanted: SmsEvent | undefined =
				timedOut !== undefined
					? SMS_RESPONSE_TIMEOUT
					: event.type === SMS_NO_INPUT_TURN_EVENT
						? SMS_NO_INPUT_TURN
						: undefined;
			const sessionId =
				timedOut ??
				(typeof event.payload.sessionId === 'string' ? event.payload.sessionId : undefined);
			if (wanted === undefined || sessionId === undefined || !events.has(wanted)) return;
			void emitTurn(sessionId, wanted).catch((error: unknown) =>
				this.logger.error(
					`${this.getNode().name} could not read session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`,
				),
			);
		};
		return await listenWithTimerEngine(
			await subscribeTrigger(
				this,
				'sms-trigger',
				[TIMER_FIRED_EVENT, SMS_NO_INPUT_TURN_EVENT],
				deliver,
			),
		);
	}
}
