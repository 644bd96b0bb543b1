import type { IntegrationDefinition } from '../types';
import { sandboxAnyCommand } from './anyCommand';

export const sandboxIntegration: IntegrationDefinition = {
	integrationIdn: 'sandbox',
	displayName: 'Sandbox',
	description: 'Accepts any command and records it without sending anything',
	commands: [sandboxAnyCommand],
};
