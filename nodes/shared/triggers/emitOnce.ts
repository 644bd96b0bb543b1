import { createHash } from 'node:crypto';

import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';

/** n8n keeps execution deduplication keys in a varchar(255) column. */
const MAX_KEY_LENGTH = 255;

/**
 * The key n8n refuses to run twice: the subscribing trigger and the event.
 * Readable when it fits, which it does for n8n's own ids; hashed otherwise.
 */
export function deduplicationKey(consumerId: string, eventId: string): string {
	const key = `${consumerId}:${eventId}`;
	if (key.length <= MAX_KEY_LENGTH) return key;
	return `agent-connectors:${createHash('sha256').update(key).digest('hex')}`;
}

type DonePromise = NonNullable<Parameters<ITriggerFunctions['emit']>[2]>;

/**
 * Starts one execution with the item and waits until n8n is done with it:
 * the run finished (whatever its outcome), or n8n already had an execution
 * with this key and started none. Rejects when n8n could not start it, so
 * the caller offers it again under the same key.
 */
export async function emitOnce(
	functions: ITriggerFunctions,
	json: IDataObject,
	key: string,
): Promise<void> {
	let resolve!: (run: IRun | PromiseLike<IRun>) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<IRun>((onResolve, onReject) => {
		resolve = onResolve;
		reject = onReject;
	});
	const done: DonePromise = { promise, resolve, reject };
	functions.emit([[{ json }]], undefined, done, key);
	await promise;
}
