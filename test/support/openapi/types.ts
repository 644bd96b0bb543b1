/** The parts of OpenAPI 3.0 documents these checks read, and what a check takes and gives. */
import type { IncomingHttpHeaders } from 'node:http';

import type { InstanceType, Schema } from '@cfworker/json-schema';

import type { CompiledOperation } from './operation';

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

export interface OasMediaType {
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

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
