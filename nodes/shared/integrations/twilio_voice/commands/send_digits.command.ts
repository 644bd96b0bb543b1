import { optionalHttpUrl } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, updateCall } from '../api';
import { callSidProperty, optionalDigits, readCallSid, type CallRef } from '../callArguments';
import { VOICE_INTEGRATION } from '../constants';
import { digitsTwiml } from '../twiml';

export interface DigitsInput extends CallRef {
	twiml: string;
}

export const sendDigits: CommandDefinition<DigitsInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'send_digits',
	displayName: 'Send Digits',
	description: 'Play DTMF tones into a live call, e.g. to work an IVR menu',
	properties: [
		callSidProperty,
		{
			displayName: 'Digits',
			name: 'digits',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ww1234#',
			description: '0-9, A-D, # and *; w waits half a second, W a second',
		},
		{
			displayName: 'Continue With URL',
			name: 'continueUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/twiml/rejoin',
			description:
				'Twilio plays the tones by replacing what the call is doing: TwiML at this URL says what happens next (e.g. rejoin the conference). Without it the call ends after the tones.',
		},
	],
	validate(args) {
		const { callSid } = readCallSid(args);
		const digits = optionalDigits(args, 'digits');
		if (digits === undefined)
			throw new ArgumentError('digits', 'is required', 'Give the DTMF tones to play, e.g. 1234#');
		return { callSid, twiml: digitsTwiml(digits, optionalHttpUrl(args, 'continueUrl')) };
	},
	async run(context, { callSid, twiml }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await updateCall(client, callSid, { Twiml: twiml });
		return { status: 'completed', externalId: callSid, result: { ...callSummary(call), twiml } };
	},
};
