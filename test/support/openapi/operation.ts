/** One operation of an OpenAPI document: its success response, its response check, its request check. */
import { Validator } from '@cfworker/json-schema';

import { checkRequest } from './check';
import { compileOperation, type Compiled } from './compile';
import { LEAF_KEYWORDS } from './findings';
import { refName, type SchemaReader } from './schemaReader';
import {
	FORM,
	JSON_TYPE,
	type CheckInput,
	type Finding,
	type OasOperation,
	type OasSchema,
	type Overlay,
} from './types';

const SUCCESS_STATUSES = ['200', '201', '202', '204'];

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
		return checkRequest(this, this.compile(), input);
	}

	private compile(): Compiled {
		if (this.compiledState) return this.compiledState;
		this.compiledState = compileOperation(this.id, this.operation, this.reader, this.overlays);
		return this.compiledState;
	}
}
