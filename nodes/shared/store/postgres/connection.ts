/**
 * The connections a PostgresStore holds: a pool (pg's) that runs the store's
 * statements and transactions in the store's own schema, waits out a server
 * that restarts, and drops connections the server or the network closed.
 */

import type * as Pg from 'pg';

import type { Row, SqlValue } from '../sql/rows';
import { describeTarget, type PostgresTarget, withoutPassword } from './config';

export type PgModule = typeof Pg;

/**
 * Loaded on first use rather than imported: n8n loads every node module at
 * start-up, and most installations keep the store in SQLite.
 */
export async function loadPg(): Promise<PgModule> {
	return await import('pg');
}

/** A value to bind: the columns' values, booleans, and arrays for unnest(). */
export type SqlParam = SqlValue | boolean | ReadonlyArray<string | number | null>;

/** What the store's operations run statements with: the pool, or one transaction's connection. */
export interface Executor {
	all(sql: string, ...params: SqlParam[]): Promise<Row[]>;
	get(sql: string, ...params: SqlParam[]): Promise<Row | undefined>;
	/** Runs a statement; resolves to the number of rows it changed. */
	run(sql: string, ...params: SqlParam[]): Promise<number>;
	/** For INSERT/UPDATE … RETURNING that must produce a row. */
	returning(sql: string, ...params: SqlParam[]): Promise<Row>;
	/** Runs SQL without parameters as it is (schema changes). */
	exec(sql: string): Promise<void>;
}

/** Each process holds at most this many connections; n8n holds 2 of its own by default. */
const POOL_SIZE = 5;
const APPLICATION_NAME = 'n8n-nodes-agent-connectors';
/**
 * A transaction left open (its process frozen mid-way) would hold its row
 * locks, the publish lock among them, for ever; the server ends it after this.
 */
const IDLE_IN_TRANSACTION_MS = 60_000;
/** How long a statement waits for a connection while the server is unreachable (restarting). */
const RECONNECT_WITHIN_MS = 15_000;
/** Runs of one transaction when the server asks to retry it or the connection drops before COMMIT. */
const TRANSACTION_ATTEMPTS = 5;

