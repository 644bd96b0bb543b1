/**
 * The Call Trigger's webhook: what Twilio posts about a call, read as one of
 * the trigger's events. A status callback (`CallbackSource=call-progress-events`)
 * only reports; every other request is the call asking what to do next and
 * waits for TwiML, which Reply to Call leaves in the call's session.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { getStore } from '../../store';
import type { JsonObject, Session } from '../../store/types';
import { formField, numberOrNull, type TwilioFormFields } from '../twilio/formFields';
import { answerTwiml, receiveTwilioWebhook, signedWebhookUrl } from '../twilio/webhook';
import { VOICE_INTEGRATION } from './constants';
import {
	awaitTurnAnswer,
	conversationOf,
	DEFAULT_CONVERSATION_LENGTH,
	endCallSession,
	openCallSession,
	recordCallerTurn,
	turnOf,
} from './session';
import { emptyVoiceTwiml, turnTwiml } from './twiml';

export interface CallIdentity {
	callSid: string;
	from: string;
	to: string;
	direction: string;
}

export type VoiceWebhook =
	| (CallIdentity & { kind: 'status'; status: string; duration: number | null })
	/** A request for TwiML: the call just connected, or a `<Gather>` ended (with speech, digits, or nothing). */
	| (CallIdentity & {
			kind: 'turn';
			speech?: { text: string; confidence: number | null };
			digits?: string;
	  });

/** Statuses after which the call is over. */
const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function readVoiceWebhook(params: TwilioFormFields): VoiceWebhook {
	const identity: CallIdentity = {
		callSid: formField(params, 'CallSid'),
		from: formField(params, 'From'),
		to: formField(params, 'To'),
		direction: formField(params, 'Direction') || 'inbound',
	};
	if (formField(params, 'CallbackSource') === 'call-progress-events') {
		return {
			...identity,
			kind: 'status',
			status: formField(params, 'CallStatus'),
			duration: numberOrNull(formField(params, 'CallDuration')),
		};
	}
	const speech = formField(params, 'SpeechResult');
	const digits = formField(params, 'Digits');
	return {
		...identity,
		kind: 'turn',
		...(speech !== ''
			? { speech: { text: speech, confidence: numberOrNull(formField(params, 'Confidence')) } }
			: {}),
		...(digits !== '' ? { digits } : {}),
	};
}

export type CallEvent = 'call_started' | 'user_message' | 'dtmf' | 'call_ended';

export interface CallTriggerOptions {
	conversationLength?: number;
	fallbackPhrase?: string;
	language?: string;
	publicUrl?: string;
	replyTimeout?: number;
	voice?: string;
}

/** Twilio gives up on a webhook after 15 s; the fallback must be spoken before that. */
export const TWILIO_WEBHOOK_SECONDS = 15;
export const DEFAULT_REPLY_SECONDS = 12;
export const DEFAULT_FALLBACK = 'Sorry, could you say that again?';

/** `awaitingReply`: Twilio holds the call for a Reply to Call (a turn); status callbacks only report. */
function eventItem(
	event: CallEvent,
	call: CallIdentity & { params: TwilioFormFields },
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
		// Every field Twilio posted (AnsweredBy, CallerName, Recording… ), as it sent them.
		twilio: call.params,
	} as IDataObject;
}

function runWith(item: IDataObject): IWebhookResponseData {
	return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
}

/** The Call Trigger's answer to one request of Twilio: the events it starts the workflow with, the TwiML the call gets. */
export async function answerVoiceWebhook(
	functions: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const response = functions.getResponseObject();
	const received = await receiveTwilioWebhook<CallTriggerOptions>(functions);
	if (received === undefined) return { noWebhookResponse: true };
	const { params, options } = received;

	const call = { ...readVoiceWebhook(params), params };
	const events = new Set(functions.getNodeParameter('events', []) as CallEvent[]);
	const connectorIdn = String(functions.getNodeParameter('connectorIdn', VOICE_INTEGRATION));
	const store = await getStore();
	const session = await openCallSession(
		store,
		{ connectorIdn, ...call },
		signedWebhookUrl(functions, options.publicUrl),
	);
	const conversationLength = options.conversationLength ?? DEFAULT_CONVERSATION_LENGTH;
	const speech = { voice: options.voice || undefined, language: options.language || undefined };

	if (call.kind === 'status') {
		// Twilio ignores what a status callback is answered with.
		answerTwiml(response, emptyVoiceTwiml());
		if (FINAL_CALL_STATUSES.has(call.status)) {
			const ended = await endCallSession(store, session, {
				status: call.status,
				duration: call.duration,
			});
			return events.has('call_ended')
				? runWith(
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
			return runWith(eventItem('call_started', call, session, {}, false));
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
			functions.logger.error(
				`${functions.getNode().name} could not read the answer of call ${call.callSid}: ${error instanceof Error ? error.message : String(error)}`,
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
	return runWith(eventItem(event, call, turn, details, true));
}
