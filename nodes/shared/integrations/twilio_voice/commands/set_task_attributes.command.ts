import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { VOICE_INTEGRATION } from '../constants';
import {
	attributesProperties,
	fetchTask,
	readAttributesChange,
	readTaskRef,
	taskAttributes,
	taskProperty,
	taskSummary,
	updateTask,
	workspaceProperty,
	type AttributesChange,
	type TaskRef,
} from '../taskRouter';

export type SetTaskAttributesInput = TaskRef & AttributesChange;

export const setTaskAttributes: CommandDefinition<SetTaskAttributesInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'set_task_attributes',
	aliases: ['SetTaskAttributes'],
	displayName: 'Set Task Attributes',
	description: "Set a task's attributes",
	properties: [taskProperty, workspaceProperty, ...attributesProperties],
	sendCommandAliases: { sid: 'taskSid' },
	validate: (args) => ({ ...readTaskRef(args), ...readAttributesChange(args) }),
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const existing = input.mergeExisting ? taskAttributes(await fetchTask(client, input)) : {};
		const updated = await updateTask(client, input, {
			Attributes: JSON.stringify({ ...existing, ...input.attributes }),
		});
		return { status: 'completed', externalId: input.taskSid, result: taskSummary(updated) };
	},
};
