import type { IExecuteFunctions, INodeExecutionData, JsonObject as N8nJsonObject } from 'n8n-workflow';

import { runCommand } from '../commands/execute';
import { toNodeError } from '../commands/errors';
import type { CommandContext, CommandRequest } from '../commands/types';
import { getStore } from '../store';
import type { Act, JsonObject } from '../store/types';

/** The act as a node outputs it: what GetAct() gives in the seed. */
export function actToJson(act: Act): JsonObject {
	return {
		actId: act.id,
		integrationIdn: act.integrationIdn,
		connectorIdn: act.connectorIdn,
		commandIdn: act.commandIdn,
		personaId: act.personaId,
		status: act.status,
		result: act.result,
		externalId: act.externalId,
		arguments: act.arguments,
		createdAt: new Date(act.createdAt).toISOString(),
		updatedAt: new Date(act.updatedAt).toISOString(),
	};
}

/**
 * Runs one command per input item, the way n8n's own nodes treat items: every
 * output keeps its pairedItem, and with Continue On Fail a failed item becomes
 * `{error}` while the others go on.
 */
export async function runCommandPerItem(
	functions: IExecuteFunctions,
	buildRequest: (itemIndex: number) => CommandRequest,
	toOutput: (act: Act) => JsonObject[] = (act) => [actToJson(act)],
): Promise<INodeExecutionData[][]> {
	const items = functions.getInputData();
	const store = await getStore();
	const timezone = functions.getTimezone();
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const context: CommandContext = { store, timezone, itemIndex, functions };
			const act = await runCommand(context, buildRequest(itemIndex));
			for (const json of toOutput(act)) output.push({ json: json as N8nJsonObject, pairedItem: { item: itemIndex } });
		} catch (error) {
			const itemError = toNodeError(functions, error, itemIndex);
			if (functions.continueOnFail()) {
				output.push({ json: { error: itemError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw itemError;
		}
	}
	return [output];
}
