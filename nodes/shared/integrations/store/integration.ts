import type { IntegrationDefinition } from '../../commands/types';
import { deletePersona } from './commands/delete_persona.command';

export const storeIntegration: IntegrationDefinition = {
	integrationIdn: 'store',
	displayName: 'Session Store',
	description: "Manages what this package's store keeps about people",
	commands: [deletePersona],
};
