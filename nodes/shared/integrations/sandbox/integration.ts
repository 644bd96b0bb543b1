import type { IntegrationDefinition } from '../../commands/types';
import { sandboxAnyCommand } from './commands/any_command.command';

export const sandboxIntegration: IntegrationDefinition = {
	integrationIdn: 'sandbox',
	displayName: 'Sandbox',
	description: 'Accepts any command and records it without sending anything',
	commands: [sandboxAnyCommand],
};
