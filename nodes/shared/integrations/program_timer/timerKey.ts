import type { INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type {
	CommandArguments,
	CommandContext,
	CommandDefinition,
	CommandOutcome,
} from '../../commands/types';
import { timerOutcome } from './timerOutput';

/** A timer is named by its persona and its name; most commands take only that. */
export interface TimerKey {
	personaId: string;
	timerName: string;
}

export const timerIdentityProperties: INodeProperties[] = [
	{
		displayName: 'Persona ID',
		name: 'personaId',
		type: 'string',
		default: '',
		required: true,
		description: 'The persona the timer belongs to; timer names are unique per persona',
	},
	{
		displayName: 'Timer Name',
		name: 'timerName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. followup_timer',
		description: 'Setting a name that exists replaces that timer',
	},
];

function validateTimerKey(args: CommandArguments): TimerKey {
	return {
		personaId: requiredString(args, 'personaId', 'The persona the timer belongs to'),
		timerName: requiredString(args, 'timerName', 'The name the timer was set with'),
	};
}

async function requireTimer(context: CommandContext, key: TimerKey): Promise<void> {
	if (!(await context.store.getTimer(key.personaId, key.timerName))) {
		throw new ArgumentError(
			'timerName',
			`"${key.timerName}" names no timer of persona "${key.personaId}"`,
		);
	}
}

type TimerKeyCommand = Pick<
	CommandDefinition<TimerKey>,
	'commandIdn' | 'displayName' | 'description' | 'run'
>;

/** A command on one existing timer: it is named by its key and must exist before anything is recorded. */
export function timerKeyCommand(command: TimerKeyCommand): CommandDefinition<TimerKey> {
	return {
		integrationIdn: 'program_timer',
		properties: timerIdentityProperties,
		validate: validateTimerKey,
		check: requireTimer,
		...command,
	};
}

/** Arms or disarms a timer, keeping its schedule. */
export async function setTimerEnabled(
	{ store, timezone }: CommandContext,
	key: TimerKey,
	enabled: boolean,
): Promise<CommandOutcome> {
	const timer = await store.setTimerEnabled(key.personaId, key.timerName, enabled);
	return timerOutcome(timer, timezone);
}
