import type { CommandDefinition } from '../../../commands/types';

/**
 * The sandbox accepts any command name with any arguments and sends nothing:
 * the act is recorded like a real one, so a workflow can be built and tested
 * before any connector has credentials.
 */
export const sandboxAnyCommand: CommandDefinition<null> = {
	integrationIdn: 'sandbox',
	commandIdn: '*',
	displayName: 'Any Command',
	description: 'Records the act and returns it; sends nothing anywhere',
	validate: () => null,
	run: async (_context, _input, act) => ({
		status: 'completed',
		result: { sandbox: true, delivered: false, commandIdn: act.commandIdn },
	}),
};
