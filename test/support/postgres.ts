/**
 * The machine's PostgreSQL as the tests use it: a fresh database per test
 * file, read with SQL, and restarted on purpose. Reached with the standard
 * client settings (PGHOST, PGPORT, PGUSER, PGPASSWORD), by default the
 * trust-authenticated postgres user on 127.0.0.1:5432.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_HOST = process.env.PGHOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.PGPORT ?? 5432);
export const PG_USER = process.env.PGUSER ?? 'postgres';
export const PG_PASSWORD = process.env.PGPASSWORD ?? '';
/** The cluster `pg_ctlcluster` restarts: PG_CLUSTER as `<version>/<name>`, 15/main by default. */
export const PG_CLUSTER = process.env.PG_CLUSTER ?? '15/main';

/** A name safe to put into SQL unquoted: test code makes them, never users. */
function identifier(name: string): string {
	if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a plain SQL name: ${name}`);
	return name;
}

async function psql(database: string, sql: string): Promise<string> {
	const { stdout } = await run(
		'psql',
		[
			'-X',
			'-q',
			'-A',
			'-t',
			'-v',
			'ON_ERROR_STOP=1',
			'-h',
			PG_HOST,
			'-p',
			String(PG_PORT),
			'-U',
			PG_USER,
			'-d',
			database,
			'-c',
			sql,
		],
		{ env: { ...process.env, PGPASSWORD: PG_PASSWORD }, maxBuffer: 256 * 1024 * 1024 },
	);
	return stdout;
}

export async function createDatabase(name: string): Promise<void> {
	await psql('postgres', `CREATE DATABASE ${identifier(name)}`);
}

/** Drops the database even while n8n or a store still holds connections to it. */
export async function dropDatabase(name: string): Promise<void> {
	await psql('postgres', `DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`);
}

/** The rows of a query, each as the JSON object PostgreSQL makes of it. */
export async function queryRows<T>(database: string, sql: string): Promise<T[]> {
	const output = await psql(
		database,
		`SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM (${sql}) q`,
	);
	return JSON.parse(output) as T[];
}

/** A string as a SQL literal. */
export function literal(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
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
	try {
		await psql('postgres', 'SELECT 1');
		return;
	} catch {
		const [version, cluster] = PG_CLUSTER.split('/');
		await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'start']).catch(
			() => undefined,
		);
	}
	await waitForPostgres();
}

async function waitForPostgres(timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let failure: unknown;
	while (Date.now() <= deadline) {
		try {
			await psql('postgres', 'SELECT 1');
			return;
		} catch (error) {
			failure = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`PostgreSQL does not accept connections: ${String(failure)}`);
}
