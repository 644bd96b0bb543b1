import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, updateCall } from '../api';
import {
	callSidProperty,
	readCallSid,
	readSpeech,
	readTransferTarget,
	TRANSFER_RING_SECONDS,
	transferToProperty,
	type CallRef,
} from '../callArguments';
import { VOICE_INTEGRATION } from '../constants';
import { transferTwiml } from '../twiml';

export interface TransferInput extends CallRef {
	twiml: string;
	destination: string;
}

export const transferCall: CommandDefinition<TransferInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'transfer_call',
	displayName: 'Transfer Call',
	description: 'Move a live call to a number, SIP address or client (cold transfer)',
	properties: [
		callSidProperty,
		transferToProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Announcement',
					name: 'announcement',
					type: 'string',
					default: '',
					placeholder: 'e.g. Transferring you now',
					description: 'Said to the caller before dialing',
				},
				{
					displayName: 'Caller ID',
					name: 'callerId',
					type: 'string',
					default: '',
					placeholder: 'e.g. +16505550100',
					description: "Caller ID shown to the new party; by default the caller's",
				},
				{
					displayName: 'Language',
					name: 'language',
					type: 'string',
					default: '',
					placeholder: 'e.g. en-US',
					description: 'Language of the announcement',
				},
				{
					displayName: 'Voice',
					name: 'voice',
					type: 'string',
					default: '',
					placeholder: 'e.g. Polly.Joanna',
					description: 'Voice of the announcement',
				},
				{
					displayName: 'Wait for Transfer (Seconds)',
					name: 'waitForTransferSeconds',
					type: 'number',
					typeOptions: { minValue: TRANSFER_RING_SECONDS.min, maxValue: TRANSFER_RING_SECONDS.max },
					default: 30,
					description:
						'How long the new party may ring before the transfer gives up and the call ends',
				},
			],
		},
	],
	validate(args) {
		const { callSid } = readCallSid(args);
		const target = readTransferTarget(args);
		const twiml = transferTwiml(target, readSpeech(args));
		return { callSid, destination: target.destination, twiml };
	},
	async run(context, { callSid, destination, twiml }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await updateCall(client, callSid, { Twiml: twiml });
		return {
			status: 'completed',
			externalId: callSid,
			result: { ...callSummary(call), transferredTo: destination, twiml },
		};
	},
};
