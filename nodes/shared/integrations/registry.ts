import type { INodeCredentialDescription } from 'n8n-workflow';

import { UnknownCommandError } from '../commands/errors';
import type { CommandDefinition, IntegrationDefinition } from '../commands/types';
import { httpIntegration } from './http/integration';
import { programTimerIntegration } from './program_timer/integration';
import { sandboxIntegration } from './sandbox/integration';
import { storeIntegration } from './store/integration';
import { twilioMessengerIntegration } from './twilio_messenger/integration';
import { twilioVoiceIntegration } from './twilio_voice/integration';
import { wtsChatIntegration } from './wts_chat/integration';

const ANY_COMMAND = '*';

/** Only integrations whose commands work end to end are listed here. */
const integrations: readonly IntegrationDefinition[] = [
	sandboxIntegration,
	programTimerIntegration,
	httpIntegration,
	twilioVoiceIntegration,
	twilioMessengerIntegration,
	wtsChatIntegration,
	storeIntegration,
];

/**
 * Names other platforms give these integrations (the ones their SendCommand
 * examples use), each standing for integrations of this list: a command
 * sent under an alias is the command of the integration that has it, and
 * its act records that integration.
 */
const aliases: readonly IntegrationDefinition[] = [
	aliasOf('twilio', 'Twilio (Alias)', [twilioMessengerIntegration, twilioVoiceIntegration]),
	aliasOf('newo_voice', 'Voice Conversation (Alias)', [twilioVoiceIntegration]),
];

function aliasOf(
	integrationIdn: string,
	displayName: string,
	of: IntegrationDefinition[],
): IntegrationDefinition {
	const names = of.map(
		(integration) => `${integration.displayName} (${integration.integrationIdn})`,
	);
	return {
		integrationIdn,
		displayName,
		description:
			of.length === 1
				? `Another name for ${names[0]}`
				: `Another name for ${names.join(' and ')}: each command goes to the one that has it`,
		credential: of[0].credential,
		commands: of.flatMap((integration) => integration.commands),
	};
}

/** The integrations, then their aliases. */
export function listIntegrations(): readonly IntegrationDefinition[] {
	return [...integrations, ...aliases];
}

export function findIntegration(integrationIdn: string): IntegrationDefinition {
	const integration = listIntegrations().find(
		(candidate) => candidate.integrationIdn === integrationIdn,
	);
	if (!integration) {
		const valid = listIntegrations().map((candidate) => candidate.integrationIdn);
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
		integration.commands.find((candidate) => candidate.aliases?.includes(commandIdn)) ??
		integration.commands.find((candidate) => candidate.commandIdn === ANY_COMMAND);
	if (!command) {
		const valid = integration.commands.flatMap((candidate) => [
			candidate.commandIdn,
			...(candidate.aliases ?? []),
		]);
		throw new UnknownCommandError(
			`Unknown command '${commandIdn}' for integration '${integrationIdn}'. Valid commands: ${valid.join(', ')}`,
			'commandIdn',
			valid,
		);
	}
	return command;
}

/**
 * Send Command's credentials: each credential type the integrations need,
 * required when one of its integrations is chosen.
 */
export function sendCommandCredentials(): INodeCredentialDescription[] {
	const byCredential = new Map<string, string[]>();
	for (const { credential, integrationIdn } of listIntegrations()) {
		if (credential)
			byCredential.set(credential, [...(byCredential.get(credential) ?? []), integrationIdn]);
	}
	return [...byCredential].map(([name, integrationIdns]) => ({
		name,
		required: true,
		displayOptions: { show: { integrationIdn: integrationIdns } },
	}));
}
