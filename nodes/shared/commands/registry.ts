import { UnknownCommandError } from './errors';
import { httpIntegration } from './http';
import { programTimerIntegration } from './program_timer';
import { sandboxIntegration } from './sandbox';
import { twilioMessengerIntegration } from '../integrations/twilio_messenger/integration';
import { twilioVoiceIntegration } from '../integrations/twilio_voice/integration';
import { wtsChatIntegration } from './wts_chat';
import type { CommandDefinition, IntegrationDefinition } from './types';

const ANY_COMMAND = '*';

/** Only integrations whose commands work end to end are listed here. */
const integrations: readonly IntegrationDefinition[] = [
	sandboxIntegration,
	programTimerIntegration,
	httpIntegration,
	twilioVoiceIntegration,
	twilioMessengerIntegration,
	wtsChatIntegration,
];

export function listIntegrations(): readonly IntegrationDefinition[] {
	return integrations;
}

export function findIntegration(integrationIdn: string): IntegrationDefinition {
	const integration = integrations.find((candidate) => candidate.integrationIdn === integrationIdn);
	if (!integration) {
		const valid = integrations.map((candidate) => candidate.integrationIdn);
		throw new UnknownCommandError(
			`Unknown integration '${integrationIdn}'. Valid integrations: ${valid.join(', ')}`,
			'integrationIdn',
			valid,
		);
	}
	return integration;
}

export function findCommand(integrationIdn: string, commandIdn: string): CommandDefinition {
	const integration = findIntegration(integrationIdn);
	const command =
		integration.commands.find((candidate) => candidate.commandIdn === commandIdn) ??
		integration.commands.find((candidate) => candidate.commandIdn === ANY_COMMAND);
	if (!command) {
		const valid = integration.commands.map((candidate) => candidate.commandIdn);
		throw new UnknownCommandError(
			`Unknown command '${commandIdn}' for integration '${integrationIdn}'. Valid commands: ${valid.join(', ')}`,
			'commandIdn',
			valid,
		);
	}
	return command;
}
