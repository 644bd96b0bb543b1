/** What an operation checks, compiled once: one JSON Schema over path, query, header and body, and how to read the wire into it. */
import { Validator, type Schema } from '@cfworker/json-schema';

import type { FieldShape, SchemaReader } from './schemaReader';
import { FORM, JSON_TYPE, type OasOperation, type Overlay, type ParameterLocation } from './types';

export interface Compiled {
	validator: Validator;
	schema: Schema;
	shapes: Record<ParameterLocation, Map<string, FieldShape>>;
	/** Lower-case header name → the name the spec gives it. */
	headerNames: Map<string, string>;
	required: Record<ParameterLocation, readonly string[]>;
	bodyTypes: ReadonlySet<string>;
	overlayWhy: ReadonlyMap<string, string>;
}

export function compileOperation(
	id: string,
	operation: OasOperation,
	reader: SchemaReader,
	overlays: Readonly<Record<string, Overlay>>,
): Compiled {
	const shapes: Compiled['shapes'] = {
		path: new Map(),
		query: new Map(),
		header: new Map(),
		body: new Map(),
	};
	const properties: Record<ParameterLocation, Record<string, Schema | boolean>> = {
		path: {},
		query: {},
		header: {},
		body: {},
	};
	const required: Record<ParameterLocation, string[]> = {
		path: [],
		query: [],
		header: [],
		body: [],
	};
	const headerNames = new Map<string, string>();
	for (const parameter of operation.parameters ?? []) {
		if (parameter.in === 'cookie') continue;
		const key = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
		if (parameter.in === 'header') headerNames.set(key, parameter.name);
		shapes[parameter.in].set(parameter.name, reader.shape(parameter.schema));
		properties[parameter.in][key] = reader.convert(
			parameter.schema,
			parameter.in === 'query' ? 'query' : 'body',
		);
		if (parameter.required) required[parameter.in].push(key);
	}

	const content = operation.requestBody?.content ?? {};
	const bodySchema = reader.resolve(content[FORM]?.schema ?? content[JSON_TYPE]?.schema);
	for (const [name, property] of Object.entries(bodySchema?.properties ?? {})) {
		shapes.body.set(name, reader.shape(property));
		properties.body[name] = reader.convert(property, 'body');
	}
	required.body = [...(bodySchema?.required ?? [])];
	const overlayWhy = new Map<string, string>();
	for (const [name, overlay] of Object.entries(overlays)) {
		const specSchema = properties.body[name];
		if (specSchema === undefined)
			throw new Error(`Overlay for ${id}: ${name} is not one of its body parameters`);
		properties.body[name] = {
			allOf: [
				specSchema === true ? {} : specSchema === false ? { not: {} } : specSchema,
				overlay.schema,
			],
		};
		overlayWhy.set(name, overlay.why);
	}

	const object = (location: ParameterLocation, closed: boolean): Schema => ({
		type: 'object',
		properties: properties[location],
		required: required[location],
		...(closed ? { additionalProperties: false } : {}),
	});
	const schema: Schema = {
		type: 'object',
		properties: {
			path: object('path', false),
			query: object('query', true),
			header: object('header', false),
			body: object('body', true),
		},
	};
	return {
		validator: new Validator(schema, '2019-09', false),
		schema,
		shapes,
		headerNames,
		required,
		bodyTypes: new Set(Object.keys(content)),
		overlayWhy,
	};
}
