import type { IntegrationDefinition } from '../../commands/types';
import { sendRequest } from './commands/send_request.command';

export const httpIntegration: IntegrationDefinition = {
	integrationIdn: 'http',
	displayName: 'HTTP',
	description: 'HTTP requests to external APIs; results come back as result_success / result_error',
	commands: [sendRequest],
};
