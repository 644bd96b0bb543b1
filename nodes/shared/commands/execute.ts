import type { Act, JsonObject, JsonValue } from '../store/types';
import { ArgumentError, CommandInputError, toNodeError } from './errors';
import { findCommand } from './registry';
import type { CommandArguments, CommandContext, CommandDefinition, CommandOutcome, CommandRequest } from './types';

/** Argument names whose values are never stored in an act. */
const SECRET_ARGUMENT = /secret|password|passwd|token|api[-_]?key|authorization|credential/i;
const REDACTED = '[redacted]';

export function redactSecrets(args: CommandArguments): JsonObject {
	const copy: JsonObject = {};
	for (const [name, value] of Object.entries(args)) {
		copy[name] = SECRET_ARGUMENT.test(name) ? REDACTED : value;
	}
	return copy;
}

function isMissing(value: JsonValue | undefined): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function checkRequiredArguments(command: CommandDefinition, args: CommandArguments): void {
	for (const spec of command.arguments) {
		if (spec.required && isMissing(args[spec.name])) {
			throw new ArgumentError(spec.name, 'is required', spec.description);
		}
	}
}

function personaOf(request: CommandRequest): string | null {
	const candidates = [request.personaId, request.arguments.personaId, request.arguments.userPersonaId];
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
	}
	return null;
}

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
export async function prepareCommand(context: CommandContext, request: CommandRequest): Promise<PreparedCommand> {
	if (request.connectorIdn.trim() === '') {
		throw new CommandInputError('Connector IDN is required', 'connectorIdn', 'Name the connector the command goes to');
	}
	const command = findCommand(request.integrationIdn, request.commandIdn);
	checkRequiredArguments(command, request.arguments);
	const input = command.validate(request.arguments, request);
	await command.check?.(context, input);
	return { context, request, command, input };
}

/**
 * Records the act of a prepared command and runs it. When the run fails, the
 * act is kept with status `failed` and the error is thrown as the n8n error
 * for the item. Work the command continues in the background starts only once
 * the act is recorded as sent, so it can never be overwritten by that record.
 */
export async function executePrepared({ context, request, command, input }: PreparedCommand): Promise<Act> {
	const act = await context.store.createAct({
		integrationIdn: request.integrationIdn,
		connectorIdn: request.connectorIdn,
		commandIdn: request.commandIdn,
		arguments: command.recordArguments ? command.recordArguments(input, request.arguments) : redactSecrets(request.arguments),
		personaId: personaOf(request),
		status: 'pending',
	});
	let recorded: Act;
	let continueInBackground: CommandOutcome['continueInBackground'];
	try {
		const outcome = await command.run(context, input, act);
		continueInBackground = outcome.continueInBackground;
		recorded = await context.store.updateAct(act.id, {
			status: outcome.status,
			result: outcome.result,
			externalId: outcome.externalId ?? null,
		});
	} catch (error) {
		const nodeError = toNodeError(context.functions, error, context.itemIndex);
		await context.store.updateAct(act.id, { status: 'failed', result: { error: nodeError.message } });
		throw nodeError;
	}
	continueInBackground?.(recorded);
	return recorded;
}

/** prepareCommand then executePrepared: one request, start to end. */
export async function runCommand(context: CommandContext, request: CommandRequest): Promise<Act> {
	return await executePrepared(await prepareCommand(context, request));
}
