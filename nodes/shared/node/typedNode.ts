import type {
	IExecuteFunctions,
	INodeCredentialDescription,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { isResourceLocatorValue } from 'n8n-workflow';

import { findCommand } from '../integrations/registry';
import type { CommandArguments, CommandRequest, IntegrationDefinition } from '../commands/types';
import type { JsonObject, JsonValue } from '../store/types';
import { itemParameterReader, type ItemParameterReader } from './parameterReader';
import { runCommandPerItem, type PerItemOptions } from './runPerItem';

/**
 * A typed node is a display name, a credential and its integration's
 * commands as operations. Each command's own fields are shown for its
 * operation; their names are the argument names, so a typed node and Send
 * Command run the same validation and produce the same act.
 */
/** The credential a typed node asks for: its integration's, if it has one. */
export function integrationCredentials(
	integration: IntegrationDefinition,
): INodeCredentialDescription[] {
	return integration.credential ? [{ name: integration.credential, required: true }] : [];
}

/** The integration's commands as the options of a node's Operation field. */
function operationOptions(integration: IntegrationDefinition): INodePropertyOptions[] {
	return integration.commands.map((command) => ({
		name: command.displayName,
		value: command.commandIdn,
		description: command.description,
		action: command.description,
	}));
}

/**
 * A typed node's fields: the Operation (one per command, the first by
 * default; none for a single command), the Connector, and every command's
 * own fields, each shown for its operation.
 */
export function commandProperties(integration: IntegrationDefinition): INodeProperties[] {
	const firstCommand = integration.commands[0].commandIdn;
	const connectorIdn = integration.integrationIdn;
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: operationOptions(integration),
		default: firstCommand,
	};
	const connector: INodeProperties = {
		displayName: 'Connector',
		name: 'connectorIdn',
		type: 'string',
		default: connectorIdn,
		required: true,
		description:
			'The connector identifier (connectorIdn) recorded with the act; triggers can filter by it',
	};
	// A node with one command has no Operation field to show its fields by.
	const single = integration.commands.length === 1;
	const commandFields = integration.commands.flatMap((command) =>
		(command.properties ?? []).map((property) =>
			single
				? property
				: {
						...property,
						displayOptions: {
							...property.displayOptions,
							show: { ...property.displayOptions?.show, operation: [command.commandIdn] },
						},
					},
		),
	);
	return single ? [connector, ...commandFields] : [operation, connector, ...commandFields];
}

/**
 * A picker's value (`{__rl, mode, value}`) as the plain value Send Command
 * would pass; anything else, e.g. the string an older workflow keeps in the
 * same field, as it is. The act then records the same arguments either way.
 */
function plainValue(value: unknown): JsonValue {
	return (isResourceLocatorValue(value) ? value.value : value) as JsonValue;
}

function readRequest(
	read: ItemParameterReader,
	integration: IntegrationDefinition,
	itemIndex: number,
): CommandRequest {
	const only = integration.commands.length === 1 ? integration.commands[0].commandIdn : null;
	const commandIdn = read('operation', itemIndex, only) as string;
	const command = findCommand(integration.integrationIdn, commandIdn);
	const args: CommandArguments = {};
	for (const property of command.properties ?? []) {
		const value = read(property.name, itemIndex, null);
		// A collection only groups optional arguments in the editor; each of its fields is an argument of its own.
		if (property.type === 'collection' && value !== null && typeof value === 'object') {
			for (const [name, field] of Object.entries(value)) args[name] = plainValue(field);
		} else args[property.name] = plainValue(value);
	}
	return {
		integrationIdn: integration.integrationIdn,
		commandIdn,
		connectorIdn: String(read('connectorIdn', itemIndex, '')).trim(),
		arguments: args,
	};
}

/** Runs the chosen operation per item and outputs what the command says (the result, or its list split into items). */
export async function runTypedNode(
	functions: IExecuteFunctions,
	integration: IntegrationDefinition,
	options: PerItemOptions = {},
): Promise<INodeExecutionData[][]> {
	const read = itemParameterReader(functions);
	return await runCommandPerItem(
		functions,
		(itemIndex) => readRequest(read, integration, itemIndex),
		{
			toOutput: (act) => {
				const command = findCommand(act.integrationIdn, act.commandIdn);
				if (command.toItems) return command.toItems(act.result);
				return act.result !== null && typeof act.result === 'object' && !Array.isArray(act.result)
					? [act.result as JsonObject]
					: [{ result: act.result }];
			},
			...options,
		},
	);
}
