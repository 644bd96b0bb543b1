import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, fetchCall, updateCall } from '../api';
import { VOICE_INTEGRATION } from '../constants';
import {
	fetchTask,
	readTaskRef,
	taskProperty,
	taskSummary,
	updateTask,
	workspaceProperty,
	type TaskRef,
} from '../taskRouter';
import { callOfTask } from '../taskTransfer';

const LIVE = new Set(['queued', 'ringing', 'in-progress']);

export const endVoiceTask: CommandDefinition<TaskRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'end_voice_task',
	aliases: ['EndVoiceTask'],
	displayName: 'End Voice Task',
	description: "Hang up a task's call; with no call left, wrap up or complete the task",
	properties: [taskProperty, workspaceProperty],
	sendCommandAliases: { sid: 'taskSid' },
	validate: readTaskRef,
	async run(context, ref) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const task = await fetchTask(client, ref);
		const { callSid } = callOfTask(task);
		const call = callSid === undefined ? undefined : await fetchCall(client, callSid);
		if (call !== undefined && LIVE.has(String(call.status))) {
			const status = call.status === 'in-progress' ? 'completed' : 'canceled';
			const ended = await updateCall(client, String(callSid), { Status: status });
			return {
				status: 'completed',
				externalId: ref.taskSid,
				result: { ended: 'call', call: callSummary(ended), task: taskSummary(task) },
			};
		}
		// The call is over: an assigned task goes to wrap-up, one in wrap-up is completed.
		const assignment = String(task.assignment_status);
		const updated =
			assignment === 'assigned'
				? await updateTask(client, ref, { AssignmentStatus: 'wrapping' })
				: assignment === 'wrapping'
					? await updateTask(client, ref, { AssignmentStatus: 'completed', Reason: 'Call ended' })
					: task;
		return {
			status: 'completed',
			externalId: ref.taskSid,
			result: {
				ended: 'task',
				call: call === undefined ? null : callSummary(call),
				task: taskSummary(updated),
			},
		};
	},
};
