/** What the spec says only in prose, as overlays on its schemas (Twilio's documented cross-parameter rules are in rules.ts). */
import type { Overlays } from '../openapi';

const NO_SURROUNDING_SPACE = {
	schema: { pattern: '^\\S(.*\\S)?$' },
	why: 'E.164 and channel addresses have no spaces; a "+" sent unencoded arrives as one',
};

/**
 * Constraints the spec gives in a parameter's description but not its
 * schema. The unit test checks every enum value here against that
 * description, so the list cannot drift from the spec's words.
 */
export const TWILIO_OVERLAYS: Overlays = {
	CreateCall: {
		To: NO_SURROUNDING_SPACE,
		From: NO_SURROUNDING_SPACE,
		MachineDetection: {
			schema: { enum: ['Enable', 'DetectMessageEnd'] },
			why: 'description: "Can be: `Enable` or `DetectMessageEnd`"',
		},
		StatusCallbackEvent: {
			schema: { items: { enum: ['initiated', 'ringing', 'answered', 'completed'] } },
			why: 'description: "Can be: `initiated`, `ringing`, `answered`, and `completed`"',
		},
		RecordingStatusCallbackEvent: {
			schema: {
				items: { pattern: '^(in-progress|completed|absent)( (in-progress|completed|absent))*$' },
			},
			why: 'description: "Can be: `in-progress`, `completed` and `absent` … Separate multiple values with a space"',
		},
		RecordingChannels: {
			schema: { enum: ['mono', 'dual'] },
			why: 'description: "Can be: `mono` or `dual`"',
		},
		RecordingTrack: {
			schema: { enum: ['inbound', 'outbound', 'both'] },
			why: 'description: "Can be: `inbound`, `outbound` or `both`"',
		},
		Trim: {
			schema: { enum: ['trim-silence', 'do-not-trim'] },
			why: 'description: "Can be: `trim-silence` or `do-not-trim`"',
		},
		AsyncAmd: {
			schema: { enum: ['true', 'false'] },
			why: 'description: "Can be: `true` or `false`"',
		},
		SendDigits: {
			schema: { pattern: '^[0-9A-DwW#*]{1,32}$' },
			why: 'description: digits 0-9, A-D, #, *, w and W, "a maximum length of 32 digits"',
		},
		Timeout: { schema: { maximum: 600 }, why: 'description: "the maximum is `600` seconds"' },
		Twiml: { schema: { maxLength: 4000 }, why: 'description: "Max 4000 characters"' },
		MachineDetectionSpeechThreshold: {
			schema: { minimum: 1000, maximum: 6000 },
			why: 'description: "Possible Values: 1000-6000"',
		},
		MachineDetectionSpeechEndThreshold: {
			schema: { minimum: 500, maximum: 5000 },
			why: 'description: "Possible Values: 500-5000"',
		},
		MachineDetectionSilenceTimeout: {
			schema: { minimum: 2000, maximum: 10000 },
			why: 'description: "Possible Values: 2000-10000"',
		},
	},
	UpdateCall: {
		Twiml: {
			schema: { maxLength: 4000 },
			why: "Twilio's TwiML limit, stated in Calls.create's description",
		},
	},
	CreateMessage: {
		To: NO_SURROUNDING_SPACE,
		From: NO_SURROUNDING_SPACE,
		Body: {
			schema: { maxLength: 1600 },
			why: 'description: "Can be up to 1,600 characters in length"',
		},
		MediaUrl: {
			schema: { maxItems: 10 },
			why: 'description: "You can include up to ten `media_url` parameters"',
		},
		ValidityPeriod: {
			schema: { minimum: 1, maximum: 36000 },
			why: 'description: "integers from `1` to `36000`"',
		},
	},
};
