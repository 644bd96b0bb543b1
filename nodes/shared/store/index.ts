/**
 * Where the session store lives and the one instance every node of this
 * process shares. Chosen by AGENT_CONNECTORS_STORE:
 *
 * - unset or empty: SQLite at `<n8n folder>/agent-connectors.sqlite`
 * - `memory:`: in this process only (tests)
 * - `redis://…` / `rediss://…`: Redis (not available yet)
 * - `sqlite:<path>` or a plain path: SQLite at that path, relative paths
 *   taken from the n8n folder
 */

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { withChangeSignals } from './changes';
import { MemoryStore } from './memory';
import { retentionMs, startRetention } from './retention';
import { SqliteStore } from './sqlite';
import type { SessionStore } from './types';

export type * from './types';
export { MemoryStore } from './memory';
export { SqliteStore } from './sqlite';

export type StoreLocation =
	{ backend: 'sqlite'; path: string } | { backend: 'memory' } | { backend: 'redis'; url: string };

const STORE_ENV = 'AGENT_CONNECTORS_STORE';
const DEFAULT_STORE_FILE = 'agent-connectors.sqlite';

/** n8n's own rule for its folder: N8N_USER_FOLDER, else the home directory, then `.n8n`. */
function n8nFolder(env: NodeJS.ProcessEnv): string {
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n');
}

export function resolveStoreLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
	const value = env[STORE_ENV]?.trim() ?? '';
	const folder = n8nFolder(env);
	if (value === '') return { backend: 'sqlite', path: join(folder, DEFAULT_STORE_FILE) };

	const lower = value.toLowerCase();
	if (lower === 'memory:') return { backend: 'memory' };
	if (lower.startsWith('redis://') || lower.startsWith('rediss://'))
		return { backend: 'redis', url: value };

	let path = value;
	if (lower.startsWith('sqlite:')) {
		// Also accept the URL spelling sqlite:///abs/path.
		path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
		if (path === '') throw new Error(`${STORE_ENV}=${value} names no file; write sqlite:<path>`);
	} else {
		// Two or more letters before the colon, so Windows drive letters (C:\…) still count as paths.
		const scheme = /^[a-z][a-z0-9+.-]+:/i.exec(value);
		if (scheme) {
			// Only the scheme is quoted: the rest of a URL may hold a password.
			throw new Error(
				`${STORE_ENV} uses "${scheme[0]}", which is not a store this package knows; use a file path, sqlite:<path>, memory: or redis://…`,
			);
		}
	}
	return { backend: 'sqlite', path: isAbsolute(path) ? path : resolve(folder, path) };
}

export async function openStore(location: StoreLocation): Promise<SessionStore> {
	switch (location.backend) {
		case 'sqlite':
			return new SqliteStore(location.path);
		case 'memory':
			return new MemoryStore();
		case 'redis':
			throw new Error(
				'The Redis store is not available in this version; unset AGENT_CONNECTORS_STORE or point it at a SQLite file',
			);
	}
}

let processStore: Promise<SessionStore> | undefined;

/**
 * The store of this process, opened from the environment on first use, and
 * signalling this process's timer engine and triggers after the writes they
 * wait for. The promise is cached so that concurrent first calls open it
 * once; a failed open is forgotten so that a later call can retry.
 */
export function getStore(): Promise<SessionStore> {
	if (processStore === undefined) {
		const opening = openProcessStore().catch((error: unknown) => {
			if (processStore === opening) processStore = undefined;
			throw error;
		});
		processStore = opening;
	}
	return processStore;
}

let stopRetention: (() => void) | undefined;

async function openProcessStore(): Promise<SessionStore> {
	const period = retentionMs();
	const store = await openStore(resolveStoreLocation());
	stopRetention = startRetention(store, period);
	return withChangeSignals(store);
}

/** Closes the process store (if one is open) so that the next getStore() opens a fresh one. */
export async function closeStore(): Promise<void> {
	const current = processStore;
	processStore = undefined;
	stopRetention?.();
	stopRetention = undefined;
	if (current === undefined) return;
	// A store that failed to open has nothing to close; its error went to whoever awaited getStore().
	const store = await current.catch(() => undefined);
	await store?.close();
}
