import type { JsonValue } from '../store/types';
import { ArgumentError } from './errors';
import type { CommandArguments } from './types';

/**
 * Reading arguments that arrive as seed-style strings ("true", "120") from
 * Send Command, or as typed values from a typed node's fields. Each reader
 * names the argument in its error.
 */

export function isBlank(value: JsonValue | undefined): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function optionalString(args: CommandArguments, name: string): string | undefined {
	const value = args[name];
	if (isBlank(value)) return undefined;
	if (typeof value === 'object') throw new ArgumentError(name, 'must be text, not an object or a list');
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
	const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
	if (!Number.isFinite(number)) throw new ArgumentError(name, `must be a number, got "${String(value)}"`);
	if (number <= 0) throw new ArgumentError(name, `must be greater than 0, got ${number}`);
	if (options.integer && !Number.isInteger(number)) throw new ArgumentError(name, `must be a whole number, got ${number}`);
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
	throw new ArgumentError(name, `is not valid JSON: ${error.message}`, 'Write a JSON value, e.g. {"key": "value"}');
}

/** An http(s) URL, checked as one; undefined when not given. */
export function optionalHttpUrl(args: CommandArguments, name: string): string | undefined {
	const text = optionalString(args, name);
	if (text === undefined) return undefined;
	if (!URL.canParse(text)) {
		throw new ArgumentError(name, `is not a valid URL: "${text}"`, 'Write the full URL with its scheme, e.g. https://api.example.com/endpoint');
	}
	const { protocol } = new URL(text);
	if (protocol !== 'http:' && protocol !== 'https:') throw new ArgumentError(name, `must use http or https, got "${protocol}"`);
	return text;
}
