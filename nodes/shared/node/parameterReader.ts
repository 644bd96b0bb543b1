import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

export type ItemParameterReader = (
	name: string,
	itemIndex: number,
	fallback: NodeParameterValueType | null,
) => unknown;

function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads a node's parameters item by item, but asks n8n only once for a
 * parameter without an expression in it: its value is the same for every
 * item, and each getNodeParameter call costs about as much as the request
 * it configures (n8n resolves and copies the whole value each time).
 * Values are shared between items, so callers must not change them.
 */
export function itemParameterReader(functions: IExecuteFunctions): ItemParameterReader {
	const raw = functions.getNode().parameters;
	const constant = new Map<string, unknown>();
	return (name, itemIndex, fallback) => {
		if (constant.has(name)) return constant.get(name);
		const value = functions.getNodeParameter(name, itemIndex, fallback);
		if (!holdsExpression(raw[name])) constant.set(name, value);
		return value;
	};
}
