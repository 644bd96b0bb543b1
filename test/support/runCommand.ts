import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { executePreparedBatch, prepareCommand } from '../../nodes/shared/commands/execute';
import type { CommandContext, CommandRequest } from '../../nodes/shared/commands/types';
import type { Act, SessionStore } from '../../nodes/shared/store/types';

/** One request start to end, as a node runs one item: its act, or its error thrown. */
export async function runCommand(context: CommandContext, request: CommandRequest): Promise<Act> {
	const prepared = await prepareCommand(context, request);
	const [outcome] = await executePreparedBatch([prepared], {
		concurrency: 1,
		stopAtFirstFailure: true,
	});
	if ('error' in outcome) throw outcome.error;
	return outcome.act;
}

/** What a command sees of Send Command's n8n functions in unit tests: a node that only has a name. */
export function sendCommandFunctions(): IExecuteFunctions {
	const node: INode = {
		id: 'node-1',
		name: 'Send Command',
		type: 'n8n-nodes-agent-connectors.sendCommand',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return { getNode: () => node } as unknown as IExecuteFunctions;
}

/** A context as Send Command gives its commands, over `store`. */
export function sendCommandContext(store: SessionStore): CommandContext {
	return { store, timezone: 'UTC', itemIndex: 0, functions: sendCommandFunctions() };
}
