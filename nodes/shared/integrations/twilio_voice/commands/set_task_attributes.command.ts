import { jsonArgument, optionalBoolean } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import type { JsonObject } from '../../../store/types';
import { createTwilioClient } from '../../../transport/twilio';
import { VOICE_INTEGRATION } from '../constants';
import {
	fetchTask,
	readTaskRef,
	taskAttributes,
	taskProperty,
	taskSummary,
	updateTask,
	workspaceProperty,
	type TaskRef,
} from '../taskRouter';

export interface SetTaskAttributesInput extends TaskRef {
	attributes: JsonObject;
	mergeExisting: boolean;
}

export const setTaskAttributes: CommandDefinition<SetTaskAttributesInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'set_task_attributes',
	aliases: ['SetTaskAttributes'],
	displayName: 'Set Task Attributes',
	description: "Set a task's attributes",
	properties: [
		taskProperty,
		workspaceProperty,
		{
			displayName: 'Attributes (JSON)',
			name: 'attributes',
			type: 'json',
			default: '{}',
			required: true,
			description: 'A JSON object, e.g. {"priority_reason": "vip"}',
		},
		{
			displayName: 'Merge With Existing',
			name: 'mergeExisting',
			type: 'boolean',
			default: true,
			description:
				"Whether to keep the task's other attributes (the given ones replace theirs by name); off replaces them all",
		},
	],
	sendCommandAliases: { sid: 'taskSid' },
	validate(args) {
		const ref = readTaskRef(args);
		const attributes = jsonArgument(args, 'attributes');
		if (attributes === undefined)
			throw new ArgumentError('attributes', 'is required', 'A JSON object, e.g. {"tier": "vip"}');
		if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
			throw new ArgumentError('attributes', 'must be a JSON object', 'e.g. {"tier": "vip"}');
		return { ...ref, attributes, mergeExisting: optionalBoolean(args, 'mergeExisting') ?? true };
	},
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const existing = input.mergeExisting ? taskAttributes(await fetchTask(client, input)) : {};
		const updated = await updateTask(client, input, {
			Attributes: JSON.stringify({ ...existing, ...input.attributes }),
		});
		return { status: 'completed', externalId: input.taskSid, result: taskSummary(updated) };
	},
};
