/** How a failed schema keyword reads as a finding: the value, the limit, the parameter it concerns. */
import { encodePointer, type OutputUnit } from '@cfworker/json-schema';

import type { Compiled } from './compile';
import type { CompiledOperation } from './operation';
import type { Finding, ParameterLocation } from './types';

/** Keywords that name what is wrong; the others (`properties`, `items`, `allOf`, …) only say that something below failed. */
export const LEAF_KEYWORDS = new Set([
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

export const LABELS: Record<ParameterLocation, string> = {
	path: 'path parameter',
	query: 'query parameter',
	header: 'header',
	body: 'parameter',
};

function show(value: unknown): string {
	return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function decodePointerSegment(segment: string): string {
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

export function displayName(location: ParameterLocation, name: string, compiled: Compiled): string {
	return location === 'header' ? (compiled.headerNames.get(name) ?? name) : name;
}

export function describeFinding(
	operation: Pick<CompiledOperation, 'id' | 'method' | 'template'>,
	unit: OutputUnit,
	location: ParameterLocation,
	name: string | undefined,
	index: string | undefined,
	instance: Record<ParameterLocation, Record<string, unknown>>,
	compiled: Compiled,
): { finding: Finding; detail: string } {
	const parameter = name === undefined ? undefined : displayName(location, name, compiled);
	const documented =
		name !== undefined &&
		location === 'body' &&
		unit.keywordLocation.includes(`/${encodePointer(name)}/allOf/1/`);
	const subject = `${operation.id}: ${LABELS[location]} ${parameter ?? ''}${index === undefined ? '' : `[${index}]`}`;
	const value = atPointer(instance, unit.instanceLocation);
	const limit = atPointer(compiled.schema, unit.keywordLocation);
	let what: string;
	switch (unit.keyword) {
		case 'false':
			what = `is not a ${LABELS[location]} of ${operation.id} (${operation.method.toUpperCase()} ${operation.template})`;
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
