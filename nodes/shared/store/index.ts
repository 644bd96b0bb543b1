/**
 * Where the session store lives and the one instance every node of this
 * process shares. Chosen by AGENT_CONNECTORS_STORE:
 *
 * - unset or empty: PostgreSQL when n8n itself runs on it (DB_TYPE=postgresdb),
 *   with n8n's connection settings; otherwise SQLite at
 *   `<n8n folder>/agent-connectors.sqlite`
 * - `postgres://…` / `postgresql://…`: PostgreSQL at that URL
 * - `memory:`: in this process only (tests)
 * - `redis://…` / `rediss://…`: refused; PostgreSQL is the shared store
 * - `sqlite:<path>` or a plain path: SQLite at that path, relative paths
 *   taken from the n8n folder
 *
 * On PostgreSQL the tables live in their own schema, AGENT_CONNECTORS_STORE_SCHEMA
 * (default agent_connectors).
 */

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { signalStoreChange, withChangeSignals } from './changes';
import { MemoryStore } from './memory';
import { PostgresStore } from './postgres';
import {
	n8nUsesPostgres,
	postgresFromN8n,
	postgresFromUrl,
	type PostgresTarget,
} from './postgres/config';
import { retentionMs, startRetention } from './retention';
import { SqliteStore } from './sqlite';
import type { SessionStore } from './types';

export type * from './types';
export { MemoryStore } from './memory';
export { PostgresStore } from './postgres';
export { SqliteStore } from './sqlite';

export type StoreLocation =
	| { backend: 'sqlite'; path: string }
	| { backend: 'postgres'; target: PostgresTarget }
	| { backend: 'memory' }
	| { backend: 'redis'; url: string };

const STORE_ENV = 'AGENT_CONNECTORS_STORE';
const DEFAULT_STORE_FILE = 'agent-connectors.sqlite';

/** n8n's own rule for its folder: N8N_USER_FOLDER, else the home directory, then `.n8n`. */
function n8nFolder(env: NodeJS.ProcessEnv): string {
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n');
}

export function resolveStoreLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
	const value = env[STORE_ENV]?.trim() ?? '';
	const folder = n8nFolder(env);
	if (value === '') {
		// n8n on PostgreSQL is n8n shared across processes, maybe hosts: the store goes with it.
		if (n8nUsesPostgres(env)) return { backend: 'postgres', target: postgresFromN8n(env) };
		return { backend: 'sqlite', path: join(folder, DEFAULT_STORE_FILE) };
	}

	const lower = value.toLowerCase();
	if (lower === 'memory:') return { backend: 'memory' };
	if (lower.startsWith('postgres://') || lower.startsWith('postgresql://'))
		return { backend: 'postgres', target: postgresFromUrl(value, env) };
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
				`${STORE_ENV} uses "${scheme[0]}", which is not a store this package knows; use a file path, sqlite:<path>, postgres://…, or memory:`,
			);
		}
	}
	return { backend: 'sqlite', path: isAbsolute(path) ? path : resolve(folder, path) };
}

export async function openStore(location: StoreLocation): Promise<SessionStore> {
	switch (location.backend) {
		case 'sqlite':
			return new SqliteStore(location.path);
		case 'postgres':
			return await PostgresStore.open(location.target);
		case 'memory':
			return new MemoryStore();
		case 'redis':
			throw new Error(
				'The session store does not run on Redis; to share it between n8n processes on several hosts (queue mode), use PostgreSQL: set AGENT_CONNECTORS_STORE=postgres://… or leave it unset while n8n itself runs on PostgreSQL (DB_TYPE=postgresdb)',
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
	// Other processes' writes wake this one at once; SQLite's are found by polling.
	if (store instanceof PostgresStore) await store.watchChanges(signalStoreChange);
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
