import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

import { lazyModule } from '../../lazyModule';

const voiceResponseClass = lazyModule<typeof VoiceResponse>('twilio/lib/twiml/VoiceResponse');

/** The `twilio` package's TwiML builder. */
function newVoiceResponse(): VoiceResponse {
	return new (voiceResponseClass())();
}

export interface SpeechOptions {
	/** Twilio voice, e.g. `Polly.Joanna`, `Google.en-US-Neural2-F`, `alice`. */
	voice?: string;
	/** BCP-47 language, e.g. `en-US`. */
	language?: string;
}

/** After the greeting, the answered call waits in a TaskRouter queue as a task (Flex outbound). */
export interface EnqueueTask {
	workflowSid: string;
	attributes: Record<string, unknown>;
}

function say(
	response: VoiceResponse | VoiceResponse.Gather,
	text: string,
	speech: SpeechOptions,
): void {
	const attributes: VoiceResponse.SayAttributes = {};
	if (speech.voice)
		attributes.voice = speech.voice as NonNullable<VoiceResponse.SayAttributes['voice']>;
	if (speech.language)
		attributes.language = speech.language as NonNullable<VoiceResponse.SayAttributes['language']>;
	response.say(attributes, text);
}

/** TwiML for an answered outbound call: say the greeting, then optionally enqueue it as a task. */
export function outboundCallTwiml(
	greeting: string | undefined,
	speech: SpeechOptions,
	enqueue?: EnqueueTask,
): string {
	const response = newVoiceResponse();
	if (greeting !== undefined) say(response, greeting, speech);
	if (enqueue)
		response
			.enqueue({ workflowSid: enqueue.workflowSid })
			.task({}, JSON.stringify(enqueue.attributes));
	return response.toString();
}

/** Where a cold transfer goes: `+1…` dials a number, `sip:` a SIP address, `client:` a Voice SDK identity. */
export interface TransferTarget {
	destination: string;
	/** Seconds to let the new party ring before the transfer gives up. */
	ringSeconds?: number;
	callerId?: string;
	/** Said to the caller before dialing. */
	announcement?: string;
}

function appendTransfer(
	response: VoiceResponse,
	target: TransferTarget,
	speech: SpeechOptions,
): void {
	if (target.announcement !== undefined) say(response, target.announcement, speech);
	const dial = response.dial({ timeout: target.ringSeconds, callerId: target.callerId });
	if (target.destination.startsWith('client:'))
		dial.client(target.destination.slice('client:'.length));
	else if (/^sips?:/.test(target.destination)) dial.sip(target.destination);
	else dial.number(target.destination);
}

/** TwiML that moves a live call to another party (a cold transfer: this side of the call ends). */
export function transferTwiml(target: TransferTarget, speech: SpeechOptions): string {
	const response = newVoiceResponse();
	appendTransfer(response, target, speech);
	return response.toString();
}

/**
 * TwiML that plays DTMF tones into a live call. Twilio plays them by
 * replacing what the call is doing, so `continueUrl` (a `<Redirect>`) says
 * what happens next; without it the call ends after the tones.
 */
export function digitsTwiml(digits: string, continueUrl?: string): string {
	const response = newVoiceResponse();
	response.play({ digits });
	if (continueUrl !== undefined) response.redirect(continueUrl);
	return response.toString();
}

/** Where a call goes on after its tones, when it goes back to what it was doing. */
export type AfterDigits =
	| { kind: 'listen'; actionUrl: string }
	| { kind: 'conference'; name: string; muted: boolean; endConferenceOnExit: boolean };

/**
 * TwiML that plays DTMF tones and then takes the call back where it was:
 * listening again in a Call Trigger conversation, or back into its
 * conference (which it leaves for as long as the tones play).
 */
export function digitsAndBackTwiml(digits: string, back: AfterDigits): string {
	const response = newVoiceResponse();
	response.play({ digits });
	if (back.kind === 'listen')
		response.gather({
			input: ['speech', 'dtmf'],
			action: back.actionUrl,
			method: 'POST',
			actionOnEmptyResult: true,
		});
	else
		response.dial().conference(
			{
				muted: back.muted,
				beep: 'false',
				startConferenceOnEnter: true,
				endConferenceOnExit: back.endConferenceOnExit,
			},
			back.name,
		);
	return response.toString();
}

/** How the call listens for the caller's next turn (`<Gather>`). */
export interface ListenOptions {
	/** What the caller may answer with; default speech and DTMF. */
	input?: Array<'speech' | 'dtmf'>;
	/** Where Twilio posts the result; empty: back to the URL that served this TwiML (the Call Trigger). */
	actionUrl?: string;
	/** Seconds of silence before the turn ends without input. */
	timeout?: number;
	/** `auto`, or seconds of silence that end an utterance. */
	speechTimeout?: string;
	speechModel?: string;
	/** Words and phrases to expect, comma-separated. */
	hints?: string;
	/** The language spoken by the caller, e.g. `en-US`. */
	language?: string;
	numDigits?: number;
	finishOnKey?: string;
}

export type AfterSpeaking =
	| { kind: 'listen'; listen: ListenOptions }
	| { kind: 'hangup' }
	| { kind: 'transfer'; target: TransferTarget };

export interface TurnReply {
	text?: string;
	speech: SpeechOptions;
	/** Audio played after the text. */
	playUrl?: string;
	then: AfterSpeaking;
}

/**
 * TwiML answering one turn of a conversation: say the text (and play audio),
 * then listen again, hang up, or transfer. When listening, the text is said
 * inside `<Gather>` so the caller may interrupt it, and Twilio reports an
 * empty result too (`actionOnEmptyResult`): silence is a turn of its own.
 */
export function turnTwiml(reply: TurnReply): string {
	const response = newVoiceResponse();
	const speak = (target: VoiceResponse | VoiceResponse.Gather) => {
		if (reply.text !== undefined && reply.text !== '') say(target, reply.text, reply.speech);
		if (reply.playUrl !== undefined) target.play(reply.playUrl);
	};
	const then = reply.then;
	if (then.kind === 'listen') {
		const listen = then.listen;
		const gather = response.gather({
			input: (listen.input ?? ['speech', 'dtmf']) as VoiceResponse.GatherAttributes['input'],
			action: listen.actionUrl,
			method: listen.actionUrl !== undefined ? 'POST' : undefined,
			actionOnEmptyResult: true,
			timeout: listen.timeout,
			speechTimeout: listen.speechTimeout,
			speechModel: listen.speechModel,
			hints: listen.hints,
			language: listen.language as VoiceResponse.GatherAttributes['language'],
			numDigits: listen.numDigits,
			finishOnKey: listen.finishOnKey,
		});
		speak(gather);
		return response.toString();
	}
	speak(response);
	if (then.kind === 'hangup') {
		response.hangup();
		return response.toString();
	}
	appendTransfer(response, then.target, reply.speech);
	return response.toString();
}

/** `<Response/>`: what a status callback is answered with (Twilio ignores it). */
export function emptyVoiceTwiml(): string {
	return newVoiceResponse().toString();
}
