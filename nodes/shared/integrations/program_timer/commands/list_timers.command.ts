import type { INodeProperties } from 'n8n-workflow';

import { optionalBoolean, optionalString } from '../../../commands/arguments';
import type { CommandDefinition } from '../../../commands/types';
import { timerToJson } from '../timerOutput';

interface ListInput {
	personaId: string | undefined;
	allConnectors: boolean;
}

const properties: INodeProperties[] = [
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
	properties,
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
