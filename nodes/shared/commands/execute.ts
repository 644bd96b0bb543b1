import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Act, ActUpdate, CreateActInput } from '../store/types';
import { forEachConcurrently } from './concurrency';
import { CommandInputError, toNodeError } from './errors';
import { findCommand } from '../integrations/registry';
import { personaOf } from './arguments';
import { redactSecrets } from './redaction';
import { checkRequiredArguments, resolveAliases, withPersona } from './schema';
import type { CommandContext, CommandDefinition, CommandOutcome, CommandRequest } from './types';

/** A request that passed validation and its checks: nothing is stored or sent yet. */
export interface PreparedCommand {
	context: CommandContext;
	request: CommandRequest;
	command: CommandDefinition;
	input: unknown;
}

/**
 * Validates a request against its command and runs the command's checks.
 * Throws the input error (naming the field) before anything is stored or sent.
 */
export async function prepareCommand(
	context: CommandContext,
	request: CommandRequest,
): Promise<PreparedCommand> {
	if (request.connectorIdn.trim() === '') {
		throw new CommandInputError(
			'Connector IDN is required',
			'connectorIdn',
			'Name the connector the command goes to',
		);
	}
	const command = findCommand(request.integrationIdn, request.commandIdn);
	// The act records the arguments as they were given; only validation sees the aliases resolved
	// and the request's persona in the command's persona arguments.
	const args = withPersona(command, resolveAliases(command, request.arguments), personaOf(request));
	checkRequiredArguments(command, args);
	const input = command.validate(args, request);
	await command.check?.(context, input);
	// Under an integration's alias the command is still its own integration's: sessions, actors and the act say so.
	return {
		context,
		request: { ...request, integrationIdn: command.integrationIdn },
		command,
		input,
	};
}

function actInputOf({ request, command, input }: PreparedCommand): CreateActInput {
	return {
		integrationIdn: request.integrationIdn,
		connectorIdn: request.connectorIdn,
		// An alias runs the command it names; the act says which one ran.
		commandIdn: command.aliases?.includes(request.commandIdn)
			? command.commandIdn
			: request.commandIdn,
		arguments: command.recordArguments
			? command.recordArguments(input, request.arguments)
			: redactSecrets(request.arguments),
		personaId: command.recordsPersona === false ? null : personaOf(request),
		status: 'pending',
	};
}

export type BatchOutcome = { act: Act } | { error: NodeApiError | NodeOperationError };

export interface BatchOptions {
	/** How many commands run at once. */
	concurrency: number;
	/** After a failure start no more commands (their acts end as failed, not sent). */
	stopAtFirstFailure: boolean;
}

/** Outcomes are written in groups this large: a commit costs more than the writes in it. */
const RECORD_EVERY = 50;

/**
 * Records the acts of prepared commands (all in one step, as `pending`),
 * runs the commands up to `concurrency` at once, and records each outcome
 * (in groups, each group one step). A failed run keeps its act as `failed`
 * and comes back as the n8n error for its item. Work a command continues in
 * the background starts only once its act is recorded with the outcome, so
 * that record can never overwrite what the background work settles.
 *
 * One commit per item for the act and one for its outcome were the largest
 * part of the node's own time with many items; batching removes them.
 */
export async function executePreparedBatch(
	batch: PreparedCommand[],
	options: BatchOptions,
): Promise<BatchOutcome[]> {
	if (batch.length === 0) return [];
	const store = batch[0].context.store;
	const acts = await store.createActs(batch.map(actInputOf));
	const outcomes: BatchOutcome[] = new Array(batch.length);
	interface Settled {
		index: number;
		update: ActUpdate;
		error?: NodeApiError | NodeOperationError;
		continueInBackground?: CommandOutcome['continueInBackground'];
	}
	let unrecorded: Settled[] = [];
	let stopped = false;

	const record = async () => {
		const taken = unrecorded;
		unrecorded = [];
		if (taken.length === 0) return;
		const recorded = await store.updateActs(taken.map((settled) => settled.update));
		taken.forEach((settled, position) => {
			outcomes[settled.index] = settled.error
				? { error: settled.error }
				: { act: recorded[position] };
			if (!settled.error) settled.continueInBackground?.(recorded[position]);
		});
	};

	const runOne = async (index: number) => {
		const { context, command, input } = batch[index];
		const act = acts[index];
		if (stopped) {
			const error = toNodeError(
				context.functions,
				new Error('Not sent: an earlier item failed'),
				context.itemIndex,
			);
			unrecorded.push({
				index,
				update: { id: act.id, patch: { status: 'failed', result: { error: error.message } } },
				error,
			});
			return;
		}
		try {
			const outcome = await command.run(context, input, act);
			unrecorded.push({
				index,
				update: {
					id: act.id,
					patch: {
						status: outcome.status,
						result: outcome.result,
						externalId: outcome.externalId ?? null,
					},
				},
				continueInBackground: outcome.continueInBackground,
			});
		} catch (caught) {
			const error = toNodeError(context.functions, caught, context.itemIndex);
			if (options.stopAtFirstFailure) stopped = true;
			unrecorded.push({
				index,
				update: { id: act.id, patch: { status: 'failed', result: { error: error.message } } },
				error,
			});
		}
		if (unrecorded.length >= RECORD_EVERY) await record();
	};

	await forEachConcurrently(batch.length, Math.max(1, options.concurrency), runOne);
	await record();
	return outcomes;
}
