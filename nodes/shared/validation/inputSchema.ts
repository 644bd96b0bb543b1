import type { OutputUnit, Schema, Validator } from '@cfworker/json-schema';

import { lazyModule } from '../lazyModule';

/**
 * `input_schema` of seed 002: a JSON Schema whose top level is an object,
 * checked before a request goes out (Send HTTP Request) or before a signed
 * agent request starts a workflow (Agent Action Trigger).
 */
export interface InputSchema {
	/** What is wrong with `value`, one line per problem; empty when it matches. */
	problems(value: unknown): string[];
}

/** The schema itself is unusable: not JSON, not an object schema. */
export class InputSchemaError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InputSchemaError';
	}
}

// Keywords that only say "something below failed"; the failure below says what.
const WRAPPER_KEYWORDS = new Set([
	'properties',
	'items',
	'prefixItems',
	'allOf',
	'$ref',
	'dependentSchemas',
	'unevaluatedProperties',
]);
const MAX_CACHED = 100;
const compiled = new Map<string, InputSchema>();

/** Most workflows never validate a schema. */
const loadValidator = lazyModule<typeof import('@cfworker/json-schema')>('@cfworker/json-schema');

function describe(unit: OutputUnit): string {
	const at = unit.instanceLocation.replace(/^#/, '') || '(root)';
	return `${at}: ${unit.error}`;
}

function toProblems(errors: OutputUnit[]): string[] {
	const leaves = errors.filter((unit) => !WRAPPER_KEYWORDS.has(unit.keyword));
	return [...new Set((leaves.length > 0 ? leaves : errors).map(describe))];
}

function parse(raw: unknown): Schema {
	let schema = raw;
	if (typeof raw === 'string') {
		try {
			schema = JSON.parse(raw);
		} catch (error) {
			return invalid(`is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
		return invalid('must be a JSON Schema object');
	const type = (schema as { type?: unknown }).type;
	if (type !== 'object')
		return invalid(
			`must describe an object at its top level ("type": "object"), got ${JSON.stringify(type ?? null)}`,
		);
	return schema as Schema;
}

function invalid(problem: string): never {
	throw new InputSchemaError(`Input schema ${problem}`);
}

/**
 * Compiles an `input_schema` (a JSON string or an object), keeping the last
 * hundred compiled so that validating item after item costs one lookup.
 * Throws InputSchemaError when the schema itself is unusable.
 */
export function compileInputSchema(raw: unknown): InputSchema {
	const key = typeof raw === 'string' ? raw : JSON.stringify(raw);
	const cached = compiled.get(key);
	if (cached) return cached;

	const schema = parse(raw);
	const { Validator: SchemaValidator } = loadValidator();
	let validator: Validator;
	try {
		// Draft 2020-12 reads the older drafts' common keywords alike; every error is reported, not just the first.
		validator = new SchemaValidator(schema, '2020-12', false);
	} catch (error) {
		return invalid(`cannot be compiled: ${(error as Error).message}`);
	}
	const inputSchema: InputSchema = {
		problems: (value) => {
			const outcome = validator.validate(value);
			return outcome.valid ? [] : toProblems(outcome.errors);
		},
	};
	if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
	compiled.set(key, inputSchema);
	return inputSchema;
}
