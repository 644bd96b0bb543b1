import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Errors raised by the registry and by commands' validation. They carry the
 * field at fault; the node adds the item index and turns them into n8n errors.
 */
export class CommandInputError extends Error {
	constructor(
		message: string,
		/** The argument or property at fault, when there is one. */
		readonly field: string | undefined,
		/** How to fix it, shown under the message in the n8n editor. */
		readonly hint?: string,
	) {
		super(message);
		this.name = 'CommandInputError';
	}
}

export class ArgumentError extends CommandInputError {
	constructor(field: string, problem: string, hint?: string) {
		super(`Argument '${field}' ${problem}`, field, hint);
		this.name = 'ArgumentError';
	}
}

export class UnknownCommandError extends CommandInputError {
	constructor(
		message: string,
		field: 'integrationIdn' | 'commandIdn',
		readonly validValues: string[],
	) {
		super(message, field, `Valid values: ${validValues.join(', ')}`);
		this.name = 'UnknownCommandError';
	}
}

/**
 * Turns any failure of one item into the n8n error the editor shows for that
 * item: input errors name the field and the item, service errors
 * (NodeApiError) keep their code and link.
 */
export function toNodeError(
	functions: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof CommandInputError) {
		const where = error.field
			? ` (field '${error.field}', item ${itemIndex})`
			: ` (item ${itemIndex})`;
		return new NodeOperationError(functions.getNode(), error.message + where, {
			itemIndex,
			description: error.hint,
		});
	}
	if (error instanceof Error)
		return new NodeOperationError(functions.getNode(), error, { itemIndex });
	return new NodeOperationError(functions.getNode(), String(error), { itemIndex });
}
