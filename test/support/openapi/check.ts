/** Checks one request against its compiled operation: path, query, headers and body, each finding worded once. */
import type { Compiled } from './compile';
import {
	LABELS,
	LEAF_KEYWORDS,
	decodePointerSegment,
	describeFinding,
	displayName,
} from './findings';
import type { CompiledOperation } from './operation';
import { coerce } from './schemaReader';
import {
	FORM,
	JSON_TYPE,
	type CheckInput,
	type Finding,
	type ParameterLocation,
	type WireValues,
} from './types';

export function checkRequest(
	operation: Pick<CompiledOperation, 'id' | 'method' | 'template'>,
	compiled: Compiled,
	input: CheckInput,
): Finding[] {
	const findings: Finding[] = [];
	const instance: Record<ParameterLocation, Record<string, unknown>> = {
		path: {},
		query: wireInstance(operation, 'query', input.query, compiled, findings),
		header: {},
		body: {},
	};
	for (const [name, value] of Object.entries(input.pathParams)) {
		instance.path[name] = coerce(value, compiled.shapes.path.get(name)?.scalar ?? 'string');
	}
	for (const [lower, name] of compiled.headerNames) {
		const value = input.headers[lower];
		if (typeof value === 'string')
			instance.header[lower] = coerce(value, compiled.shapes.header.get(name)?.scalar ?? 'string');
	}

	let contentFinding: Finding | undefined;
	if (input.contentType !== undefined && !compiled.bodyTypes.has(input.contentType)) {
		contentFinding = {
			location: 'body',
			keyword: 'content-type',
			source: 'spec',
			message: `${operation.id} takes ${[...compiled.bodyTypes].join(' or ') || 'no body'}, not ${input.contentType}`,
		};
	} else if (input.contentType === JSON_TYPE) {
		instance.body =
			typeof input.body === 'object' && input.body !== null
				? (input.body as Record<string, unknown>)
				: {};
	} else if (input.contentType === FORM) {
		instance.body = wireInstance(operation, 'body', input.body as WireValues, compiled, findings);
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
					parameter: displayName(location, name, compiled),
					keyword: 'required',
					source: 'spec',
					message: `${operation.id}: required ${LABELS[location]} ${displayName(location, name, compiled)} is missing`,
				});
			}
			continue;
		}
		const name = encodedName === undefined ? undefined : decodePointerSegment(encodedName);
		const { finding, detail } = describeFinding(
			operation,
			unit,
			location,
			name,
			index,
			instance,
			compiled,
		);
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

/** Query or form values as the validator's instance: declared types applied, repeated keys as arrays. */
function wireInstance(
	operation: Pick<CompiledOperation, 'id' | 'method' | 'template'>,
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
				message: `${operation.id}: ${LABELS[location]} ${name} is sent ${all.length} times but is not a list`,
			});
		}
		out[name] = coerce(all[0] ?? '', shape?.scalar ?? 'string');
	}
	return out;
}
