import type { INodeProperties } from 'n8n-workflow';

import { optionalBoolean, optionalString, requiredString } from '../arguments';
import { ArgumentError } from '../errors';
import type { CommandArguments, CommandDefinition } from '../types';
import { timerIdentityProperties } from './setTimer';
import { timerToJson } from './timerOutput';

interface TimerKey {
	personaId: string;
	timerName: string;
}

function validateTimerKey(args: CommandArguments): TimerKey {
	return {
		personaId: requiredString(args, 'personaId', 'The persona the timer belongs to'),
		timerName: requiredString(args, 'timerName', 'The name the timer was set with'),
	};
}

const keyArguments = [
	{
		name: 'personaId',
		type: 'string' as const,
		required: true,
		description: 'The persona the timer belongs to',
	},
	{
		name: 'timerName',
		type: 'string' as const,
		required: true,
		description: 'The name the timer was set with',
	},
];

function notFound(key: TimerKey): ArgumentError {
	return new ArgumentError(
		'timerName',
		`"${key.timerName}" names no timer of persona "${key.personaId}"`,
	);
}

async function requireTimer(
	context: Parameters<NonNullable<CommandDefinition['check']>>[0],
	key: TimerKey,
): Promise<void> {
	if (!(await context.store.getTimer(key.personaId, key.timerName))) throw notFound(key);
}

export const cancelTimer: CommandDefinition<TimerKey> = {
	integrationIdn: 'program_timer',
	commandIdn: 'cancel_timer',
	displayName: 'Cancel Timer',
	description: 'Stop a timer for good; it stays listed as cancelled',
	arguments: keyArguments,
	properties: timerIdentityProperties,
	validate: validateTimerKey,
	check: requireTimer,
	async run({ store, timezone }, key) {
		await store.cancelTimer(key.personaId, key.timerName);
		const timer = await store.getTimer(key.personaId, key.timerName);
		return { status: 'completed', result: timer ? timerToJson(timer, timezone) : null };
	},
};

function enableCommand(enabled: boolean): CommandDefinition<TimerKey> {
	return {
		integrationIdn: 'program_timer',
		commandIdn: enabled ? 'enable_timer' : 'disable_timer',
		displayName: enabled ? 'Enable Timer' : 'Disable Timer',
		description: enabled
			? 'Arm a disabled timer again on its schedule'
			: 'Keep a timer with its schedule but stop it firing',
		arguments: keyArguments,
		properties: timerIdentityProperties,
		validate: validateTimerKey,
		check: requireTimer,
		async run({ store, timezone }, key) {
			const timer = await store.setTimerEnabled(key.personaId, key.timerName, enabled);
			return { status: 'completed', result: timer ? timerToJson(timer, timezone) : null };
		},
	};
}

export const enableTimer = enableCommand(true);
export const disableTimer = enableCommand(false);

export const getTimer: CommandDefinition<TimerKey> = {
	integrationIdn: 'program_timer',
	commandIdn: 'get_timer',
	displayName: 'Get Timer',
	description: 'Read a timer: its next fire, fire count and state',
	arguments: keyArguments,
	properties: timerIdentityProperties,
	validate: validateTimerKey,
	check: requireTimer,
	async run({ store, timezone }, key) {
		const timer = await store.getTimer(key.personaId, key.timerName);
		return { status: 'completed', result: timer ? timerToJson(timer, timezone) : null };
	},
};

interface ListInput {
	personaId: string | undefined;
	allConnectors: boolean;
}

const listProperties: INodeProperties[] = [
	{
		displayName: 'Persona ID',
		name: 'personaId',
		type: 'string',
		default: '',
		description: "Only this persona's timers; all personas when empty",
	},
	{
		displayName: 'All Connectors',
		name: 'allConnectors',
		type: 'boolean',
		default: false,
		description: "Whether to list the timers of every connector, not only this node's connector",
	},
];

export const listTimers: CommandDefinition<ListInput> = {
	integrationIdn: 'program_timer',
	commandIdn: 'list_timers',
	displayName: 'List Timers',
	description: 'List timers by persona and connector, soonest first',
	arguments: [
		{ name: 'personaId', type: 'string', required: false, description: 'Only this persona' },
		{
			name: 'allConnectors',
			type: 'boolean',
			required: false,
			description: '"true": every connector',
		},
	],
	properties: listProperties,
	validate: (args) => ({
		personaId: optionalString(args, 'personaId'),
		allConnectors: optionalBoolean(args, 'allConnectors') ?? false,
	}),
	async run({ store, timezone }, input, act) {
		const timers = await store.listTimers({
			personaId: input.personaId,
			connectorIdn: input.allConnectors ? undefined : act.connectorIdn,
			limit: 1000,
		});
		return {
			status: 'completed',
			result: { count: timers.length, timers: timers.map((timer) => timerToJson(timer, timezone)) },
		};
	},
	toItems: (result) => {
		const timers = (result as { timers?: unknown }).timers;
		return Array.isArray(timers) ? (timers as ReturnType<typeof timerToJson>[]) : [];
	},
};
