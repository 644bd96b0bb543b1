import { optionalString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import { optionsCollection } from '../../../commands/properties';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { updateParticipant } from '../api';
import {
	callSidProperty,
	readCallSid,
	readTransferTarget,
	transferToProperty,
} from '../callArguments';
import { findConferenceOf, participantConferenceProperty, readConference } from '../conference';
import { VOICE_INTEGRATION } from '../constants';
import {
	addTransferTarget,
	completeTransferCallerId,
	readWarmOptions,
	transferTargetOptions,
	type WarmTarget,
} from '../warmTransfer';

export interface StartWarmTransferInput {
	conferenceSid?: string;
	callSid?: string;
	holdCaller: boolean;
	target: WarmTarget;
}

export const startWarmTransfer: CommandDefinition<StartWarmTransferInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'start_warm_transfer',
	aliases: ['StartExternalWarmTransfer'],
	displayName: 'Start Warm Transfer',
	description: "Add a transfer target to a caller's conference while the agent stays",
	properties: [
		{
			...callSidProperty,
			displayName: 'Caller Call SID',
			required: false,
			description:
				"The caller's call in the conference (CA…); its conference is found from it unless Conference SID is given",
		},
		participantConferenceProperty,
		transferToProperty,
		optionsCollection([
			...transferTargetOptions({
				callerId:
					"The account's number the target sees; empty: the Twilio credential's Default Caller ID",
				label: 'The name the target joins with, to address it without its call SID',
				ringSeconds: 'How long the target may ring before Twilio gives up',
			}),
			{
				displayName: 'Hold Caller While Consulting',
				name: 'holdCaller',
				type: 'boolean',
				default: false,
				description:
					'Whether the caller waits on hold while the agent talks to the target (Complete Warm Transfer takes them off hold)',
			},
		]),
	],
	validate(args) {
		const { destination, ringSeconds, callerId } = readTransferTarget(args);
		const given = optionalString(args, 'conferenceSid') !== undefined;
		const callSid =
			optionalString(args, 'callSid') === undefined ? undefined : readCallSid(args).callSid;
		if (!given && callSid === undefined)
			throw new ArgumentError(
				'callSid',
				'is required unless conferenceSid is given',
				"The caller's call SID (CA…), to find the conference it is in",
			);
		const { label, holdCaller } = readWarmOptions(args);
		if (holdCaller && callSid === undefined)
			throw new ArgumentError('callSid', 'is required to hold the caller');
		return {
			conferenceSid: given ? readConference(args).conferenceSid : undefined,
			callSid,
			holdCaller,
			target: { destination, ringSeconds, callerId, label },
		};
	},
	check: async (context, input) => await completeTransferCallerId(context, input.target),
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const conferenceSid =
			input.conferenceSid ?? (await findConferenceOf(client, input.callSid ?? '', 'callSid'));
		const added = await addTransferTarget(client, conferenceSid, input.target);
		if (input.holdCaller && input.callSid !== undefined)
			await updateParticipant(client, conferenceSid, input.callSid, { Hold: 'true' });
		return {
			status: 'completed',
			externalId: String(added.call_sid ?? conferenceSid),
			result: {
				conferenceSid,
				transferCallSid: added.call_sid ?? null,
				label: added.label ?? input.target.label,
				status: added.status ?? null,
				transferredTo: input.target.destination,
				callerHeld: input.holdCaller,
			},
		};
	},
};
