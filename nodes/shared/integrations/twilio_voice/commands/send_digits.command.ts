import { optionalBoolean, optionalHttpUrl } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandContext, CommandDefinition } from '../../../commands/types';
import { createTwilioClient, type TwilioClient } from '../../../transport/twilio';
import { callSummary, updateCall } from '../api';
import { callSidProperty, optionalDigits, readCallSid, type CallRef } from '../callArguments';
import { conferenceOfCall } from '../conference';
import { VOICE_INTEGRATION } from '../constants';
import { callSessionKey, conversationUrlOf } from '../session';
import { digitsAndBackTwiml, digitsTwiml } from '../twiml';

export interface DigitsInput extends CallRef {
	digits: string;
	connectorIdn: string;
	continueUrl?: string;
	hangUpAfter: boolean;
}

/**
 * Twilio plays tones by giving the call new TwiML, which ends what the call
 * was doing; so the TwiML also takes the call back: to the given URL, to
 * listening in its Call Trigger conversation, or back into its conference.
 */
async function digitsTwimlFor(
	context: CommandContext,
	client: TwilioClient,
	input: DigitsInput,
): Promise<{ twiml: string; continuedBy: string }> {
	if (input.continueUrl !== undefined || input.hangUpAfter)
		return {
			twiml: digitsTwiml(input.digits, input.continueUrl),
			continuedBy: input.continueUrl !== undefined ? 'url' : 'hangup',
		};
	const session = await context.store.findSession(
		callSessionKey(input.connectorIdn, input.callSid),
	);
	const conversationUrl = session?.status === 'active' ? conversationUrlOf(session) : undefined;
	if (conversationUrl !== undefined)
		return {
			twiml: digitsAndBackTwiml(input.digits, { kind: 'listen', actionUrl: conversationUrl }),
			continuedBy: 'conversation',
		};
	const found = await conferenceOfCall(client, input.callSid);
	if (found !== undefined)
		return {
			twiml: digitsAndBackTwiml(input.digits, {
				kind: 'conference',
				name: String(found.conference.friendly_name),
				muted: found.participant.muted === true,
				endConferenceOnExit: found.participant.end_conference_on_exit === true,
			}),
			continuedBy: 'conference',
		};
	throw new ArgumentError(
		'continueUrl',
		`is required: call ${input.callSid} is neither a Call Trigger conversation of connector ${input.connectorIdn} nor in a conference in progress, so it would end after the tones`,
		'Give Continue With URL (TwiML for after the tones), or turn on Hang Up After Digits',
	);
}

export const sendDigits: CommandDefinition<DigitsInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'send_digits',
	aliases: ['SendDTMFDigits'],
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
			placeholder: 'e.g. https://example.com/twiml/next',
			description:
				'TwiML at this URL says what the call does after the tones. Empty: a Call Trigger conversation listens again, a conference participant rejoins its conference.',
		},
		{
			displayName: 'Hang Up After Digits',
			name: 'hangUpAfter',
			type: 'boolean',
			default: false,
			description: 'Whether the call ends after the tones (when there is nothing to go back to)',
		},
	],
	validate(args, request) {
		const { callSid } = readCallSid(args);
		const digits = optionalDigits(args, 'digits');
		if (digits === undefined)
			throw new ArgumentError('digits', 'is required', 'Give the DTMF tones to play, e.g. 1234#');
		const continueUrl = optionalHttpUrl(args, 'continueUrl');
		const hangUpAfter = optionalBoolean(args, 'hangUpAfter') ?? false;
		if (continueUrl !== undefined && hangUpAfter)
			throw new ArgumentError('hangUpAfter', 'cannot be used together with continueUrl');
		return { callSid, digits, connectorIdn: request.connectorIdn, continueUrl, hangUpAfter };
	},
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const { twiml, continuedBy } = await digitsTwimlFor(context, client, input);
		const call = await updateCall(client, input.callSid, { Twiml: twiml });
		return {
			status: 'completed',
			externalId: input.callSid,
			result: { ...callSummary(call), twiml, continuedBy },
		};
	},
};
