/**
 * The one connection a SqliteStore holds to its file: opening (WAL, busy
 * handling, migrations), a cache of prepared statements, and transactions.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { migrate } from '../migrations';
import { immediateTransaction } from '../transaction';
import type { Row } from '../sql/rows';

/** How long a writer waits for another process's transaction before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Loaded on first use rather than imported: n8n loads every node module at
 * start-up, and most installations never open the store.
 */
function loadSqlite(): typeof NodeSqlite {
	const sqlite: typeof NodeSqlite | undefined = process.getBuiltinModule('node:sqlite');
	if (sqlite === undefined) {
		throw new Error(
			`The session store needs Node's built-in node:sqlite, which Node ${process.version} does not provide without --experimental-sqlite; use Node 22.13 or newer`,
		);
	}
	return sqlite;
}

const SQLITE_BUSY = 5;

/** node:sqlite puts SQLite's (extended) result code on its errors as `errcode`. */
function isBusy(error: Error): boolean {
	return (
		'errcode' in error &&
		typeof error.errcode === 'number' &&
		(error.errcode & 0xff) === SQLITE_BUSY
	);
}

/** Blocks the thread; only used while opening, before the store serves any call. */
function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * WAL lets readers run while another process writes. The mode is stored in
 * the file, so only the first opener really switches it. That switch upgrades
 * a read lock to a write lock, which SQLite refuses at once (busy_timeout does
 * not apply) when another process is switching or migrating a fresh file at
 * the same moment, so it is retried here for as long as busy_timeout would wait.
 */
function switchToWal(db: DatabaseSync): void {
	const deadline = Date.now() + BUSY_TIMEOUT_MS;
	for (let attempt = 1; ; attempt++) {
		const failure = execOrError(db, 'PRAGMA journal_mode = WAL');
		if (failure === null) return;
		if (!isBusy(failure) || Date.now() >= deadline) throw failure;
		sleepSync(Math.min(5 * attempt, 50) + Math.random() * 5);
	}
}

function execOrError(db: DatabaseSync, sql: string): Error | null {
	try {
		db.exec(sql);
		return null;
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/** Opens (creating it and its directory if needed) and migrates the store file at `path`. */
function openDatabase(path: string): DatabaseSync {
	mkdirSync(dirname(path), { recursive: true });
	const db = new (loadSqlite().DatabaseSync)(path);
	let ready = false;
	try {
		// Set first, so that every later statement (journal mode, migrations)
		// waits for other processes instead of failing at once.
		db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
		switchToWal(db);
		// With WAL, NORMAL still never corrupts the file; it only skips an fsync per commit.
		db.exec('PRAGMA synchronous = NORMAL');
		// Checkpoints (copying the WAL back into the file, with an fsync) stall
		// the commit that triggers them. Every 10,000 pages instead of 1,000
		// they stall ten times less often: bulk timer scheduling 3.1 s -> 2.6 s
		// and p99 fire lateness 61 -> 15 ms (npm run bench). The WAL file is
		// trimmed back to 64 MiB after each checkpoint.
		db.exec('PRAGMA wal_autocheckpoint = 10000');
		db.exec('PRAGMA journal_size_limit = 67108864');
		db.exec('PRAGMA foreign_keys = ON');
		migrate(db, path);
		ready = true;
	} finally {
		if (!ready) db.close();
	}
	return db;
}

export class Connection {
	private readonly db: DatabaseSync;
	private readonly statements = new Map<string, StatementSync>();

	constructor(path: string) {
		this.db = openDatabase(path);
	}

	/**
	 * Runs `work` in BEGIN IMMEDIATE … COMMIT (see transaction.ts). `work` must
	 * be synchronous; every operation here is.
	 */
	transaction<T>(work: () => T): T {
		return immediateTransaction(this.db, work);
	}

	get(sql: string, ...params: SQLInputValue[]): Row | undefined {
		return this.statement(sql).get(...params);
	}

	all(sql: string, ...params: SQLInputValue[]): Row[] {
		return this.statement(sql).all(...params);
	}

	run(sql: string, ...params: SQLInputValue[]): NodeSqlite.StatementResultingChanges {
		return this.statement(sql).run(...params);
	}

	/** For INSERT/UPDATE … RETURNING * that must produce a row. */
	returning(sql: string, ...params: SQLInputValue[]): Row {
		const row = this.get(sql, ...params);
		if (!row) throw new Error('The session store wrote a row but SQLite returned none');
		return row;
	}

	close(): void {
		this.statements.clear();
		this.db.close();
	}

	private statement(sql: string): StatementSync {
		let statement = this.statements.get(sql);
		if (statement === undefined) {
			statement = this.db.prepare(sql);
			this.statements.set(sql, statement);
		}
		return statement;
	}
}
