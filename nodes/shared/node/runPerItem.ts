import type {
	IExecuteFunctions,
	INodeExecutionData,
	JsonObject as N8nJsonObject,
	NodeOperationError,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { executePreparedBatch, prepareCommand, type PreparedCommand } from '../commands/execute';
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

const YIELD_EVERY_ITEMS = 100;

/** A failed item's output; an API error keeps what the service said (HTTP status, its error's link) next to the message. */
function errorJson(error: NodeApiError | NodeOperationError): N8nJsonObject {
	if (error instanceof NodeApiError)
		return {
			error: error.message,
			httpCode: error.httpCode ?? null,
			description: error.description ?? null,
		};
	return { error: error.message };
}

export interface PerItemOptions {
	/** The items an act becomes; by default the act itself. */
	toOutput?: (act: Act) => JsonObject[];
	/** Which output an act's items go to (nodes with several outputs); default the first. */
	outputOf?: (act: Act) => number;
	outputCount?: number;
	/** How many items run at once; 1 runs them one after another. */
	concurrency?: number;
	/** Messages per second per sender (CommandContext.sendingRate). */
	sendingRate?: number;
}

/**
 * Runs one command per input item, the way n8n's own nodes treat items: every
 * output keeps its pairedItem, and with Continue On Fail a failed item becomes
 * `{error}` on the first output while the others go on.
 *
 * Every item is validated before any is run, so bad input in one item stops
 * the node before anything is sent for the others (unless Continue On Fail).
 * Then up to `concurrency` items run at once (see executePreparedBatch);
 * outputs keep the items' order.
 */
export async function runCommandPerItem(
	functions: IExecuteFunctions,
	buildRequest: (itemIndex: number) => CommandRequest,
	options: PerItemOptions = {},
): Promise<INodeExecutionData[][]> {
	const {
		toOutput = (act: Act) => [actToJson(act)],
		outputOf = () => 0,
		outputCount = 1,
	} = options;
	const items = functions.getInputData();
	const store = await getStore();
	const timezone = functions.getTimezone();
	const results: Array<{ output: number; items: INodeExecutionData[] }> = new Array(items.length);

	const fail = (itemIndex: number, error: unknown) => {
		const itemError = toNodeError(functions, error, itemIndex);
		if (!functions.continueOnFail()) throw itemError;
		results[itemIndex] = {
			output: 0,
			items: [{ json: errorJson(itemError), pairedItem: { item: itemIndex } }],
		};
	};

	const prepared: Array<PreparedCommand | undefined> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Reading parameters is CPU work only: let n8n's timers (health checks, other executions) run between batches.
		if (itemIndex > 0 && itemIndex % YIELD_EVERY_ITEMS === 0)
			await new Promise((resolve) => setImmediate(resolve));
		try {
			const context: CommandContext = {
				store,
				timezone,
				itemIndex,
				functions,
				sendingRate: options.sendingRate,
			};
			prepared[itemIndex] = await prepareCommand(context, buildRequest(itemIndex));
		} catch (error) {
			fail(itemIndex, error);
		}
	}

	const ready = prepared.flatMap((command, itemIndex) => (command ? [{ command, itemIndex }] : []));
	const outcomes = await executePreparedBatch(
		ready.map(({ command }) => command),
		{
			concurrency: Math.max(1, options.concurrency ?? 1),
			stopAtFirstFailure: !functions.continueOnFail(),
		},
	);
	for (const [position, outcome] of outcomes.entries()) {
		const { itemIndex } = ready[position];
		if ('error' in outcome) {
			fail(itemIndex, outcome.error);
			continue;
		}
		results[itemIndex] = {
			output: outputOf(outcome.act),
			items: toOutput(outcome.act).map((json) => ({
				json: json as N8nJsonObject,
				pairedItem: { item: itemIndex },
			})),
		};
	}

	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	for (const result of results) if (result) outputs[result.output].push(...result.items);
	return outputs;
}
