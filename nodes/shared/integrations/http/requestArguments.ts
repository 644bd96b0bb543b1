import type { JsonObject, JsonValue } from '../../store/types';
import type { HttpAuthentication } from '../../transport/http';
import {
	isBlank,
	jsonArgument,
	optionalHttpUrl,
	optionalString,
	requiredString,
} from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { ResponseFormat } from './result';

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

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type Method = (typeof METHODS)[number];

/** The generic credential of this package (n8n's lint forbids using other packages' credentials). */
export const GENERIC_AUTH_TYPE = 'httpAuthApi';
/** This package's service credentials, which add their service's authentication. */
export const PREDEFINED_AUTH_TYPES = ['agentTwilioApi', 'wtsChatApi'] as const;

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export type RequestMode = 'sync' | 'async';

export function readMethod(args: CommandArguments): Method {
	const method = requiredString(args, 'method').toUpperCase();
	if (!(METHODS as readonly string[]).includes(method)) {
		throw new ArgumentError('method', `must be one of ${METHODS.join(', ')}, got "${method}"`);
	}
	return method as Method;
}

export function readUrl(args: CommandArguments): string {
	requiredString(args, 'url', 'The full URL, e.g. https://api.example.com/endpoint');
	return optionalHttpUrl(args, 'url') as string;
}

export function readHeaders(args: CommandArguments): Record<string, string> {
	const name = chosenArgument(args, 'headers', 'headersJson', 'specifyHeaders');
	const headers = stringMapArgument(args, name);
	for (const [header, value] of Object.entries(headers)) {
		if (!HEADER_NAME.test(header))
			throw new ArgumentError(name, `has an invalid header name "${header}"`);
		if (/[\r\n]/.test(value))
			throw new ArgumentError(name, `has a line break in the value of header "${header}"`);
	}
	return headers;
}

type BodyType = 'none' | 'json' | 'form';

function readBodyType(args: CommandArguments): BodyType {
	const given = optionalString(args, 'bodyType');
	if (given === 'none' || given === 'json' || given === 'form') return given;
	if (given !== undefined)
		throw new ArgumentError('bodyType', `must be none, json or form, got "${given}"`);
	// Send Command: the seed's arguments say which body there is.
	if (!isBlank(args.body) && !isBlank(args.data)) {
		throw new ArgumentError(
			'data',
			'cannot be sent together with body',
			'Send either a JSON body or form data',
		);
	}
	if (!isBlank(args.body)) return 'json';
	return isBlank(args.data) ? 'none' : 'form';
}

export interface BodyInput {
	/** The exact bytes to send. */
	text: string;
	contentType: string;
	/** What the act records and the input schema checks. */
	value: JsonValue;
}

export function readBody(args: CommandArguments, method: Method): BodyInput | undefined {
	const bodyType = readBodyType(args);
	if (bodyType === 'none') return undefined;
	const field = bodyType === 'json' ? 'body' : 'data';
	if (method === 'GET')
		throw new ArgumentError(
			field,
			'cannot be sent with GET',
			'Use POST, PUT, PATCH or DELETE, or send the values as parameters',
		);
	if (bodyType === 'form') {
		const fields = stringMapArgument(args, 'data');
		return {
			text: new URLSearchParams(fields).toString(),
			contentType: 'application/x-www-form-urlencoded',
			value: fields,
		};
	}
	const value = jsonArgument(args, 'body');
	if (value === undefined) return undefined;
	// A JSON string is sent exactly as written: its bytes are what a signature covers.
	const text = typeof args.body === 'string' ? args.body : JSON.stringify(value);
	return { text, contentType: 'application/json', value };
}

export function readAuthentication(args: CommandArguments): HttpAuthentication {
	const kind = optionalString(args, 'authentication') ?? 'none';
	if (kind === 'none') return { kind: 'none' };
	if (kind === 'genericCredentialType')
		return { kind: 'credential', credentialType: GENERIC_AUTH_TYPE };
	if (kind !== 'predefinedCredentialType') {
		throw new ArgumentError(
			'authentication',
			`must be none, predefinedCredentialType or genericCredentialType, got "${kind}"`,
		);
	}
	const credentialType = requiredString(
		args,
		'nodeCredentialType',
		`One of: ${PREDEFINED_AUTH_TYPES.join(', ')}`,
	);
	if (!(PREDEFINED_AUTH_TYPES as readonly string[]).includes(credentialType)) {
		throw new ArgumentError(
			'nodeCredentialType',
			`must be one of ${PREDEFINED_AUTH_TYPES.join(', ')}, got "${credentialType}"`,
		);
	}
	return { kind: 'credential', credentialType };
}

export function readMode(args: CommandArguments): RequestMode {
	// The seed's send_request always answers with an event: without a mode, the request runs in the background.
	const mode = optionalString(args, 'mode') ?? 'async';
	if (mode !== 'sync' && mode !== 'async')
		throw new ArgumentError('mode', `must be "sync" or "async", got "${mode}"`);
	return mode;
}

export function readFormat(args: CommandArguments): ResponseFormat {
	const format = optionalString(args, 'responseFormat') ?? 'raw';
	if (format !== 'raw' && format !== 'agentAction')
		throw new ArgumentError('responseFormat', `must be "raw" or "agentAction", got "${format}"`);
	return format;
}
