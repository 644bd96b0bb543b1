import { optionalString, requiredString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { updateCall } from '../api';
import { callSidProperty, readCallSid, type CallRef } from '../callArguments';
import { VOICE_INTEGRATION } from '../constants';
import { callSessionKey, conversationUrlOf, recordAgentSaid } from '../session';
import { turnTwiml } from '../twiml';

export interface TurnMessageInput extends CallRef {
	connectorIdn: string;
	text: string;
	voice?: string;
	language?: string;
}

/**
 * Says something into a call of a Call Trigger conversation from anywhere
 * (another workflow, a timer): the call is given new TwiML that says it and
 * listens again, the caller's answer going to the same Call Trigger.
 */
export const setTurnMessage: CommandDefinition<TurnMessageInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'set_turn_message',
	displayName: 'Say in Conversation',
	description:
		'Say a message into a live Call Trigger conversation and listen again (what the caller answers goes to the Call Trigger)',
	properties: [
		callSidProperty,
		{
			displayName: 'Text to Say',
			name: 'text',
			type: 'string',
			default: '',
			required: true,
			description: 'What the caller hears next; then the call listens again',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Language',
					name: 'language',
					type: 'string',
					default: '',
					placeholder: 'e.g. en-US',
				},
				{
					displayName: 'Voice',
					name: 'voice',
					type: 'string',
					default: '',
					placeholder: 'e.g. Polly.Joanna',
				},
			],
		},
	],
	validate(args, request) {
		return {
			...readCallSid(args),
			connectorIdn: request.connectorIdn,
			text: requiredString(args, 'text', 'What the caller should hear next'),
			voice: optionalString(args, 'voice'),
			language: optionalString(args, 'language'),
		};
	},
	async check(context, input) {
		const session = await context.store.findSession(
			callSessionKey(input.connectorIdn, input.callSid),
		);
		if (session?.status !== 'active' || conversationUrlOf(session) === undefined) {
			throw new ArgumentError(
				'callSid',
				`is not a live Call Trigger conversation of connector ${input.connectorIdn}`,
				'Use the connectorIdn of the Call Trigger the call talks to',
			);
		}
	},
	async run(context, input) {
		const session = await context.store.findSession(
			callSessionKey(input.connectorIdn, input.callSid),
		);
		if (session === null)
			throw new ArgumentError('callSid', 'has no conversation session any more');
		const twiml = turnTwiml({
			text: input.text,
			speech: { voice: input.voice, language: input.language },
			then: { kind: 'listen', listen: { actionUrl: String(session.state.conversationUrl) } },
		});
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await updateCall(client, input.callSid, { Twiml: twiml });
		await recordAgentSaid(context.store, session, input.text);
		return {
			status: 'completed',
			externalId: input.callSid,
			result: { callSid: input.callSid, status: call.status ?? null, twiml },
		};
	},
};
