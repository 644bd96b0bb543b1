import type { JsonValue } from '../../store/types';
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
	const problems = schema.problems(body.value);
	if (problems.length > 0) {
		throw new ArgumentError(
			'body',
			`does not match the input schema: ${problems.join('; ')}`,
			'Change the body or the input schema so they agree',
		);
	}
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
