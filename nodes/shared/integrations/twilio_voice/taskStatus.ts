/** What Complete Task and Wrap Up Task share: a change of the task's assignment status. */
import type { CommandContext, CommandOutcome } from '../../commands/types';
import { createTwilioClient } from '../../transport/twilio';
import { taskSummary, updateTask, type TaskRef } from './taskRouter';

export async function runTaskStatusChange(
	context: CommandContext,
	ref: TaskRef,
	form: { AssignmentStatus: string; Reason?: string },
): Promise<CommandOutcome> {
	const client = await createTwilioClient(context.functions, context.itemIndex);
	const updated = await updateTask(client, ref, form);
	return { status: 'completed', externalId: ref.taskSid, result: taskSummary(updated) };
}
