/** Reading OpenAPI schemas: `$ref`s resolved, OpenAPI's dialect converted to JSON Schema, form values typed. */
import type { Schema } from '@cfworker/json-schema';

import type { OasDocument, OasSchema } from './types';

export type FormatPolicy = 'body' | 'query' | 'response';

/**
 * Formats the validator knows and the spec means literally. Query date-times
 * are dropped: Twilio documents `YYYY-MM-DD` for them. Responses carry
 * relative `uri`s typed `format: uri`, so no formats are checked there.
 */
const KEPT_FORMATS: Record<FormatPolicy, ReadonlySet<string>> = {
	body: new Set(['uri', 'date-time', 'date']),
	query: new Set(['uri', 'date']),
	response: new Set(),
};

const COPIED_KEYWORDS = [
	'minimum',
	'maximum',
	'minLength',
	'maxLength',
	'pattern',
	'minItems',
	'maxItems',
] as const;

export type Scalar = 'string' | 'integer' | 'number' | 'boolean' | 'other';

export interface FieldShape {
	array: boolean;
	scalar: Scalar;
}

export function refName(ref: string): string {
	return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Reads OpenAPI schemas of one document: resolves `$ref`s and converts to JSON Schema. */
export class SchemaReader {
	constructor(private readonly document: OasDocument) {}

	resolve(schema: OasSchema | undefined): OasSchema | undefined {
		let current = schema;
		for (let depth = 0; current?.$ref !== undefined && depth < 16; depth++) {
			current = this.document.components?.schemas?.[refName(current.$ref)];
		}
		return current;
	}

	/** OpenAPI 3.0 → JSON Schema: `$ref`s inlined, `nullable` as a `null` type, prose and examples dropped. */
	convert(
		schema: OasSchema | undefined,
		policy: FormatPolicy,
		inProgress: Set<string> = new Set(),
	): Schema | boolean {
		if (schema === undefined) return true;
		if (schema.$ref !== undefined) {
			const name = refName(schema.$ref);
			// Recursive schemas are accepted below the first level rather than expanded forever.
			if (inProgress.has(name)) return true;
			const target = this.document.components?.schemas?.[name];
			if (target === undefined) throw new Error(`Unresolved $ref ${schema.$ref}`);
			inProgress.add(name);
			const converted = this.convert(target, policy, inProgress);
			inProgress.delete(name);
			return converted;
		}
		const out: Schema = {};
		if (schema.type !== undefined) out.type = schema.nullable ? [schema.type, 'null'] : schema.type;
		if (schema.enum !== undefined)
			out.enum = schema.nullable ? [...schema.enum, null] : [...schema.enum];
		for (const keyword of COPIED_KEYWORDS)
			if (schema[keyword] !== undefined)
				(out as Record<string, unknown>)[keyword] = schema[keyword];
		if (
			schema.format !== undefined &&
			KEPT_FORMATS[policy].has(schema.format) &&
			!schema['x-twilio']?.ignoreFormat
		) {
			out.format = schema.format;
		}
		if (schema.items !== undefined) out.items = this.convert(schema.items, policy, inProgress);
		if (schema.properties !== undefined) {
			out.properties = Object.fromEntries(
				Object.entries(schema.properties).map(([name, property]) => [
					name,
					this.convert(property, policy, inProgress),
				]),
			);
		}
		if (schema.required !== undefined) out.required = [...schema.required];
		return out;
	}

	shape(schema: OasSchema | undefined): FieldShape {
		const resolved = this.resolve(schema);
		if (resolved?.type === 'array')
			return { array: true, scalar: scalarOf(this.resolve(resolved.items)) };
		return { array: false, scalar: scalarOf(resolved) };
	}
}

function scalarOf(schema: OasSchema | undefined): Scalar {
	const type = schema?.type;
	return type === 'string' || type === 'integer' || type === 'number' || type === 'boolean'
		? type
		: 'other';
}

/** A form value as the type the spec declares, when it reads as one; otherwise the string, for the validator to refuse. */
export function coerce(raw: string, scalar: Scalar): unknown {
	switch (scalar) {
		case 'integer':
			return /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
		case 'number':
			return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
		case 'boolean': {
			const lower = raw.toLowerCase();
			if (lower === 'true') return true;
			return lower === 'false' ? false : raw;
		}
		default:
			return raw;
	}
}
