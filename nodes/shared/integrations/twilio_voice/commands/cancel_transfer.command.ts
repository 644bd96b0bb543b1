import { optionalString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { deleteParticipant } from '../api';
import {
	conferenceOf,
	participantConferenceProperty,
	participantProperty,
	readParticipant,
	type ParticipantRef,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';
import {
	readTaskRef,
	taskProperty,
	taskSummary,
	updateTask,
	workspaceProperty,
	type TaskRef,
} from '../taskRouter';
import { TRANSFER_LABEL, unholdOthers } from '../warmTransfer';

export type CancelTransferInput =
	{ kind: 'conference'; target: ParticipantRef } | { kind: 'task'; task: TaskRef; reason: string };

const KINDS = ['conference', 'task'];

export const cancelTransfer: CommandDefinition<CancelTransferInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'cancel_transfer',
	aliases: ['CancelTransfer'],
	displayName: 'Cancel Transfer',
	description: 'Cancel a transfer in progress',
	properties: [
		{
			displayName: 'Transfer',
			name: 'transferKind',
			type: 'options',
			options: [
				{
					name: 'Warm Transfer in a Conference',
					value: 'conference',
					description: 'Drop the transfer target; held participants are taken off hold',
				},
				{
					name: 'Task Transfer',
					value: 'task',
					description: 'Cancel the task Transfer Task created for a worker or queue',
				},
			],
			default: 'conference',
		},
		{
			...participantProperty,
			displayName: 'Transfer Target',
			default: TRANSFER_LABEL,
			description:
				'The call SID (CA…) of the target Start Warm Transfer dialed, or its label; a label needs the Conference SID',
			displayOptions: { show: { transferKind: ['conference'] } },
		},
		{
			...participantConferenceProperty,
			displayOptions: { show: { transferKind: ['conference'] } },
		},
		{
			...taskProperty,
			description: 'The task Transfer Task created (its newTask.taskSid)',
			displayOptions: { show: { transferKind: ['task'] } },
		},
		{ ...workspaceProperty, displayOptions: { show: { transferKind: ['task'] } } },
	],
	sendCommandAliases: { sid: 'taskSid', targetSid: 'participant' },
	validate(args) {
		const kind =
			optionalString(args, 'transferKind') ??
			(optionalString(args, 'taskSid') !== undefined ? 'task' : 'conference');
		if (!KINDS.includes(kind))
			throw new ArgumentError('transferKind', `must be conference or task, got "${kind}"`);
		if (kind === 'task') return { kind, task: readTaskRef(args), reason: 'Transfer canceled' };
		return { kind: 'conference', target: readParticipant(args) };
	},
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		if (input.kind === 'task') {
			const canceled = await updateTask(client, input.task, {
				AssignmentStatus: 'canceled',
				Reason: input.reason,
			});
			return { status: 'completed', externalId: input.task.taskSid, result: taskSummary(canceled) };
		}
		const conferenceSid = await conferenceOf(client, input.target);
		await deleteParticipant(client, conferenceSid, input.target.participant);
		const unheld = await unholdOthers(client, conferenceSid, input.target.participant);
		return {
			status: 'completed',
			externalId: conferenceSid,
			result: { conferenceSid, targetRemoved: input.target.participant, unheld },
		};
	},
};
