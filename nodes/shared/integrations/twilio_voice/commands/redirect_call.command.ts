import { optionalHttpUrl, optionalString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import { optionsCollection } from '../../../commands/properties';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, updateCall } from '../api';
import { callSidProperty, readCallSid, type CallRef } from '../callArguments';
import { MAX_TWIML_CHARACTERS } from '../callScript';
import { VOICE_INTEGRATION } from '../constants';

const METHODS = ['GET', 'POST'];

export interface RedirectInput extends CallRef {
	form: { Twiml: string } | { Url: string; Method?: string };
}

export const redirectCall: CommandDefinition<RedirectInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'redirect_call',
	aliases: ['RedirectCallTask'],
	displayName: 'Redirect Call',
	description: 'Give a live call new TwiML or a TwiML URL',
	properties: [
		callSidProperty,
		{
			displayName: 'TwiML',
			name: 'twiml',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. <Response><Say>One moment</Say></Response>',
			description: 'What the call does from now on (at most 4000 characters); or give a TwiML URL',
		},
		{
			displayName: 'TwiML URL',
			name: 'twimlUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/twiml/next',
			description: 'A URL Twilio fetches the call’s new TwiML from, instead of TwiML',
		},
		optionsCollection([
			{
				displayName: 'URL Method',
				name: 'method',
				type: 'options',
				options: METHODS.map((method) => ({ name: method, value: method })),
				default: 'POST',
				description: 'How Twilio requests the TwiML URL',
			},
		]),
	],
	sendCommandAliases: { twiMLUrl: 'twimlUrl' },
	validate(args) {
		const { callSid } = readCallSid(args);
		const twiml = optionalString(args, 'twiml');
		const url = optionalHttpUrl(args, 'twimlUrl');
		if (twiml !== undefined && url !== undefined)
			throw new ArgumentError('twimlUrl', 'cannot be used together with twiml', 'Give one of them');
		if (twiml !== undefined) {
			if (twiml.length > MAX_TWIML_CHARACTERS)
				throw new ArgumentError(
					'twiml',
					`has ${twiml.length} characters; Twilio takes at most ${MAX_TWIML_CHARACTERS}`,
				);
			return { callSid, form: { Twiml: twiml } };
		}
		if (url === undefined)
			throw new ArgumentError(
				'twiml',
				'is required unless twimlUrl is given',
				'TwiML, or a URL that returns it',
			);
		const method = optionalString(args, 'method')?.toUpperCase();
		if (method !== undefined && !METHODS.includes(method))
			throw new ArgumentError('method', `must be GET or POST, got "${method}"`);
		return { callSid, form: { Url: url, Method: method } };
	},
	async run(context, { callSid, form }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await updateCall(client, callSid, form);
		return {
			status: 'completed',
			externalId: callSid,
			result: {
				...callSummary(call),
				twiml: 'Twiml' in form ? form.Twiml : null,
				url: 'Url' in form ? form.Url : null,
			},
		};
	},
};
