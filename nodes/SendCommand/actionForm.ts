/**
 * The action form some agent platforms write a command in: an object
 * `{command, parameters}`, given as the whole arguments (Command field
 * `smsAction`), as an `smsAction` argument, or inside `output` as a dialog
 * node's output carries it. Send Command reads it as the command it names
 * with its parameters as arguments.
 */
import { ArgumentError, CommandInputError } from '../shared/commands/errors';
import type { CommandArguments } from '../shared/commands/types';
import type { JsonObject, JsonValue } from '../shared/store/types';

/** The Command field's value that says "the arguments are the action". */
export const ACTION_FORM_COMMAND = 'smsAction';
const ACTION_ARGUMENT = 'smsAction';
const OUTPUT_ARGUMENT = 'output';

function isObject(value: JsonValue | undefined): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): { value: JsonValue } | { problem: string } {
	try {
		return { value: JSON.parse(text) as JsonValue };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

/** An object argument, also when written as JSON text (key / value arguments are strings). */
function objectArgument(value: JsonValue | undefined, field: string): JsonObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: JsonValue = value;
	if (typeof value === 'string') {
		const outcome = parseJson(value);
		if ('problem' in outcome)
			throw new ArgumentError(
				field,
				`is not valid JSON: ${outcome.problem}`,
				'Write {"command": "…", "parameters": {…}}',
			);
		parsed = outcome.value;
	}
	if (!isObject(parsed))
		throw new ArgumentError(field, 'must be a JSON object {"command": …, "parameters": {…}}');
	return parsed;
}

/** Where the action is, and the arguments around it. */
function locateAction(
	commandIdn: string,
	args: CommandArguments,
): { action: JsonObject; field: string; rest: CommandArguments } | undefined {
	const { [ACTION_ARGUMENT]: action, ...others } = args;
	if (action !== undefined) {
		const found = objectArgument(action, ACTION_ARGUMENT);
		return found && { action: found, field: ACTION_ARGUMENT, rest: others };
	}
	const output = objectArgument(args[OUTPUT_ARGUMENT], OUTPUT_ARGUMENT);
	if (output !== undefined && ACTION_ARGUMENT in output) {
		const rest = { ...args };
		delete rest[OUTPUT_ARGUMENT];
		const found = objectArgument(output[ACTION_ARGUMENT], `${OUTPUT_ARGUMENT}.${ACTION_ARGUMENT}`);
		return found && { action: found, field: `${OUTPUT_ARGUMENT}.${ACTION_ARGUMENT}`, rest };
	}
	if (commandIdn !== ACTION_FORM_COMMAND) return undefined;
	const { command, parameters, parameter, ...rest } = args;
	return { action: { command, parameters, parameter }, field: 'command', rest };
}

/**
 * The command and arguments a request means: unchanged unless it carries an
 * action, whose `command` then names the command and whose `parameters` (or
 * `parameter`) join the other arguments.
 */
export function readActionForm(
	commandIdn: string,
	args: CommandArguments,
): { commandIdn: string; arguments: CommandArguments } {
	const located = locateAction(commandIdn, args);
	if (located === undefined) return { commandIdn, arguments: args };
	const { action, field, rest } = located;
	const named = typeof action.command === 'string' ? action.command.trim() : '';
	if (named === '')
		throw new ArgumentError(
			field,
			'has no "command"',
			'Name the command, e.g. {"command": "setSessionTimeoutCount", "parameters": {"count": 200}}',
		);
	if (commandIdn !== ACTION_FORM_COMMAND && commandIdn !== named)
		throw new CommandInputError(
			`Command '${commandIdn}' differs from the command '${named}' the action names`,
			'commandIdn',
			`Set Command to ${named} or to ${ACTION_FORM_COMMAND}`,
		);
	const parametersField = action.parameters !== undefined ? 'parameters' : 'parameter';
	const parameters =
		objectArgument(action.parameters ?? action.parameter, `${field}.${parametersField}`) ?? {};
	for (const name of Object.keys(parameters)) {
		if (name in rest)
			throw new ArgumentError(name, 'is given twice', 'Give it in the action or as an argument');
	}
	return { commandIdn: named, arguments: { ...rest, ...parameters } };
}
