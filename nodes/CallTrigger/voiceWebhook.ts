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

function field(params: Record<string, unknown>, name: string): string {
	const value = params[name];
	return typeof value === 'string' ? value : '';
}

function numberOrNull(text: string): number | null {
	if (text === '') return null;
	const number = Number(text);
	return Number.isFinite(number) ? number : null;
}

export function readVoiceWebhook(params: Record<string, unknown>): VoiceWebhook {
	const identity: CallIdentity = {
		callSid: field(params, 'CallSid'),
		from: field(params, 'From'),
		to: field(params, 'To'),
		direction: field(params, 'Direction') || 'inbound',
	};
	if (field(params, 'CallbackSource') === 'call-progress-events') {
		return {
			...identity,
			kind: 'status',
			status: field(params, 'CallStatus'),
			duration: numberOrNull(field(params, 'CallDuration')),
		};
	}
	const speech = field(params, 'SpeechResult');
	const digits = field(params, 'Digits');
	return {
		...identity,
		kind: 'turn',
		...(speech !== ''
			? { speech: { text: speech, confidence: numberOrNull(field(params, 'Confidence')) } }
			: {}),
		...(digits !== '' ? { digits } : {}),
	};
}
