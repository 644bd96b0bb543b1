/**
 * The machine's PostgreSQL as the end-to-end tests use it: the server the
 * store tests use (AGENT_CONNECTORS_TEST_POSTGRES, see
 * test/store/postgresDatabase.ts), a fresh database per test file, n8n's
 * connection settings for it, and a restart of the server on purpose.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import {
	createTestDatabase,
	query,
	TEST_POSTGRES_SERVER,
	type TestDatabase,
} from '../store/postgresDatabase';

const run = promisify(execFile);

export { createTestDatabase, query, type TestDatabase };

/** The cluster `pg_ctlcluster` restarts: PG_CLUSTER as `<version>/<name>`, 15/main by default. */
export const PG_CLUSTER = process.env.PG_CLUSTER ?? '15/main';

/** n8n's settings for a database (DB_POSTGRESDB_*), taken from its URL. */
export function n8nDatabaseEnv(databaseUrl: string): Record<string, string> {
	const url = new URL(databaseUrl);
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: url.hostname,
		DB_POSTGRESDB_PORT: url.port || '5432',
		DB_POSTGRESDB_DATABASE: decodeURIComponent(url.pathname.slice(1)),
		DB_POSTGRESDB_USER: decodeURIComponent(url.username) || 'postgres',
		DB_POSTGRESDB_PASSWORD: decodeURIComponent(url.password),
	};
}

/**
 * Restarts the PostgreSQL server: every connection of every client on the
 * machine drops. Resolves once it accepts connections again.
 */
export async function restartPostgres(): Promise<void> {
	const [version, cluster] = PG_CLUSTER.split('/');
	await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'restart']);
	await waitForPostgres();
}

/** Starts the PostgreSQL server if it is down (a test that restarted it failed half-way). */
export async function ensurePostgresRunning(): Promise<void> {
	if (await acceptsConnections()) return;
	const [version, cluster] = PG_CLUSTER.split('/');
	await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'start']).catch(
		() => undefined,
	);
	await waitForPostgres();
}

async function acceptsConnections(): Promise<boolean> {
	try {
		await query(TEST_POSTGRES_SERVER, 'SELECT 1');
		return true;
	} catch {
		return false;
	}
}

async function waitForPostgres(timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await acceptsConnections())) {
		if (Date.now() > deadline)
			throw new Error('PostgreSQL (AGENT_CONNECTORS_TEST_POSTGRES) does not accept connections');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
