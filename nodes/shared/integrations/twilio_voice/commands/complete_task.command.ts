import { optionalString } from '../../../commands/arguments';
import type { CommandDefinition } from '../../../commands/types';
import { VOICE_INTEGRATION } from '../constants';
import { readTaskRef, taskProperty, workspaceProperty, type TaskRef } from '../taskRouter';
import { runTaskStatusChange } from '../taskStatus';

export interface CompleteTaskInput extends TaskRef {
	reason: string;
}

export const completeTask: CommandDefinition<CompleteTaskInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'complete_task',
	aliases: ['CompleteTask'],
	displayName: 'Complete Task',
	description: 'Complete a task',
	properties: [
		taskProperty,
		workspaceProperty,
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			placeholder: 'e.g. Resolved',
			description: 'Why the task is complete, kept by TaskRouter; empty: "Completed"',
		},
	],
	sendCommandAliases: { sid: 'taskSid' },
	validate: (args) => ({
		...readTaskRef(args),
		reason: optionalString(args, 'reason') ?? 'Completed',
	}),
	run: async (context, input) =>
		await runTaskStatusChange(context, input, {
			AssignmentStatus: 'completed',
			Reason: input.reason,
		}),
};
