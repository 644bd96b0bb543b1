import { optionalBoolean, optionalString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import { optionsCollection } from '../../../commands/properties';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { VOICE_INTEGRATION } from '../constants';
import {
	activitiesNamed,
	checkSid,
	requiredSid,
	updateWorker,
	workerProperty,
	workerSummary,
	workspaceProperty,
} from '../taskRouter';

export interface SetWorkerActivityInput {
	workspaceSid: string;
	workerSid: string;
	/** One of the two: the activity's SID, or its name, looked up when the command runs. */
	activitySid?: string;
	activityName?: string;
	rejectPendingReservations?: boolean;
}

export const setWorkerActivity: CommandDefinition<SetWorkerActivityInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'set_worker_activity',
	aliases: ['SetWorkerActivity', 'SetActivity'],
	displayName: 'Set Worker Activity',
	description: "Set a worker's activity, e.g. Available or Offline",
	properties: [
		workerProperty,
		workspaceProperty,
		{
			displayName: 'Activity Name',
			name: 'activityName',
			type: 'string',
			default: '',
			placeholder: 'e.g. Available',
			description: "The activity's name in the workspace; or give its SID under Options",
		},
		optionsCollection([
			{
				displayName: 'Activity SID',
				name: 'activitySid',
				type: 'string',
				default: '',
				placeholder: 'WA…',
				description: 'The activity by SID, instead of its name',
			},
			{
				displayName: 'Reject Pending Reservations',
				name: 'rejectPendingReservations',
				type: 'boolean',
				default: false,
				description:
					"Whether to reject the worker's pending reservations (only for an activity that is not available)",
			},
		]),
	],
	validate(args) {
		const workspaceSid = requiredSid(
			args,
			'workspaceSid',
			'workspace',
			'The WS… SID of the workspace',
		);
		const workerSid = requiredSid(args, 'workerSid', 'worker', 'The WK… SID of the worker');
		const activitySid = optionalString(args, 'activitySid');
		const activityName = optionalString(args, 'activityName');
		if (activitySid === undefined && activityName === undefined)
			throw new ArgumentError(
				'activityName',
				'is required unless activitySid is given',
				'The name of an activity of the workspace, e.g. Available',
			);
		if (activitySid !== undefined && activityName !== undefined)
			throw new ArgumentError('activitySid', 'cannot be used together with activityName');
		return {
			workspaceSid,
			workerSid,
			activitySid:
				activitySid === undefined ? undefined : checkSid('activitySid', activitySid, 'activity'),
			activityName,
			rejectPendingReservations: optionalBoolean(args, 'rejectPendingReservations'),
		};
	},
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		let activitySid = input.activitySid;
		if (activitySid === undefined) {
			const [activity] = await activitiesNamed(
				client,
				input.workspaceSid,
				input.activityName ?? '',
			);
			if (activity === undefined)
				throw new ArgumentError(
					'activityName',
					`names no activity of workspace ${input.workspaceSid}: "${input.activityName}"`,
				);
			activitySid = String(activity.sid);
		}
		const worker = await updateWorker(client, input.workspaceSid, input.workerSid, {
			ActivitySid: activitySid,
			RejectPendingReservations: input.rejectPendingReservations,
		});
		return { status: 'completed', externalId: input.workerSid, result: workerSummary(worker) };
	},
};
