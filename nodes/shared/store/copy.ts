/**
 * Moving an existing SQLite store to PostgreSQL, for an installation that
 * goes to queue mode: every record, as it is (ids, timestamps, leases, the
 * outbox with its seqs and the consumers' positions), so that timers keep
 * their schedules and triggers read on where they were. Both schemas have
 * the same tables and columns (postgres/migrations.ts), so the copy is
 * table by table, into an empty PostgreSQL store, in one transaction: a copy
 * that fails leaves nothing behind. Stop n8n while it runs, so nothing is
 * written to the file meanwhile. The command is cli/copyStore.ts.
 */

import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';

import type { StoreLocation } from './index';
import { PostgresStore } from './postgres';
import { describeTarget } from './postgres/config';
import { Database, type Executor } from './postgres/connection';
import { placeholders, type SqlValue } from './sql/rows';
import { SqliteStore } from './sqlite';

/**
 * Parents before children (foreign keys), each with the columns it copies.
 * acts keeps SQLite's rowid, the listing's tie-break; events keep their seqs.
 * connector_listeners is left behind: the active triggers register again
 * when n8n starts on the new store; so are send_rates, paces that start
 * afresh.
 */
const TABLES: ReadonlyArray<{ name: string; select: string }> = [
	{ name: 'personas', select: 'SELECT * FROM personas ORDER BY rowid' },
	{ name: 'actors', select: 'SELECT * FROM actors ORDER BY rowid' },
	{ name: 'sessions', select: 'SELECT * FROM sessions ORDER BY rowid' },
	{ name: 'session_leases', select: 'SELECT * FROM session_leases' },
	{ name: 'acts', select: 'SELECT rowid AS rowid, * FROM acts ORDER BY rowid' },
	{ name: 'timers', select: 'SELECT * FROM timers ORDER BY rowid' },
	{ name: 'events', select: 'SELECT * FROM events ORDER BY seq' },
	{ name: 'event_consumers', select: 'SELECT * FROM event_consumers ORDER BY rowid' },
];

/** Rows per INSERT: at most 18 columns, so far below PostgreSQL's 65,535 parameters. */
const BATCH = 500;

export type CopiedRecords = Record<string, number>;

/**
 * Copies the SQLite store at `from` into the PostgreSQL store at `to`,
 * which must hold no records yet (its schema is created or migrated as
 * opening does); the SQLite file is migrated too if it is older, and
 * otherwise only read. Resolves to the rows copied, by table.
 */
export async function copyStore(from: StoreLocation, to: StoreLocation): Promise<CopiedRecords> {
	if (from.backend !== 'sqlite')
		throw new Error(`The store is copied from a SQLite file; the source given is ${from.backend}`);
	if (to.backend !== 'postgres') {
		throw new Error(
			`The store is copied into PostgreSQL; the destination given is ${to.backend}: name a postgres://… URL, or run with n8n's settings (DB_TYPE=postgresdb, DB_POSTGRESDB_*)`,
		);
	}
	// Opening brings both schemas to the version this package writes.
	await new SqliteStore(from.path).close();
	await (await PostgresStore.open(to.target)).close();

	const source = openReadOnly(from.path);
	const target = await Database.connect(to.target);
	try {
		return await target.transaction(async (tx) => {
			await refuseRecords(tx, describeTarget(to.target));
			const copied: CopiedRecords = {};
			for (const table of TABLES) copied[table.name] = await copyTable(source, tx, table);
			// What the identity and the publish counter hand out next goes on after the copied rows.
			await tx.run(
				`SELECT setval(pg_get_serial_sequence('acts', 'rowid'), coalesce(max(rowid), 0) + 1, false) FROM acts`,
			);
			const lastSeq = source
				.prepare(
					`SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
						coalesce((SELECT max(seq) FROM events), 0)) AS last`,
				)
				.get()?.last;
			await tx.run('UPDATE event_seq SET last = ?', Number(lastSeq ?? 0));
			return copied;
		});
	} finally {
		source.close();
		await target.close();
	}
}

function openReadOnly(path: string): DatabaseSync {
	const sqlite = process.getBuiltinModule('node:sqlite');
	return new sqlite.DatabaseSync(path, { readOnly: true });
}

/** Copying into a store in use would mix two installations' records. */
async function refuseRecords(tx: Executor, where: string): Promise<void> {
	for (const { name } of TABLES) {
		if ((await tx.get(`SELECT 1 AS found FROM ${name} LIMIT 1`)) !== undefined) {
			throw new Error(
				`The session store in ${where} already holds records (${name}); copy into an empty store, e.g. another AGENT_CONNECTORS_STORE_SCHEMA`,
			);
		}
	}
}

async function copyTable(
	source: DatabaseSync,
	tx: Executor,
	table: { name: string; select: string },
): Promise<number> {
	let batch: Array<Record<string, SQLOutputValue>> = [];
	let copied = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		const columns = Object.keys(batch[0]);
		const row = `(${placeholders(columns.length)})`;
		await tx.run(
			`INSERT INTO ${table.name} (${columns.join(', ')}) VALUES ${batch.map(() => row).join(', ')}`,
			...batch.flatMap((values) => columns.map((column) => sqlValue(values[column]))),
		);
		copied += batch.length;
		batch = [];
	};
	for (const values of source.prepare(table.select).iterate()) {
		batch.push(values);
		if (batch.length === BATCH) await flush();
	}
	await flush();
	return copied;
}

/** The store's columns hold text, integers and nulls; anything else is a damaged file. */
function sqlValue(value: SQLOutputValue | undefined): SqlValue {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string' || typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	throw new Error('The SQLite store holds a value that is neither text nor a number');
}
