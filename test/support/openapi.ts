/**
 * Checks HTTP requests against OpenAPI 3.0 documents the way a strict server
 * would, so a test double can refuse what the real service would refuse.
 *
 * Routing and the wire format (form values are strings, arrays are repeated
 * keys) are handled here; the values themselves are checked by
 * `@cfworker/json-schema` against the operation's parameters and request
 * body, converted once per operation from OpenAPI's schema dialect to JSON
 * Schema and kept. Nothing here is specific to Twilio.
 */
import type { IncomingHttpHeaders } from 'node:http';

import {
	Validator,
	encodePointer,
	type InstanceType,
	type OutputUnit,
	type Schema,
} from '@cfworker/json-schema';

/** The parts of an OpenAPI 3.0 schema object these checks read. */
export interface OasSchema {
	$ref?: string;
	type?: InstanceType;
	format?: string;
	enum?: unknown[];
	nullable?: boolean;
	items?: OasSchema;
	properties?: Record<string, OasSchema>;
	required?: string[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	minItems?: number;
	maxItems?: number;
	description?: string;
	'x-twilio'?: { ignoreFormat?: boolean };
}

export interface OasParameter {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	schema?: OasSchema;
	description?: string;
}

interface OasMediaType {
	schema?: OasSchema;
	examples?: Record<string, { value?: unknown }>;
}

export interface OasOperation {
	operationId?: string;
	parameters?: OasParameter[];
	requestBody?: { content?: Record<string, OasMediaType> };
	responses?: Record<string, { content?: Record<string, OasMediaType> }>;
}

export interface OasDocument {
	paths: Record<string, Record<string, unknown>>;
	components?: { schemas?: Record<string, OasSchema> };
}

/** Every value of every key of a query string or a form body, in the order sent. */
export type WireValues = Record<string, string[]>;

export type ParameterLocation = 'path' | 'query' | 'header' | 'body';

/** One thing a request does that its OpenAPI description does not allow. */
export interface Finding {
	location: ParameterLocation | 'route';
	parameter?: string;
	/** The JSON Schema keyword that failed, or `unknown-path`, `unknown-method`, `repeated`, `content-type`. */
	keyword: string;
	message: string;
	/** `spec`: the schema says so. `documented`: an overlay, taken from the spec's own prose. */
	source: 'spec' | 'documented';
}

/**
 * A constraint the spec states in a parameter's description but not in its
 * schema (`Can be: Enable or DetectMessageEnd`), added to that body
 * parameter's schema. `why` says where it comes from, for the message.
 */
export interface Overlay {
	schema: Schema;
	why: string;
}

/** operationId → body parameter → overlay. */
export type Overlays = Readonly<Record<string, Readonly<Record<string, Overlay>>>>;

export interface CheckInput {
	pathParams: Readonly<Record<string, string>>;
	query: WireValues;
	headers: IncomingHttpHeaders;
	/** The request's content type, without parameters, lower case; undefined when there is no body. */
	contentType: string | undefined;
	/** The form fields, or for a JSON body the parsed value. */
	body: WireValues | unknown;
}

export type RouteResult =
	| { kind: 'operation'; operation: CompiledOperation; pathParams: Record<string, string> }
	| { kind: 'unknown-path' }
	| { kind: 'unknown-method'; allowed: string[] };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const SUCCESS_STATUSES = ['200', '201', '202', '204'];

type FormatPolicy = 'body' | 'query' | 'response';

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

/** Keywords that name what is wrong; the others (`properties`, `items`, `allOf`, …) only say that something below failed. */
const LEAF_KEYWORDS = new Set([
	'type',
	'enum',
	'const',
	'pattern',
	'minLength',
	'maxLength',
	'minimum',
	'maximum',
	'format',
	'minItems',
	'maxItems',
	'required',
	'false',
]);

const LABELS: Record<ParameterLocation, string> = {
	path: 'path parameter',
	query: 'query parameter',
	header: 'header',
	body: 'parameter',
};

type Scalar = 'string' | 'integer' | 'number' | 'boolean' | 'other';

interface FieldShape {
	array: boolean;
	scalar: Scalar;
}

function refName(ref: string): string {
	return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Reads OpenAPI schemas of one document: resolves `$ref`s and converts to JSON Schema. */
class SchemaReader {
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
function coerce(raw: string, scalar: Scalar): unknown {
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

function show(value: unknown): string {
	return value === undefined ? 'nothing' : JSON.stringify(value);
}

function decodePointerSegment(segment: string): string {
	return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at a `#/a/b` pointer of cfworker's output, in a schema or an instance. */
function atPointer(root: unknown, pointer: string): unknown {
	let current = root;
	for (const segment of pointer.split('/').slice(1)) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string, unknown>)[decodePointerSegment(segment)];
	}
	return current;
}

interface Compiled {
	validator: Validator;
	schema: Schema;
	shapes: Record<ParameterLocation, Map<string, FieldShape>>;
	/** Lower-case header name → the name the spec gives it. */
	headerNames: Map<string, string>;
	required: Record<ParameterLocation, readonly string[]>;
	bodyTypes: ReadonlySet<string>;
	overlayWhy: ReadonlyMap<string, string>;
}

/** One operation of a document; what it checks is compiled on first use. */
export class CompiledOperation {
	private compiledState: Compiled | undefined;
	private readonly responseValidators = new Map<string, Validator>();

	constructor(
		readonly id: string,
		readonly method: string,
		readonly template: string,
		readonly documentName: string,
		private readonly operation: OasOperation,
		private readonly reader: SchemaReader,
		private readonly overlays: Readonly<Record<string, Overlay>> = {},
	) {}

	/** The first success status the spec declares, its schema's component name and its first example. */
	get success(): { status: number; schemaName?: string; example?: unknown } {
		const responses = this.operation.responses ?? {};
		const status = Object.keys(responses).find((code) => SUCCESS_STATUSES.includes(code)) ?? '200';
		const media = responses[status]?.content?.[JSON_TYPE];
		const ref = media?.schema?.$ref;
		const example = Object.values(media?.examples ?? {})[0]?.value;
		return {
			status: Number(status),
			schemaName: ref === undefined ? undefined : refName(ref),
			example,
		};
	}

	/** The property names of the success response's object, as the spec lists them. */
	responseProperties(): string[] {
		const responses = this.operation.responses ?? {};
		const status = String(this.success.status);
		const schema = this.reader.resolve(responses[status]?.content?.[JSON_TYPE]?.schema);
		return Object.keys(schema?.properties ?? {});
	}

	/** The spec's schema of a body parameter, `$ref`s resolved. */
	bodyParameter(name: string): OasSchema | undefined {
		const schema = this.reader.resolve(this.operation.requestBody?.content?.[FORM]?.schema);
		return this.reader.resolve(schema?.properties?.[name]);
	}

	/** Where a response body departs from the spec's response schema for that status (formats not checked). */
	responseErrors(status: number, body: unknown): string[] {
		let validator = this.responseValidators.get(String(status));
		if (validator === undefined) {
			const schema = this.operation.responses?.[String(status)]?.content?.[JSON_TYPE]?.schema;
			validator = new Validator(this.reader.convert(schema, 'response'), '2019-09', false);
			this.responseValidators.set(String(status), validator);
		}
		return validator
			.validate(body)
			.errors.filter((unit) => LEAF_KEYWORDS.has(unit.keyword))
			.map((unit) => `${unit.instanceLocation}: ${unit.error}`);
	}

	check(input: CheckInput): Finding[] {
		const compiled = this.compile();
		const findings: Finding[] = [];
		const instance: Record<ParameterLocation, Record<string, unknown>> = {
			path: {},
			query: this.wireInstance('query', input.query, compiled, findings),
			header: {},
			body: {},
		};
		for (const [name, value] of Object.entries(input.pathParams)) {
			instance.path[name] = coerce(value, compiled.shapes.path.get(name)?.scalar ?? 'string');
		}
		for (const [lower, name] of compiled.headerNames) {
			const value = input.headers[lower];
			if (typeof value === 'string')
				instance.header[lower] = coerce(
					value,
					compiled.shapes.header.get(name)?.scalar ?? 'string',
				);
		}

		let contentFinding: Finding | undefined;
		if (input.contentType !== undefined && !compiled.bodyTypes.has(input.contentType)) {
			contentFinding = {
				location: 'body',
				keyword: 'content-type',
				source: 'spec',
				message: `${this.id} takes ${[...compiled.bodyTypes].join(' or ') || 'no body'}, not ${input.contentType}`,
			};
		} else if (input.contentType === JSON_TYPE) {
			instance.body =
				typeof input.body === 'object' && input.body !== null
					? (input.body as Record<string, unknown>)
					: {};
		} else if (input.contentType === FORM) {
			instance.body = this.wireInstance('body', input.body as WireValues, compiled, findings);
		}

		const reportedRequired = new Set<ParameterLocation>();
		const byValue = new Map<string, Finding>();
		for (const unit of compiled.validator.validate(instance).errors) {
			if (!LEAF_KEYWORDS.has(unit.keyword)) continue;
			const [, location, encodedName, index] = unit.instanceLocation.split('/') as [
				string,
				ParameterLocation,
				string | undefined,
				string | undefined,
			];
			if (unit.keyword === 'required') {
				if (reportedRequired.has(location)) continue;
				reportedRequired.add(location);
				for (const name of compiled.required[location]) {
					if (instance[location][name] !== undefined) continue;
					findings.push({
						location,
						parameter: this.displayName(location, name, compiled),
						keyword: 'required',
						source: 'spec',
						message: `${this.id}: required ${LABELS[location]} ${this.displayName(location, name, compiled)} is missing`,
					});
				}
				continue;
			}
			const name = encodedName === undefined ? undefined : decodePointerSegment(encodedName);
			const { finding, detail } = this.describe(unit, location, name, index, instance, compiled);
			// One finding per value: a SID both too short and off its pattern is one mistake.
			const earlier = byValue.get(unit.instanceLocation);
			if (earlier === undefined) {
				byValue.set(unit.instanceLocation, finding);
				findings.push(finding);
			} else {
				earlier.message += `; ${detail}`;
				if (finding.source === 'spec') earlier.source = 'spec';
			}
		}
		if (contentFinding) findings.push(contentFinding);
		return findings;
	}

	private displayName(location: ParameterLocation, name: string, compiled: Compiled): string {
		return location === 'header' ? (compiled.headerNames.get(name) ?? name) : name;
	}

	private describe(
		unit: OutputUnit,
		location: ParameterLocation,
		name: string | undefined,
		index: string | undefined,
		instance: Record<ParameterLocation, Record<string, unknown>>,
		compiled: Compiled,
	): { finding: Finding; detail: string } {
		const parameter = name === undefined ? undefined : this.displayName(location, name, compiled);
		const documented =
			name !== undefined &&
			location === 'body' &&
			unit.keywordLocation.includes(`/${encodePointer(name)}/allOf/1/`);
		const subject = `${this.id}: ${LABELS[location]} ${parameter ?? ''}${index === undefined ? '' : `[${index}]`}`;
		const value = atPointer(instance, unit.instanceLocation);
		const limit = atPointer(compiled.schema, unit.keywordLocation);
		let what: string;
		switch (unit.keyword) {
			case 'false':
				what = `is not a ${LABELS[location]} of ${this.id} (${this.method.toUpperCase()} ${this.template})`;
				break;
			case 'type':
				what = `${show(value)} is not of type ${Array.isArray(limit) ? limit.join(' or ') : String(limit)}`;
				break;
			case 'enum':
				what = `${show(value)} is not one of ${(limit as unknown[]).map((item) => String(item)).join(', ')}`;
				break;
			case 'pattern':
				what = `${show(value)} does not match ${String(limit)}`;
				break;
			case 'format':
				what = `${show(value)} is not a valid ${String(limit)}`;
				break;
			case 'minLength':
			case 'maxLength':
				what = `is ${String(value).length} characters long; the ${unit.keyword === 'maxLength' ? 'maximum' : 'minimum'} is ${String(limit)}`;
				break;
			case 'minimum':
			case 'maximum':
				what = `${show(value)} is ${unit.keyword === 'maximum' ? 'above the maximum' : 'below the minimum'} ${String(limit)}`;
				break;
			case 'minItems':
			case 'maxItems':
				what = `is sent ${(value as unknown[]).length} times; the ${unit.keyword === 'maxItems' ? 'maximum' : 'minimum'} is ${String(limit)}`;
				break;
			default:
				what = `${show(value)}: ${unit.error}`;
		}
		const why = documented && name !== undefined ? compiled.overlayWhy.get(name) : undefined;
		const detail = `${what}${why === undefined ? '' : ` (${why})`}`;
		return {
			finding: {
				location,
				parameter,
				keyword: unit.keyword,
				source: documented ? 'documented' : 'spec',
				message: `${subject} ${detail}`,
			},
			detail,
		};
	}

	/** Query or form values as the validator's instance: declared types applied, repeated keys as arrays. */
	private wireInstance(
		location: 'query' | 'body',
		values: WireValues,
		compiled: Compiled,
		findings: Finding[],
	): Record<string, unknown> {
		const out: Record<string, unknown> = {};
		for (const [name, all] of Object.entries(values)) {
			const shape = compiled.shapes[location].get(name);
			if (shape?.array) {
				out[name] = all.map((item) => coerce(item, shape.scalar));
				continue;
			}
			if (all.length > 1 && shape !== undefined) {
				findings.push({
					location,
					parameter: name,
					keyword: 'repeated',
					source: 'spec',
					message: `${this.id}: ${LABELS[location]} ${name} is sent ${all.length} times but is not a list`,
				});
			}
			out[name] = coerce(all[0] ?? '', shape?.scalar ?? 'string');
		}
		return out;
	}

	private compile(): Compiled {
		if (this.compiledState) return this.compiledState;
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
		for (const parameter of this.operation.parameters ?? []) {
			if (parameter.in === 'cookie') continue;
			const key = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
			if (parameter.in === 'header') headerNames.set(key, parameter.name);
			shapes[parameter.in].set(parameter.name, this.reader.shape(parameter.schema));
			properties[parameter.in][key] = this.reader.convert(
				parameter.schema,
				parameter.in === 'query' ? 'query' : 'body',
			);
			if (parameter.required) required[parameter.in].push(key);
		}

		const content = this.operation.requestBody?.content ?? {};
		const bodySchema = this.reader.resolve(content[FORM]?.schema ?? content[JSON_TYPE]?.schema);
		for (const [name, property] of Object.entries(bodySchema?.properties ?? {})) {
			shapes.body.set(name, this.reader.shape(property));
			properties.body[name] = this.reader.convert(property, 'body');
		}
		required.body = [...(bodySchema?.required ?? [])];
		const overlayWhy = new Map<string, string>();
		for (const [name, overlay] of Object.entries(this.overlays)) {
			const specSchema = properties.body[name];
			if (specSchema === undefined)
				throw new Error(`Overlay for ${this.id}: ${name} is not one of its body parameters`);
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
		this.compiledState = {
			validator: new Validator(schema, '2019-09', false),
			schema,
			shapes,
			headerNames,
			required,
			bodyTypes: new Set(Object.keys(content)),
			overlayWhy,
		};
		return this.compiledState;
	}
}

interface CompiledPath {
	template: string;
	pattern: RegExp;
	names: string[];
	staticLength: number;
	operations: Map<string, CompiledOperation>;
}

function compilePath(template: string): Pick<CompiledPath, 'pattern' | 'names' | 'staticLength'> {
	const names: string[] = [];
	let staticLength = 0;
	const source = template
		.split('/')
		.map((segment) =>
			segment
				.split(/(\{[^}]+\})/)
				.map((part) => {
					const name = /^\{([^}]+)\}$/.exec(part)?.[1];
					if (name !== undefined) {
						names.push(name);
						return '([^/]+?)';
					}
					staticLength += part.length;
					return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				})
				.join(''),
		)
		.join('/');
	return { pattern: new RegExp(`^${source}$`), names, staticLength };
}

/** All operations of some OpenAPI documents, found by method and path. */
export class OpenApiRouter {
	/** Templates by segment count, the most literal first, so `/Queues/RealTimeStatistics` wins over `/Queues/{Sid}`. */
	private readonly bySegments = new Map<number, CompiledPath[]>();
	private readonly byId = new Map<string, CompiledOperation>();

	constructor(
		documents: ReadonlyArray<{ name: string; document: OasDocument }>,
		overlays: Overlays = {},
	) {
		for (const { name, document } of documents) {
			const reader = new SchemaReader(document);
			for (const [template, item] of Object.entries(document.paths)) {
				const path: CompiledPath = { template, ...compilePath(template), operations: new Map() };
				for (const method of HTTP_METHODS) {
					const operation = item[method] as OasOperation | undefined;
					if (operation === undefined) continue;
					const id = operation.operationId ?? `${method.toUpperCase()} ${template}`;
					if (this.byId.has(id)) throw new Error(`Two operations are called ${id}`);
					const compiled = new CompiledOperation(
						id,
						method,
						template,
						name,
						operation,
						reader,
						overlays[id],
					);
					this.byId.set(id, compiled);
					path.operations.set(method.toUpperCase(), compiled);
				}
				const segments = template.split('/').length;
				const bucket = this.bySegments.get(segments) ?? [];
				bucket.push(path);
				this.bySegments.set(segments, bucket);
			}
		}
		for (const bucket of this.bySegments.values())
			bucket.sort((a, b) => b.staticLength - a.staticLength);
		const missing = Object.keys(overlays).filter((id) => !this.byId.has(id));
		if (missing.length > 0)
			throw new Error(`Overlays for unknown operations: ${missing.join(', ')}`);
	}

	operation(id: string): CompiledOperation | undefined {
		return this.byId.get(id);
	}

	route(method: string, pathname: string): RouteResult {
		let allowed: string[] | undefined;
		for (const path of this.bySegments.get(pathname.split('/').length) ?? []) {
			const match = path.pattern.exec(pathname);
			if (match === null) continue;
			let pathParams: Record<string, string>;
			try {
				pathParams = Object.fromEntries(
					path.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]),
				);
			} catch {
				continue;
			}
			const operation = path.operations.get(method.toUpperCase());
			if (operation !== undefined) return { kind: 'operation', operation, pathParams };
			allowed ??= [...path.operations.keys()];
		}
		return allowed === undefined ? { kind: 'unknown-path' } : { kind: 'unknown-method', allowed };
	}
}
