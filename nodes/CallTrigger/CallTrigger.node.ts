import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	awaitTurnAnswer,
	conversationOf,
	DEFAULT_CONVERSATION_LENGTH,
	endCallSession,
	openCallSession,
	recordCallerTurn,
	turnOf,
} from '../shared/commands/twilio_voice/callSession';
import { VOICE_INTEGRATION } from '../shared/commands/twilio_voice/makeCall';
import { getStore } from '../shared/store';
import type { JsonObject, Session } from '../shared/store/types';
import {
	answerTwiml,
	publicUrlOption,
	receiveTwilioWebhook,
	signedWebhookUrl,
	twilioSignedWebhookMethods,
} from '../shared/integrations/twilio/webhook';
import { emptyVoiceTwiml, turnTwiml } from '../shared/twiml/voice';
import { FINAL_CALL_STATUSES, readVoiceWebhook, type CallIdentity } from './voiceWebhook';

type CallEvent = 'call_started' | 'user_message' | 'dtmf' | 'call_ended';

interface CallTriggerOptions {
	conversationLength?: number;
	fallbackPhrase?: string;
	language?: string;
	publicUrl?: string;
	replyTimeout?: number;
	voice?: string;
}

/** Twilio gives up on a webhook after 15 s; the fallback must be spoken before that. */
const TWILIO_WEBHOOK_SECONDS = 15;
const DEFAULT_REPLY_SECONDS = 12;
const DEFAULT_FALLBACK = 'Sorry, could you say that again?';

/** `awaitingReply`: Twilio holds the call for a Reply to Call (a turn); status callbacks only report. */
function eventItem(
	event: CallEvent,
	call: CallIdentity,
	session: Session,
	details: JsonObject,
	awaitingReply: boolean,
): IDataObject {
	return {
		event,
		awaitingReply,
		callSid: call.callSid,
		from: call.from,
		to: call.to,
		direction: call.direction,
		personaId: session.personaId,
		sessionId: session.id,
		turn: turnOf(session),
		...details,
		conversation: conversationOf(session),
	} as IDataObject;
}

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
			"You can now set the production URL as your Twilio number's 'A call comes in' webhook, or as Make Call's Conversation URL.",
		defaults: { name: 'Call Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'agentTwilioApi', required: true }],
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
					'The caller waits while the workflow runs: Twilio allows 15 seconds per turn. Answer with a Reply to Call node; if no answer comes within the Reply Timeout, the caller hears the Fallback Phrase and may speak again.',
				name: 'timeoutNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'call',
				required: true,
				placeholder: 'e.g. support-line',
				description: 'The last part of the URL Twilio calls; every active workflow needs its own',
			},
			{
				displayName: 'Connector IDN',
				name: 'connectorIdn',
				type: 'string',
				default: 'twilio_voice',
				required: true,
				description:
					'The connector call sessions are kept under; use the same one in Send Command (set_turn_message)',
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

	webhookMethods = twilioSignedWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const received = await receiveTwilioWebhook<CallTriggerOptions>(this);
		if (received === undefined) return { noWebhookResponse: true };
		const { params, options } = received;

		const call = readVoiceWebhook(params);
		const events = new Set(this.getNodeParameter('events', []) as CallEvent[]);
		const connectorIdn = String(this.getNodeParameter('connectorIdn', VOICE_INTEGRATION));
		const store = await getStore();
		const session = await openCallSession(
			store,
			{ connectorIdn, ...call },
			signedWebhookUrl(this, options.publicUrl),
		);
		const conversationLength = options.conversationLength ?? DEFAULT_CONVERSATION_LENGTH;
		const speech = { voice: options.voice || undefined, language: options.language || undefined };
		const run = (item: IDataObject): IWebhookResponseData => ({
			noWebhookResponse: true,
			workflowData: [[{ json: item }]],
		});

		if (call.kind === 'status') {
			// Twilio ignores what a status callback is answered with.
			answerTwiml(response, emptyVoiceTwiml());
			if (FINAL_CALL_STATUSES.has(call.status)) {
				const ended = await endCallSession(store, session, {
					status: call.status,
					duration: call.duration,
				});
				return events.has('call_ended')
					? run(
							eventItem(
								'call_ended',
								call,
								ended,
								{ status: call.status, duration: call.duration },
								false,
							),
						)
					: { noWebhookResponse: true };
			}
			// A call placed by Make Call in conversation mode greets from its own TwiML; its answer is reported here.
			if (
				call.status === 'in-progress' &&
				(await store.compareAndSetSessionFlag(session.id, 'started', false, true)) &&
				events.has('call_started')
			) {
				return run(eventItem('call_started', call, session, {}, false));
			}
			return { noWebhookResponse: true };
		}

		const started =
			call.speech === undefined &&
			call.digits === undefined &&
			(await store.compareAndSetSessionFlag(session.id, 'started', false, true));
		const event: CallEvent = started
			? 'call_started'
			: call.digits !== undefined
				? 'dtmf'
				: 'user_message';
		const turn = await recordCallerTurn(store, session, call.speech?.text, conversationLength);
		const listenAgain = turnTwiml({
			text: options.fallbackPhrase ?? DEFAULT_FALLBACK,
			speech,
			then: { kind: 'listen', listen: {} },
		});
		if (!events.has(event)) {
			// No workflow answers this kind of turn: keep listening without a word.
			answerTwiml(response, turnTwiml({ speech, then: { kind: 'listen', listen: {} } }));
			return { noWebhookResponse: true };
		}

		// Twilio holds the call until it gets TwiML: wait for Reply to Call (through the store, so it may run on a worker).
		const deadline =
			Date.now() +
			Math.min(options.replyTimeout ?? DEFAULT_REPLY_SECONDS, TWILIO_WEBHOOK_SECONDS - 1) * 1000;
		void awaitTurnAnswer(store, turn.id, turnOf(turn), deadline)
			.catch((error: unknown) => {
				this.logger.error(
					`${this.getNode().name} could not read the answer of call ${call.callSid}: ${error instanceof Error ? error.message : String(error)}`,
				);
				return undefined;
			})
			.then((twiml) => answerTwiml(response, twiml ?? listenAgain));

		const details: JsonObject =
			event === 'dtmf'
				? { digits: call.digits ?? '' }
				: event === 'user_message'
					? {
							text: call.speech?.text ?? '',
							confidence: call.speech?.confidence ?? null,
							noInput: call.speech === undefined,
						}
					: {};
		return run(eventItem(event, call, turn, details, true));
	}
}
