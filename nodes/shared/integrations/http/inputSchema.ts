import type { JsonObject, JsonValue } from '../../store/types';
import {
	compileInputSchema,
	InputSchemaError,
	type InputSchema,
} from '../../validation/inputSchema';
import { isBlank } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { BodyInput } from './requestArguments';

/** The body checked against the request's input_schema, before anything is sent. */
export function checkInputSchema(args: CommandArguments, body: BodyInput | undefined): void {
	if (isBlank(args.input_schema)) return;
	const schema = compileOrFail(args.input_schema);
	if (!body || body.contentType !== 'application/json') {
		throw new ArgumentError(
			'input_schema',
			'needs a JSON body to check',
			'Send the payload as the JSON body',
		);
	}
	const { checked, at } = schemaSubject(body.value);
	const problems = schema
		.problems(checked)
		.map((problem) => (at === '' ? problem : at + problem.replace(/^\(root\)/, '')));
	if (problems.length > 0) {
		throw new ArgumentError(
			'body',
			`does not match the input schema: ${problems.join('; ')}`,
			'Change the body or the input schema so they agree',
		);
	}
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the schema describes: the whole body, or, in the agent request
 * envelope `{payload, call_id}` (Vocode's External Action request), its
 * `payload`: the input_schema describes the action's arguments.
 */
function schemaSubject(body: JsonValue): { checked: JsonValue; at: string } {
	if (!isObject(body) || !isObject(body.payload) || !('call_id' in body))
		return { checked: body, at: '' };
	const envelope = Object.keys(body).every((key) => key === 'payload' || key === 'call_id');
	const callId = body.call_id;
	return envelope && (callId === null || typeof callId === 'string')
		? { checked: body.payload, at: '/payload' }
		: { checked: body, at: '' };
}

function compileOrFail(schema: JsonValue | undefined): InputSchema {
	try {
		return compileInputSchema(schema);
	} catch (error) {
		return failSchema(error instanceof InputSchemaError ? error.message : String(error));
	}
}

function failSchema(message: string): never {
	throw new ArgumentError('input_schema', message.replace(/^Input schema /, 'is unusable: '));
}
