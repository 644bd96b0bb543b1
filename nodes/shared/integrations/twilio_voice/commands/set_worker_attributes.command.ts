import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { VOICE_INTEGRATION } from '../constants';
import {
	attributesProperties,
	fetchWorker,
	readAttributesChange,
	requiredSid,
	taskAttributes,
	updateWorker,
	workerProperty,
	workerSummary,
	workspaceProperty,
	type AttributesChange,
} from '../taskRouter';

export interface SetWorkerAttributesInput extends AttributesChange {
	workspaceSid: string;
	workerSid: string;
}

export const setWorkerAttributes: CommandDefinition<SetWorkerAttributesInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'set_worker_attributes',
	aliases: ['SetWorkerAttributes'],
	displayName: 'Set Worker Attributes',
	description: "Set a worker's attributes, e.g. its skills",
	properties: [workerProperty, workspaceProperty, ...attributesProperties],
	validate: (args) => ({
		workspaceSid: requiredSid(args, 'workspaceSid', 'workspace', 'The WS… SID of the workspace'),
		workerSid: requiredSid(args, 'workerSid', 'worker', 'The WK… SID of the worker'),
		...readAttributesChange(args),
	}),
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const existing = input.mergeExisting
			? taskAttributes(await fetchWorker(client, input.workspaceSid, input.workerSid))
			: {};
		const worker = await updateWorker(client, input.workspaceSid, input.workerSid, {
			Attributes: JSON.stringify({ ...existing, ...input.attributes }),
		});
		return { status: 'completed', externalId: input.workerSid, result: workerSummary(worker) };
	},
};
