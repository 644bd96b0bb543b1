import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

import { SqliteStore } from '../../nodes/shared/store';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../nodes/shared/store/migrations';
import { describeStoreContract } from './contract';
import { ProcessPool } from './processes';
import { getAct } from './reads';

const PROCESSES = 4;

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
/** A store file at `path` with `count` sessions; their ids, in order. */
async function seedSessions(path: string, count: number): Promise<string[]> {
	const seed = new SqliteStore(path);
	const sessionIds: string[] = [];
	for (let i = 0; i < count; i++) {
		const session = await seed.upsertSession({
			channel: 'sms',
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalKey: `k${i}`,
		});
		sessionIds.push(session.id);
	}
	await seed.close();
	return sessionIds;
}

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

	it('loses nothing when closed and reopened', async () => {
		const path = freshPath();
		const first = new SqliteStore(path);
		const actor = await first.upsertActor({
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalId: 'e',
			personaName: 'Ada',
		});
		const created = await first.upsertSession({
			channel: 'sms',
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalKey: 'k',
			personaId: actor.persona.id,
			timeoutSeconds: 60,
			metadata: { a: [1, { b: null }] },
			state: { step: 'two' },
		});
		await first.compareAndSetSessionFlag(created.id, 'botInProgress', false, true);
		const session = await first.getSession(created.id);
		const [act] = await first.createActs([
			{
				integrationIdn: 'i',
				connectorIdn: 'c',
				commandIdn: 'send',
				arguments: { text: 'héllo ✓' },
				result: { ok: true },
				externalId: 'SM1',
			},
		]);
		const now = Date.now();
		await first.putTimer({
			personaId: actor.persona.id,
			timerName: 'leased',
			integrationIdn: 'i',
			connectorIdn: 'c',
			eventIdn: 'e',
			nextFireAt: now - 1,
			intervalSeconds: 5,
			repeatable: true,
			enabled: true,
			data: { x: 1 },
		});
		const [claim] = await first.claimDueTimers(now, 1, 60_000);
		await first.putTimer({
			personaId: actor.persona.id,
			timerName: 'off',
			integrationIdn: 'i',
			connectorIdn: 'c',
			eventIdn: 'e',
			nextFireAt: now + 60_000,
			intervalSeconds: null,
			repeatable: false,
			enabled: false,
		});
		const timers = await first.listTimers();
		const events = [
			await first.publishEvent({
				type: 't',
				integrationIdn: 'i',
				connectorIdn: 'c',
				payload: { n: 1 },
			}),
		];
		events.push(
			await first.publishEvent({
				type: 't',
				integrationIdn: 'i',
				connectorIdn: 'c',
				payload: { n: 2 },
			}),
		);
		await first.ackEvents('trigger', events[0].seq);
		await first.close();

		const second = new SqliteStore(path);
		await expect(second.upsertActor(actor.actor)).resolves.toEqual({
			actor: actor.actor,
			persona: actor.persona,
			actorCreated: false,
			personaCreated: false,
		});
		await expect(second.getSession(created.id)).resolves.toEqual(session);
		await expect(getAct(second, act.id)).resolves.toEqual(act);
		await expect(second.listTimers()).resolves.toEqual(timers);
		await expect(second.readEvents('trigger')).resolves.toEqual([events[1]]);
		await expect(second.readEvents('new')).resolves.toEqual(events);
		// The lease survived too: the claim made before closing can still be completed.
		const [fired] = await second.fireTimers([
			{
				timerId: claim.timer.id,
				leaseToken: claim.leaseToken,
				outcome: { firedAt: now, nextFireAt: now + 5000 },
				event: { type: 't', integrationIdn: 'i', connectorIdn: 'c', payload: {} },
			},
		]);
		expect(fired?.timer).toMatchObject({ fireCount: 1 });
		// Seqs go on from where the first connection left them.
		expect(fired?.event.seq).toBe(events[1].seq + 1);
		await second.close();
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

describe(`SqliteStore with ${PROCESSES} processes on one file`, () => {
	let pool: ProcessPool;

	// Loading TypeScript in several processes at once takes seconds on a small machine.
	beforeAll(async () => {
		pool = await ProcessPool.start(PROCESSES);
	}, 30_000);

	afterAll(async () => {
		await pool.stop();
	});

	it('processes opening a fresh file at the same moment migrate it exactly once', async () => {
		const path = freshPath();
		const results = await pool.race(path, 'open', {});
		expect(results).toEqual(Array(PROCESSES).fill('opened'));
		const db = rawDatabase(path);
		expect(scalar(db, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
		db.close();
	});

	it('racing upsertActor for the same keys creates one actor and one persona per key', async () => {
		const path = freshPath();
		const keys = 25;
		const results = await pool.race(path, 'upsertActor', { keys });
		for (let key = 0; key < keys; key++) {
			const outcomes = results.map((perProcess) => perProcess[key]);
			expect(new Set(outcomes.map((o) => o.actorId)).size).toBe(1);
			expect(new Set(outcomes.map((o) => o.personaId)).size).toBe(1);
			expect(outcomes.filter((o) => o.actorCreated)).toHaveLength(1);
			expect(outcomes.filter((o) => o.personaCreated)).toHaveLength(1);
		}
		const db = rawDatabase(path);
		expect(scalar(db, 'SELECT count(*) FROM actors')).toBe(keys);
		expect(scalar(db, 'SELECT count(*) FROM personas')).toBe(keys);
		db.close();
	});

	it('racing claimDueTimers hands every due timer to exactly one process', async () => {
		const path = freshPath();
		const seed = new SqliteStore(path);
		const now = Date.now();
		const timers = 200;
		for (let i = 0; i < timers; i++) {
			await seed.putTimer({
				personaId: `p${i % 10}`,
				timerName: `t${i}`,
				integrationIdn: 'system',
				connectorIdn: 'timer',
				eventIdn: 'due',
				nextFireAt: now - 1000 + i,
				intervalSeconds: null,
				repeatable: false,
				enabled: true,
			});
		}
		await seed.close();

		const results = await pool.race(path, 'claimTimers', { batch: 5 });
		const claimed = results.flat();
		expect(claimed).toHaveLength(timers);
		expect(new Set(claimed).size).toBe(timers);

		const check = new SqliteStore(path);
		const all = await check.listTimers({ limit: 1000 });
		expect(all.every((t) => t.state === 'done' && t.fireCount === 1)).toBe(true);
		await check.close();
	});

	it('racing compareAndSetSessionFlag(false → true) lets exactly one process win per session', async () => {
		const path = freshPath();
		const sessionIds = await seedSessions(path, 20);

		const results = await pool.race(path, 'flagCas', { sessionIds });
		sessionIds.forEach((_, i) => {
			expect(results.filter((won) => won[i])).toHaveLength(1);
		});
	});

	it("racing acquireSessionLease lets exactly one process take a session's lease, one per session", async () => {
		const path = freshPath();
		const sessionIds = await seedSessions(path, 20);

		// One session: every process goes for the same lease at once.
		const single = await pool.race(path, 'lease', { sessionIds: sessionIds.slice(0, 1) });
		expect(single.filter(([token]) => token !== null)).toHaveLength(1);

		// N sessions: N winners, one per session, and each holds the token it was given.
		const rest = sessionIds.slice(1);
		const results = await pool.race(path, 'lease', { sessionIds: rest });
		const check = new SqliteStore(path);
		for (const [i, id] of rest.entries()) {
			const winners = results.map((tokens) => tokens[i]).filter((token) => token !== null);
			expect(winners).toHaveLength(1);
			await expect(check.releaseSessionLease(id, 'botInProgress', winners[0] ?? '')).resolves.toBe(
				true,
			);
		}
		await check.close();
	});

	it('racing publishEvent gives unique, gap-free seqs in publishing order', async () => {
		const path = freshPath();
		const count = 50;
		const results = await pool.race(path, 'publish', { count });
		const seqs = results.flat().sort((a, b) => a - b);
		expect(seqs).toEqual(Array.from({ length: PROCESSES * count }, (_, i) => i + 1));
		for (const perProcess of results)
			expect(perProcess).toEqual([...perProcess].sort((a, b) => a - b));

		const check = new SqliteStore(path);
		const events = await check.readEvents('all', { limit: 1000 });
		expect(events.map((e) => e.seq)).toEqual(seqs);
		await check.close();
	});
});
