import type { INodeProperties } from 'n8n-workflow';

import type { CommandDefinition } from '../shared/commands/types';
import { listIntegrations } from '../shared/integrations/registry';

function commandNames(command: CommandDefinition): string {
	if (command.commandIdn === '*') return 'any command';
	const aliases = command.aliases ?? [];
	return aliases.length === 0
		? command.commandIdn
		: `${command.commandIdn} (also ${aliases.join(', ')})`;
}

/** One notice per integration listing the commands it takes, with the other names each answers to. */
export const commandListNotices: INodeProperties[] = listIntegrations().map((integration) => ({
	displayName: `Commands: ${integration.commands.map(commandNames).join(', ')}`,
	name: `commandsOf_${integration.integrationIdn}`,
	type: 'notice',
	default: '',
	displayOptions: { show: { integrationIdn: [integration.integrationIdn] } },
}));
