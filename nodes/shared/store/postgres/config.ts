/**
 * Where a PostgreSQL store connects and which schema holds its tables: from
 * a `postgres://` URL in AGENT_CONNECTORS_STORE, or from n8n's own database
 * settings when n8n itself runs on PostgreSQL (DB_TYPE=postgresdb), read the
 * way n8n reads them (each also as a `_FILE` variant, n8n's defaults). No pg
 * here: this runs on every start, whichever backend is chosen.
 */

import { readFileSync } from 'node:fs';

/** The schema that holds the store's tables; its own, never n8n's. */
export const SCHEMA_ENV = 'AGENT_CONNECTORS_STORE_SCHEMA';
export const DEFAULT_SCHEMA = 'agent_connectors';

/**
 * Lower case, no quoting surprises, and short enough that the notification
 * channel named after it (`<schema>_changes`) stays within PostgreSQL's
 * 63-byte identifiers.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** n8n's TLS settings: PEM texts (not paths), as n8n hands them to the driver. */
export interface TlsSettings {
	ca?: string;
	cert?: string;
	key?: string;
	rejectUnauthorized: boolean;
}

/**
 * What the driver connects with: a connection string, or n8n's fields.
 * Holds the password: never put it in a message or a log (describeTarget
 * says where a target points without it).
 */
export interface ConnectionSettings {
	connectionString?: string;
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: boolean | TlsSettings;
}

export interface PostgresTarget {
	connection: ConnectionSettings;
	schema: string;
}

function schemaFrom(env: NodeJS.ProcessEnv): string {
	const schema = env[SCHEMA_ENV]?.trim() || DEFAULT_SCHEMA;
	if (!SCHEMA_NAME.test(schema)) {
		throw new Error(
			`${SCHEMA_ENV} must be a lower-case PostgreSQL name of at most 48 letters, digits and underscores, not starting with a digit; got "${schema}"`,
		);
	}
	return schema;
}

/** A `postgres://` or `postgresql://` URL; the driver reads it, query options (sslmode …) included. */
export function postgresFromUrl(url: string, env: NodeJS.ProcessEnv): PostgresTarget {
	return { connection: { connectionString: url }, schema: schemaFrom(env) };
}

/**
 * n8n's reading of one setting: the variable when it is set (even empty),
 * else the trimmed content of the file its `_FILE` variant names.
 */
function n8nSetting(env: NodeJS.ProcessEnv, name: string): string | undefined {
	if (name in env) return env[name];
	const file = env[`${name}_FILE`];
	if (!file) return undefined;
	const read = readText(file);
	// The path, never the content: the file may hold a password.
	if (read.failed !== undefined)
		throw new Error(`${name}_FILE names ${file}, which could not be read (${read.failed})`);
	return read.text.trim();
}

function readText(path: string): { text: string; failed?: undefined } | { failed: string } {
	try {
		return { text: readFileSync(path, 'utf8') };
	} catch (error) {
		const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : '';
		return { failed: String(code || 'unreadable') };
	}
}

/** n8n strips surrounding whitespace and one pair of matching quotes from string settings. */
function n8nString(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
	const value = n8nSetting(env, name);
	return value === undefined ? fallback : value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** Like n8n, a value it cannot read as a number or boolean leaves the default in place. */
function n8nNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const value = n8nSetting(env, name);
	if (value === undefined || value.trim() === '') return fallback;
	const parsed = Number(value);
	return Number.isNaN(parsed) ? fallback : parsed;
}

function n8nBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
	const value = n8nSetting(env, name)?.toLowerCase();
	if (value === 'true' || value === '1') return true;
	if (value === 'false' || value === '0') return false;
	return fallback;
}

/** Whether n8n itself runs on PostgreSQL: then the store goes there by default. */
export function n8nUsesPostgres(env: NodeJS.ProcessEnv): boolean {
	return n8nString(env, 'DB_TYPE', 'sqlite') === 'postgresdb';
}

/** n8n's database connection (DB_POSTGRESDB_*), with the store's own schema in it. */
export function postgresFromN8n(env: NodeJS.ProcessEnv): PostgresTarget {
	const schema = schemaFrom(env);
	const n8nSchema = n8nString(env, 'DB_POSTGRESDB_SCHEMA', 'public');
	if (schema === n8nSchema) {
		throw new Error(
			`${SCHEMA_ENV} names n8n's own schema "${n8nSchema}"; the store keeps its tables apart from n8n's, so choose another (default ${DEFAULT_SCHEMA})`,
		);
	}
	const ca = n8nString(env, 'DB_POSTGRESDB_SSL_CA', '');
	const cert = n8nString(env, 'DB_POSTGRESDB_SSL_CERT', '');
	const key = n8nString(env, 'DB_POSTGRESDB_SSL_KEY', '');
	const rejectUnauthorized = n8nBoolean(env, 'DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED', true);
	// n8n's rule: TLS when enabled, and with these options as soon as any of them is given.
	let ssl: boolean | TlsSettings = n8nBoolean(env, 'DB_POSTGRESDB_SSL_ENABLED', false);
	if (ca !== '' || cert !== '' || key !== '' || !rejectUnauthorized) {
		ssl = {
			ca: ca || undefined,
			cert: cert || undefined,
			key: key || undefined,
			rejectUnauthorized,
		};
	}
	return {
		connection: {
			host: n8nString(env, 'DB_POSTGRESDB_HOST', 'localhost'),
			port: n8nNumber(env, 'DB_POSTGRESDB_PORT', 5432),
			database: n8nString(env, 'DB_POSTGRESDB_DATABASE', 'n8n'),
			user: n8nString(env, 'DB_POSTGRESDB_USER', 'postgres'),
			password: n8nString(env, 'DB_POSTGRESDB_PASSWORD', ''),
			ssl,
		},
		schema,
	};
}

/** Where a target points, for messages: user, host, port, database and schema; never the password. */
export function describeTarget({ connection, schema }: PostgresTarget): string {
	let { user, host, port, database } = connection;
	if (connection.connectionString !== undefined) {
		try {
			const url = new URL(connection.connectionString);
			user = decodeURIComponent(url.username) || undefined;
			host = url.hostname || url.searchParams.get('host') || undefined;
			port = url.port === '' ? undefined : Number(url.port);
			database = decodeURIComponent(url.pathname.slice(1)) || undefined;
		} catch {
			return `PostgreSQL (an unreadable URL), schema ${schema}`;
		}
	}
	const where = `${host ?? 'localhost'}:${port ?? 5432}/${database ?? user ?? ''}`;
	return `PostgreSQL ${user === undefined ? '' : `${user}@`}${where}, schema ${schema}`;
}

/**
 * A driver message with any trace of the password taken out, since driver
 * and network errors may quote what they were given.
 */
export function withoutPassword(message: string, connection: ConnectionSettings): string {
	// The whole URL first: once its password is starred it no longer matches.
	const secrets = [connection.connectionString, connection.password];
	if (connection.connectionString !== undefined) {
		try {
			const url = new URL(connection.connectionString);
			secrets.push(url.password, decodeURIComponent(url.password));
		} catch {
			// Unreadable: the whole string, already in the list, is all that can be taken out.
		}
	}
	let clean = message;
	for (const secret of secrets) if (secret) clean = clean.split(secret).join('***');
	return clean;
}
