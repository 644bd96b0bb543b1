import { executePreparedBatch, prepareCommand } from '../../nodes/shared/commands/execute';
import type { CommandContext, CommandRequest } from '../../nodes/shared/commands/types';
import type { Act } from '../../nodes/shared/store/types';

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
