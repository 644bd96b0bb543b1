/**
 * A module loaded the first time it is needed rather than when n8n loads the
 * node: n8n loads every node at start, and the `twilio` SDK alone costs about
 * 300 ms (its TwiML builder about 60 ms).
 */
export function lazyModule<T>(id: string): () => T {
	let loaded: T | undefined;
	return () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		loaded ??= require(id) as T;
		return loaded;
	};
}
