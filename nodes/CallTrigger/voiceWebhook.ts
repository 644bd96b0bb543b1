import {
	formField,
	numberOrNull,
	type TwilioFormFields,
} from '../shared/integrations/twilio/formFields';

/**
 * What Twilio posts about a call, read as one of the Call Trigger's events.
 * A status callback (`CallbackSource=call-progress-events`) only reports;
 * every other request is the call asking what to do next and waits for TwiML.
 */
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
export const FINAL_CALL_STATUSES = new Set([
	'completed',
	'busy',
	'failed',
	'no-answer',
	'canceled',
]);

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