/** SQLSTATEs after which the server has rolled the transaction back and asks for it to run again. */
const RETRY_TRANSACTION = new Set(['40001', '40P01']);
/** Node and pg failures that mean the connection is gone, not that the statement was wrong. */
const CONNECTION_CODES = new Set([
	'57P01', // admin_shutdown: terminated (pg_terminate_backend) or the server is stopping
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now: the server is starting
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
	/Connection terminated|not queryable|timeout exceeded when trying to connect|Connection closed/i;

/** Read by shape, not instanceof: Node's socket errors may come from another realm (a test's sandbox). */
function codeOf(error: unknown): string {
	return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function messageOf(error: unknown): string {
	return typeof error === 'object' && error !== null && 'message' in error
		? String(error.message)
		: '';
}

/** True when the connection, not the statement, failed (SQLSTATE class 08 is "connection exception"). */
export function isConnectionLoss(error: unknown): boolean {
	const code = codeOf(error);
	return (
		code.startsWith('08') ||
		CONNECTION_CODES.has(code) ||
		CONNECTION_MESSAGES.test(messageOf(error))
	);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 100 ms, doubling, at most 2 s, with jitter so that processes reconnecting together spread out. */
export function backoffMs(attempt: number): number {
	return Math.min(100 * 2 ** (attempt - 1), 2000) * (0.75 + Math.random() / 2);
}

interface Statement {
	/** Prepared once per connection under this name; absent beyond MOST_NAMED statements. */
	name?: string;
	text: string;
}

/**
 * The store's SQL uses `?` (shared with SQLite, see ../sql/statements.ts);
 * PostgreSQL wants $1, $2 … Quoted text is skipped, so a literal `?` in a
 * string or a quoted name stays as it is. Each statement is converted once and
 * prepared under a name, which spares the server parsing and planning it on
 * every call; statements built with a variable number of placeholders (IN
 * lists) could make the names grow without end, hence the bound.
 */
const statements = new Map<string, Statement>();
const MOST_NAMED = 500;
const QUOTED_OR_PLACEHOLDER = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g;

function statement(sql: string): Statement {
	const known = statements.get(sql);
	if (known !== undefined) return known;
	let index = 0;
	const text = sql.replace(QUOTED_OR_PLACEHOLDER, (match) =>
		match === '?' ? `$${++index}` : match,
	);
	if (statements.size >= MOST_NAMED) return { text };
	const named = { name: `agent_connectors_${statements.size + 1}`, text };
	statements.set(sql, named);
	return named;
}

/** Values as pg binds them: arrays are sent as PostgreSQL arrays, Uint8Array as bytea. */
function query(sql: string, params: SqlParam[]): Pg.QueryConfig<SqlParam[]> {
	return { ...statement(sql), values: params };
}

/** pg's rows are untyped; the decoders in ../sql/rows.ts check every column they read. */
const asRows = (result: Pg.QueryResult): Row[] => result.rows as Row[];

/** Statements that only read: safe to send again on a new connection when the first one dropped. */
const READ_ONLY = /^\s*SELECT\b/i;

/** Runs statements on one connection, checked out for a transaction. */
class ClientExecutor implements Executor {
	constructor(private readonly client: Pg.PoolClient) {}

	async all(sql: string, ...params: SqlParam[]): Promise<Row[]> {
		return asRows(await this.client.query(query(sql, params)));
	}

	async get(sql: string, ...params: SqlParam[]): Promise<Row | undefined> {
		return (await this.all(sql, ...params))[0];
	}

	async run(sql: string, ...params: SqlParam[]): Promise<number> {
		return (await this.client.query(query(sql, params))).rowCount ?? 0;
	}

	async returning(sql: string, ...params: SqlParam[]): Promise<Row> {
		return requireRow(await this.get(sql, ...params));
	}

	async exec(sql: string): Promise<void> {
		await this.client.query(sql);
	}
}

function requireRow(row: Row | undefined): Row {
	if (row === undefined)
		throw new Error('The session store wrote a row but PostgreSQL returned none');
	return row;
}

/** The pool: single statements run on any connection, transactions on one. */
export class Database implements Executor {
	private closed = false;
	/** Set once the store has opened: from then on a statement waits out a server that restarts. */
	private waitForServerMs = 0;

	private constructor(
		private readonly pool: Pg.Pool,
		readonly pg: PgModule,
		readonly target: PostgresTarget,
	) {}

	/** Where this database is, for messages; never with the password. */
	get description(): string {
		return describeTarget(this.target);
	}

	/** A pool for `target`, its connections in the target's schema. Connects lazily. */
	static async connect(target: PostgresTarget): Promise<Database> {
		const pg = await loadPg();
		const pool = new pg.Pool({
			...clientConfig(pg, target),
			max: POOL_SIZE,
			allowExitOnIdle: true,
		});
		// An idle connection the server or the network closed: the pool has
		// dropped it and opens another when one is needed. Without a listener
		// the event would end the process.
		pool.on('error', () => undefined);
		pool.on('connect', (client) => {
			// The same for a connection that fails while checked out between two
			// statements; the next statement on it then fails and it is dropped.
			client.on('error', () => undefined);
			// Queued before any statement of whoever asked for the connection.
			// Settings by SET rather than as startup parameters, which a
			// connection pooler in front of the server (PgBouncer) may refuse.
			client
				.query(
					`SET search_path TO ${pg.escapeIdentifier(target.schema)};
					SET idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`,
				)
				.catch(() => undefined);
		});
		return new Database(pool, pg, target);
	}

	/**
	 * From now on, statements wait for a server that cannot be reached; until
	 * then (while opening) a wrong address or a server down fails at once.
	 */
	keepReconnecting(): void {
		this.waitForServerMs = RECONNECT_WITHIN_MS;
	}

	async all(sql: string, ...params: SqlParam[]): Promise<Row[]> {
		return asRows(await this.once(sql, params));
	}

	async get(sql: string, ...params: SqlParam[]): Promise<Row | undefined> {
		return (await this.all(sql, ...params))[0];
	}

	async run(sql: string, ...params: SqlParam[]): Promise<number> {
		return (await this.once(sql, params)).rowCount ?? 0;
	}

	async returning(sql: string, ...params: SqlParam[]): Promise<Row> {
		return requireRow(await this.get(sql, ...params));
	}

	async exec(sql: string): Promise<void> {
		await this.once(sql);
	}

	/**
	 * Runs `work` in BEGIN … COMMIT on one connection (READ COMMITTED: work
	 * locks what it reads to change with FOR UPDATE, or changes it in one
	 * statement). Runs it again, from the start, when the server rolled it
	 * back to break a deadlock, or the connection dropped before COMMIT was
	 * sent, so `work` must do nothing outside the database. A connection lost
	 * during COMMIT leaves unknown whether it happened: that error goes to the caller.
	 */
	async transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			const client = await this.checkOut();
			let committing = false;
			let broken = false;
			let failure: unknown;
			try {
				await client.query('BEGIN');
				const result = await work(new ClientExecutor(client));
				committing = true;
				await client.query('COMMIT');
				return result;
			} catch (error) {
				failure = error;
				broken = isConnectionLoss(error) || !(await rollBack(client));
			} finally {
				// A broken connection is destroyed rather than returned to the pool.
				client.release(broken);
			}
			const again = RETRY_TRANSACTION.has(codeOf(failure)) || (broken && !committing);
			if (!again || attempt >= TRANSACTION_ATTEMPTS || this.closed) throw failure;
			await sleep(backoffMs(attempt));
		}
	}

	/**
	 * Sends NOTIFY on `channel`. Autocommit, so it goes out at once; PostgreSQL
	 * delivers it to every session listening, in every process.
	 */
	async notify(channel: string, payload: string): Promise<void> {
		await this.once('SELECT pg_notify(?, ?)', [channel, payload]);
	}

	/** A connection of its own, outside the pool (for LISTEN); the caller ends it. */
	newClient(): Pg.Client {
		return new this.pg.Client(clientConfig(this.pg, this.target));
	}

	/**
	 * An error that says where the store is (never the password) and what
	 * went wrong; the store's own errors (a refused schema, a failure already
	 * explained) pass as they are.
	 */
	failure(doing: string, error: unknown): Error {
		const reason = messageOf(error) || String(error);
		if (error instanceof Error && /^(Could not|The session store) /.test(reason)) return error;
		return new Error(
			`Could not ${doing} the session store in ${this.description}: ${withoutPassword(reason, this.target.connection)}`,
		);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.pool.end();
	}

	/**
	 * One statement, autocommit (without params: as it is, unprepared); a read
	 * is sent again when its connection dropped under it.
	 */
	private async once(sql: string, params?: SqlParam[]): Promise<Pg.QueryResult> {
		for (let attempt = 1; ; attempt++) {
			const client = await this.checkOut();
			let failure: unknown;
			try {
				return await (params === undefined ? client.query(sql) : client.query(query(sql, params)));
			} catch (error) {
				failure = error;
			} finally {
				client.release(failure !== undefined && isConnectionLoss(failure));
			}
			if (!isConnectionLoss(failure) || !READ_ONLY.test(sql) || attempt >= 3 || this.closed)
				throw failure;
		}
	}

	/**
	 * A connection from the pool, waiting (with backoff) while the server
	 * cannot be reached, as during a restart: nothing was sent yet, so any
	 * statement may wait for it.
	 */
	private async checkOut(): Promise<Pg.PoolClient> {
		const deadline = Date.now() + this.waitForServerMs;
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.pool.connect();
			} catch (error) {
				if (!isConnectionLoss(error) || Date.now() >= deadline || this.closed)
					throw this.failure('reach', error);
				await sleep(backoffMs(attempt));
			}
		}
	}
}

/** Whether ROLLBACK went through; when it did not, the connection is unusable. */
async function rollBack(client: Pg.PoolClient): Promise<boolean> {
	try {
		await client.query('ROLLBACK');
		return true;
	} catch {
		return false;
	}
}

/**
 * 64-bit integers (epoch ms, seqs, counts) as numbers: pg gives them as
 * strings, since not every one fits a double; the store's all do.
 */
function typeParsers(pg: PgModule): Pg.CustomTypesConfig {
	const int8 = pg.types.builtins.INT8;
	const getTypeParser = (oid: number, format?: 'text' | 'binary') =>
		oid === int8 && format !== 'binary'
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format);
	return { getTypeParser: getTypeParser as typeof pg.types.getTypeParser };
}

function clientConfig(pg: PgModule, { connection }: PostgresTarget): Pg.ClientConfig {
	return {
		...connection,
		application_name: APPLICATION_NAME,
		// A connection the network lost without a word is found out after this, not hours later.
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
		connectionTimeoutMillis: 10_000,
		types: typeParsers(pg),
	};
}
