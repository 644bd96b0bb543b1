import type { IntegrationDefinition } from '../types';
import { sendRequest } from './sendRequest';

export const httpIntegration: IntegrationDefinition = {
	integrationIdn: 'http',
	displayName: 'HTTP',
	description: 'HTTP requests to external APIs; results come back as result_success / result_error',
	commands: [sendRequest],
};
