import { ArgumentError } from '../../../commands/errors';
import { optionsCollection } from '../../../commands/properties';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { updateCall } from '../api';
import { findConferenceOf } from '../conference';
import { VOICE_INTEGRATION } from '../constants';
import {
	fetchTask,
	readTaskRef,
	taskProperty,
	taskSummary,
	workspaceProperty,
	type TaskRef,
} from '../taskRouter';
import {
	callOfTask,
	readMode,
	readTaskTransferTarget,
	releaseTask,
	routeToTarget,
	type TaskTransferTarget,
	type TransferMode,
} from '../taskTransfer';
import {
	addTransferTarget,
	completeTransferCallerId,
	transferTargetOptions,
} from '../warmTransfer';

export interface TransferTaskInput {
	task: TaskRef;
	mode: TransferMode;
	target: TaskTransferTarget;
}

export const transferTask: CommandDefinition<TransferTaskInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'transfer_task',
	aliases: ['TransferTask'],
	displayName: 'Transfer Task',
	description: "Transfer a task's call to a worker, a queue or a number",
	properties: [
		taskProperty,
		workspaceProperty,
		{
			displayName: 'Transfer To',
			name: 'targetSid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. WK0123456789abcdef0123456789abcdef',
			description:
				'A worker (WK…) or queue (WQ…): a new task carrying the call is routed there. A number (E.164, sip:, client:): the call is dialed there.',
		},
		optionsCollection([
			...transferTargetOptions({
				callerId:
					"For a number: the caller ID it sees; a warm transfer's empty means the Twilio credential's Default Caller ID",
				label: 'Warm transfer to a number: the name the target joins the conference with',
				ringSeconds: 'For a number: how long it may ring',
			}),
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [
					{
						name: 'Cold',
						value: 'COLD',
						description: "The agent's part ends: their task goes to wrap-up",
					},
					{
						name: 'Warm',
						value: 'WARM',
						description: 'The agent stays until they leave (Complete Warm Transfer for a number)',
					},
				],
				default: 'COLD',
			},
			{
				displayName: 'Workflow SID',
				name: 'workflowSid',
				type: 'string',
				default: '',
				placeholder: 'WW…',
				description:
					"For a worker or queue: the workflow of the new task; empty: the workspace's only workflow",
			},
		]),
	],
	sendCommandAliases: { sid: 'taskSid' },
	validate(args) {
		return { task: readTaskRef(args), mode: readMode(args), target: readTaskTransferTarget(args) };
	},
	async check(context, input) {
		if (input.target.kind === 'number' && input.mode === 'WARM')
			await completeTransferCallerId(context, input.target.warm);
	},
	async run(context, { task: ref, mode, target }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const task = await fetchTask(client, ref);
		const result = { taskSid: ref.taskSid, mode, targetSid: '', targetKind: target.kind };
		if (target.kind !== 'number') {
			const created = await routeToTarget(client, ref, task, target, mode);
			const previous =
				mode === 'COLD'
					? await releaseTask(client, ref, task, `Transferred to ${target.sid}`)
					: task;
			return {
				status: 'completed',
				externalId: String(created.sid),
				result: {
					...result,
					targetSid: target.sid,
					newTask: taskSummary(created),
					previousTask: taskSummary(previous),
				},
			};
		}
		const { callSid, conferenceSid } = callOfTask(task);
		if (callSid === undefined && conferenceSid === undefined)
			throw new ArgumentError(
				'taskSid',
				'has no call to transfer: its attributes carry neither call_sid nor conference.sid',
			);
		if (mode === 'COLD') {
			if (callSid === undefined)
				throw new ArgumentError('taskSid', 'has no call_sid attribute to transfer the call of');
			const call = await updateCall(client, callSid, { Twiml: target.cold.twiml });
			const previous = await releaseTask(
				client,
				ref,
				task,
				`Transferred to ${target.warm.destination}`,
			);
			return {
				status: 'completed',
				externalId: callSid,
				result: {
					...result,
					targetSid: target.warm.destination,
					callSid,
					callStatus: call.status ?? null,
					twiml: target.cold.twiml,
					previousTask: taskSummary(previous),
				},
			};
		}
		const conference = conferenceSid ?? (await findConferenceOf(client, callSid ?? '', 'taskSid'));
		const added = await addTransferTarget(client, conference, target.warm);
		return {
			status: 'completed',
			externalId: String(added.call_sid ?? conference),
			result: {
				...result,
				targetSid: target.warm.destination,
				callSid: callSid ?? null,
				conferenceSid: conference,
				transferCallSid: added.call_sid ?? null,
				label: added.label ?? target.warm.label,
			},
		};
	},
};
