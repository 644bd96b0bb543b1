/**
 * The PostgreSQL the store tests run against: the server at
 * AGENT_CONNECTORS_TEST_POSTGRES (default: this machine's, 127.0.0.1:5432,
 * user postgres, trust auth; `.ci/run` starts it). Each test file's run gets
 * a database of its own, created for it and dropped afterwards, and each
 * store a fresh schema in it.
 */

import { Client } from 'pg';

import type { PostgresTarget } from '../../nodes/shared/store/postgres/config';

const SERVER =
	process.env.AGENT_CONNECTORS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `sql` on its own connection to `url`, returning the rows. */
export async function query(
	url: string,
	sql: string,
	params: unknown[] = [],
): Promise<Array<Record<string, unknown>>> {
	const client = new Client({ connectionString: url });
	// A server restart while connected fails the query; without a listener it would end the run.
	client.on('error', () => undefined);
	await client.connect();
	try {
		return (await client.query<Record<string, unknown>>(sql, params)).rows;
	} finally {
		await client.end();
	}
}

export interface TestDatabase {
	name: string;
	url: string;
	/** A target in a schema no store of this run has used yet. */
	freshTarget(): PostgresTarget;
	drop(): Promise<void>;
}

/** `prefix` names what the database is for (the end-to-end tests use their own). */
export async function createTestDatabase(prefix = 'agent_connectors_test'): Promise<TestDatabase> {
	const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
	await query(SERVER, `CREATE DATABASE ${name}`);
	const url = new URL(SERVER);
	url.pathname = `/${name}`;
	let schemas = 0;
	return {
		name,
		url: url.toString(),
		freshTarget() {
			schemas += 1;
			return { connection: { connectionString: url.toString() }, schema: `store_${schemas}` };
		},
		// FORCE: connections a failed test left open must not keep it.
		drop: () => query(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined),
	};
}

/** The server the tests use, for the end-to-end tests that run n8n on it as well. */
export { SERVER as TEST_POSTGRES_SERVER };
