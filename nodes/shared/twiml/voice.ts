import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

type VoiceResponseClass = typeof VoiceResponse;
let voiceResponseClass: VoiceResponseClass | undefined;

/**
 * The `twilio` package's TwiML builder, loaded on first use: it costs about
 * 60 ms (the whole SDK about 300 ms), and n8n loads every node at start.
 */
function newVoiceResponse(): VoiceResponse {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	voiceResponseClass ??= require('twilio/lib/twiml/VoiceResponse') as VoiceResponseClass;
	return new voiceResponseClass();
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

/** TwiML for an answered outbound call: say the greeting, then optionally enqueue it as a task. */
export function outboundCallTwiml(greeting: string | undefined, speech: SpeechOptions, enqueue?: EnqueueTask): string {
	const response = newVoiceResponse();
	if (greeting !== undefined) {
		const attributes: VoiceResponse.SayAttributes = {};
		if (speech.voice) attributes.voice = speech.voice as NonNullable<VoiceResponse.SayAttributes['voice']>;
		if (speech.language) attributes.language = speech.language as NonNullable<VoiceResponse.SayAttributes['language']>;
		response.say(attributes, greeting);
	}
	if (enqueue) response.enqueue({ workflowSid: enqueue.workflowSid }).task({}, JSON.stringify(enqueue.attributes));
	return response.toString();
}
