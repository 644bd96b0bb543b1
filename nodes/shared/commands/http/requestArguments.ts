import type { JsonObject, JsonValue } from '../../store/types';
import { isBlank, jsonArgument } from '../arguments';
import { ArgumentError } from '../errors';
import type { CommandArguments } from '../types';

/**
 * Reading send_request's structured arguments, which arrive as the seed's
 * JSON strings (Send Command), as JSON fields, or as a typed node's name /
 * value pairs; each reader names the argument in its error.
 */

interface NameValuePair {
	name?: unknown;
	value?: unknown;
}

/** The shape of an n8n fixedCollection of name / value pairs. */
function pairsOf(value: JsonValue): NameValuePair[] | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const keys = Object.keys(value);
	if (keys.length !== 1 || keys[0] !== 'pair' || !Array.isArray(value.pair)) return undefined;
	return value.pair as NameValuePair[];
}

/** A JSON string when it parses, else the text: params and request_parameters are passed through as given. */
export function passThroughArgument(args: CommandArguments, name: string): JsonValue {
	const value = args[name];
	if (isBlank(value)) return null;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as JsonValue;
	} catch {
		return value;
	}
}

/** An object of text values, from a JSON object (string or value) or name / value pairs. */
export function stringMapArgument(args: CommandArguments, name: string): Record<string, string> {
	const value = args[name];
	if (isBlank(value)) return {};
	const pairs = pairsOf(value as JsonValue);
	const map: Record<string, string> = {};
	if (pairs) {
		for (const pair of pairs) {
			const key = String(pair.name ?? '').trim();
			if (key === '')
				throw new ArgumentError(
					name,
					'has an entry without a name',
					'Give every entry a name or remove it',
				);
			map[key] = pair.value === undefined || pair.value === null ? '' : String(pair.value);
		}
		return map;
	}
	const parsed = jsonArgument(args, name);
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new ArgumentError(
			name,
			'must be a JSON object',
			'Write an object such as {"key": "value"}',
		);
	}
	for (const [key, entry] of Object.entries(parsed as JsonObject)) {
		map[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
	}
	return map;
}

/** The argument given in the form the typed node's "specify as" option picks, or the seed's own argument. */
export function chosenArgument(
	args: CommandArguments,
	name: string,
	jsonName: string,
	specifyOption: string,
): string {
	if (args[specifyOption] === 'json') return jsonName;
	if (args[specifyOption] === 'keypair') return name;
	return isBlank(args[name]) ? jsonName : name;
}
