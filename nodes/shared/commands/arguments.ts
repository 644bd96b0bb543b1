import type { JsonValue } from '../store/types';
import { ArgumentError, CommandInputError } from './errors';
import type { CommandArguments, CommandRequest } from './types';

/**
 * Reading arguments that arrive as seed-style strings ("true", "120") from
 * Send Command, or as typed values from a typed node's fields. Each reader
 * names the argument in its error.
 */

export function isBlank(value: JsonValue | undefined): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

export function optionalString(args: CommandArguments, name: string): string | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	if (typeof value === 'object')
		throw new ArgumentError(name, 'must be text, not an object or a list');
	return String(value).trim();
}

export function requiredString(args: CommandArguments, name: string, hint?: string): string {
	const value = optionalString(args, name);
	if (value === undefined) throw new ArgumentError(name, 'is required', hint);
	return value;
}

export function optionalBoolean(args: CommandArguments, name: string): boolean | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (text === 'true') return true;
	if (text === 'false') return false;
	throw new ArgumentError(name, `must be "true" or "false", got "${String(value)}"`);
}

/** A positive number (seconds, counts …); fractions allowed unless `integer`. */
export function optionalPositiveNumber(
	args: CommandArguments,
	name: string,
	options: { integer?: boolean; max?: number } = {},
): number | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string'
				? Number(value.trim())
				: Number.NaN;
	if (!Number.isFinite(number))
		throw new ArgumentError(name, `must be a number, got "${String(value)}"`);
	if (number <= 0) throw new ArgumentError(name, `must be greater than 0, got ${number}`);
	if (options.integer && !Number.isInteger(number))
		throw new ArgumentError(name, `must be a whole number, got ${number}`);
	if (options.max !== undefined && number > options.max) {
		throw new ArgumentError(name, `must be at most ${options.max}, got ${number}`);
	}
	return number;
}

/** Parses a JSON string argument; other values are taken as they are. */
export function jsonArgument(args: CommandArguments, name: string): JsonValue | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as JsonValue;
	} catch (error) {
		return notJson(name, error as Error);
	}
}

function notJson(name: string, error: Error): never {
	throw new ArgumentError(
		name,
		`is not valid JSON: ${error.message}`,
		'Write a JSON value, e.g. {"key": "value"}',
	);
}

/** Checks that `text` is an http(s) URL; `which` says which one of a list it is. */
export function checkHttpUrl(name: string, text: string, which = ''): string {
	if (!URL.canParse(text)) {
		throw new ArgumentError(
			name,
			`${which}is not a valid URL: "${text}"`,
			'Write the full URL with its scheme, e.g. https://api.example.com/endpoint',
		);
	}
	const { protocol } = new URL(text);
	if (protocol !== 'http:' && protocol !== 'https:')
		throw new ArgumentError(name, `${which}must use http or https, got "${protocol}"`);
	return text;
}

/** An http(s) URL, checked as one; undefined when not given. */
export function optionalHttpUrl(args: CommandArguments, name: string): string | undefined {
	const text = optionalString(args, name);
	return text === undefined ? undefined : checkHttpUrl(name, text);
}

/**
 * Text kept exactly as written (a message body's spaces and line breaks
 * matter); undefined when empty or only whitespace.
 */
export function optionalText(args: CommandArguments, name: string): string | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	if (typeof value === 'object')
		throw new ArgumentError(name, 'must be text, not an object or a list');
	return String(value);
}

/**
 * A list given as a JSON list (typed fields, JSON arguments) or as one string
 * of values separated by commas, spaces or new lines (seed-style strings);
 * undefined when empty.
 */
export function optionalList(args: CommandArguments, name: string): string[] | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	const text = typeof value === 'string' ? value.trim() : undefined;
	const listed = text?.startsWith('[') ? jsonArgument(args, name) : value;
	const items = Array.isArray(listed)
		? listed.map((item) => (typeof item === 'string' ? item.trim() : JSON.stringify(item)))
		: String(listed).split(/[\s,]+/);
	const present = items.filter((item) => item !== '');
	return present.length > 0 ? present : undefined;
}

/** Where a request may name its persona, with how each is shown: the node's field, then the arguments. */
function personaSources(
	request: CommandRequest,
): Array<{ shown: string; value: JsonValue | undefined }> {
	return [
		{ shown: 'Persona ID', value: request.personaId },
		{ shown: "argument 'personaId'", value: request.arguments.personaId },
		{ shown: "argument 'userPersonaId'", value: request.arguments.userPersonaId },
	];
}

/**
 * The persona a request names: Send Command's Persona ID field, the
 * personaId argument or its seed spelling userPersonaId. They are one thing,
 * so naming two different personas is an error rather than a choice: the act
 * and what the command sets (a timer …) must belong to the same persona.
 */
export function personaOf(request: CommandRequest): string | null {
	let found: { shown: string; persona: string } | null = null;
	for (const { shown, value } of personaSources(request)) {
		if (isBlank(value)) continue;
		if (typeof value === 'object')
			throw new CommandInputError(`${shown} must be text, not an object or a list`, 'personaId');
		const persona = String(value).trim();
		if (found === null) found = { shown, persona };
		else if (found.persona !== persona) {
			throw new CommandInputError(
				`${found.shown} "${found.persona}" and ${shown} "${persona}" name different personas`,
				'personaId',
				'A command and what it sets belong to one persona: give it once, or the same in both',
			);
		}
	}
	return found?.persona ?? null;
}
