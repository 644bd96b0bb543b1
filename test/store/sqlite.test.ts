import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

import { SqliteStore } from '../../nodes/shared/store';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../nodes/shared/store/migrations';
import { describeStoreContract } from './contract';
import { itLosesNothingWhenReopened } from './reopen';
import { describeRaces, PROCESSES } from './races';

let dir: string;
let fileCount = 0;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'agent-connectors-store-'));
});

afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

/** A path for a store file no test has used yet. */
function freshPath(): string {
	fileCount += 1;
	return join(dir, `store-${fileCount}.sqlite`);
}

/** A connection beside the store's, to inspect or tamper with the file. */
function rawDatabase(path: string): DatabaseSync {
	return new (process.getBuiltinModule('node:sqlite').DatabaseSync)(path);
}

function scalar(db: DatabaseSync, sql: string): unknown {
	const row = db.prepare(sql).get();
	return row === undefined ? undefined : Object.values(row)[0];
}

describeStoreContract('SqliteStore', () => new SqliteStore(freshPath()));

describe('SqliteStore file', () => {
	it("reports backend 'sqlite' and creates missing parent directories", async () => {
		const path = join(dir, 'nested', 'deeper', 'store.sqlite');
		const store = new SqliteStore(path);
		expect(store.backend).toBe('sqlite');
		await store.upsertSession({
			channel: 'sms',
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalKey: 'k',
		});
		await store.close();
		const db = rawDatabase(path);
		expect(scalar(db, 'SELECT count(*) FROM sessions')).toBe(1);
		db.close();
	});

	it('opens the file in WAL mode at the newest schema version', async () => {
		const path = freshPath();
		await new SqliteStore(path).close();
		const db = rawDatabase(path);
		expect(scalar(db, 'PRAGMA journal_mode')).toBe('wal');
		expect(scalar(db, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
		db.close();
	});

	itLosesNothingWhenReopened(() => {
		const path = freshPath();
		return async () => new SqliteStore(path);
	});
});

describe('SqliteStore migrations', () => {
	const versions = MIGRATIONS.map((m) => m.version);

	it('are numbered 1, 2, 3 … in order', () => {
		expect(versions).toEqual(versions.map((_, i) => i + 1));
		expect(SCHEMA_VERSION).toBe(versions[versions.length - 1]);
	});

	it('are applied once: reopening a migrated file runs none again', () => {
		const db = rawDatabase(freshPath());
		const list = [
			{ version: 1, up: ['CREATE TABLE a (x INTEGER)'] },
			{ version: 2, up: ['CREATE TABLE b (x INTEGER)', 'INSERT INTO a VALUES (1)'] },
		];
		expect(migrate(db, 'test.sqlite', list)).toEqual([1, 2]);
		// CREATE TABLE would fail if run a second time.
		expect(migrate(db, 'test.sqlite', list)).toEqual([]);
		expect(
			migrate(db, 'test.sqlite', [...list, { version: 3, up: ['INSERT INTO a VALUES (3)'] }]),
		).toEqual([3]);
		expect(scalar(db, 'SELECT group_concat(x) FROM a')).toBe('1,3');
		expect(scalar(db, 'PRAGMA user_version')).toBe(3);
		db.close();
	});

	it('roll back a failing migration entirely, version included', () => {
		const db = rawDatabase(freshPath());
		const list = [{ version: 1, up: ['CREATE TABLE a (x INTEGER)', 'NOT SQL'] }];
		expect(() => migrate(db, 'test.sqlite', list)).toThrow();
		expect(scalar(db, 'PRAGMA user_version')).toBe(0);
		expect(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'a'")).toBe(0);
		db.close();
	});

	it('bring a file at an older version up to the newest, keeping its data', async () => {
		const path = freshPath();
		const db = rawDatabase(path);
		migrate(db, path, MIGRATIONS.slice(0, 1));
		db.exec(
			`INSERT INTO sessions (id, channel, integration_idn, connector_idn, external_key, persona_id, status,
				timeout_seconds, metadata, state, flags, version, created_at, updated_at)
			VALUES ('s1', 'sms', 'i', 'c', 'k', NULL, 'active', NULL, '{}', '{}', '{}', 1, 1, 1)`,
		);
		db.close();
		const store = new SqliteStore(path);
		await expect(store.getSession('s1')).resolves.toMatchObject({ id: 's1', version: 1 });
		await expect(store.acquireSessionLease('s1', 'bot', 1000)).resolves.not.toBeNull();
		await store.close();
		const check = rawDatabase(path);
		expect(scalar(check, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
		check.close();
	});

	it('refuse a file from a newer schema version with a clear error, leaving it untouched', () => {
		const path = freshPath();
		const db = rawDatabase(path);
		db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
		db.close();
		expect(() => new SqliteStore(path)).toThrow(
			new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than the ${SCHEMA_VERSION}`),
		);
		const check = rawDatabase(path);
		expect(scalar(check, "SELECT count(*) FROM sqlite_master WHERE type = 'table'")).toBe(0);
		check.close();
	});
});

describeRaces(
	'SqliteStore',
	() => {
		const path = freshPath();
		return {
			location: { backend: 'sqlite', path },
			open: async () => new SqliteStore(path),
			async count(table) {
				const db = rawDatabase(path);
				const rows = scalar(db, `SELECT count(*) FROM ${table}`);
				db.close();
				return Number(rows);
			},
		};
	},
	(pool) => {
		it('processes opening a fresh file at the same moment migrate it exactly once', async () => {
			const path = freshPath();
			const results = await pool().race(path, 'open', {});
			expect(results).toEqual(Array(PROCESSES).fill('opened'));
			const db = rawDatabase(path);
			expect(scalar(db, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
			db.close();
		});
	},
);
