import type { CommandDefinition } from '../../../commands/types';
import { VOICE_INTEGRATION } from '../constants';
import { readTaskRef, taskProperty, workspaceProperty, type TaskRef } from '../taskRouter';
import { runTaskStatusChange } from '../taskStatus';

export const wrapUpTask: CommandDefinition<TaskRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'wrap_up_task',
	aliases: ['WrapupTask'],
	displayName: 'Wrap Up Task',
	description: 'Move an assigned task to wrap-up',
	properties: [taskProperty, workspaceProperty],
	sendCommandAliases: { sid: 'taskSid' },
	validate: readTaskRef,
	run: async (context, input) =>
		await runTaskStatusChange(context, input, { AssignmentStatus: 'wrapping' }),
};
