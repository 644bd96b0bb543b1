/** Finds the operation of some OpenAPI documents that a method and a path name. */
import { CompiledOperation } from './operation';
import { SchemaReader } from './schemaReader';
import type { OasDocument, OasOperation, Overlays, RouteResult } from './types';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

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
