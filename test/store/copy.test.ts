import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PostgresStore, SqliteStore } from '../../nodes/shared/store';
import { copyStore } from '../../nodes/shared/store/copy';
import type { SessionStore } from '../../nodes/shared/store/types';
import { createTestDatabase, type TestDatabase } from './postgresDatabase';

const ROOT = join(__dirname, '..', '..');

let database: TestDatabase;
let dir: string;
let files = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	dir = mkdtempSync(join(tmpdir(), 'agent-connectors-copy-'));
});

afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	await database.drop();
}, 30_000);

const event = (n: number) => ({
	type: 't',
	integrationIdn: 'i',
	connectorIdn: 'c',
	payload: { n },
});

/** A SQLite store with some of every record, as an installation leaves it. */
async function usedSqliteStore(): Promise<string> {
	files += 1;
	const path = join(dir, `store-${files}.sqlite`);
	const store = new SqliteStore(path);
	const { persona } = await store.upsertActor({
		integrationIdn: 'twilio',
		connectorIdn: 'sms',
		externalId: '+15550001',
		personaName: 'Ada',
	});
	const session = await store.upsertSession({
		channel: 'sms',
		integrationIdn: 'twilio',
		connectorIdn: 'sms',
		externalKey: '+15550001|+15559999',
		personaId: persona.id,
		state: { step: 2, text: 'héllo ✓ "quoted"' },
	});
	await store.compareAndSetSessionFlag(session.id, 'botInProgress', false, true);
	await store.acquireSessionLease(session.id, 'bot', 3_600_000);
	await store.updateSession(session.id, { status: 'ended' });
	// Same millisecond: the listing's order then rests on the insertion order (rowid).
	await store.createActs(
		Array.from({ length: 3 }, (_, i) => ({
			integrationIdn: 'twilio',
			connectorIdn: 'sms',
			commandIdn: 'send_message',
			arguments: { i },
			personaId: persona.id,
		})),
	);
	const now = Date.now();
	await store.putTimers(
		Array.from({ length: 600 }, (_, i) => ({
			personaId: persona.id,
			timerName: `t${i}`,
			integrationIdn: 'system',
			connectorIdn: 'timer',
			eventIdn: 'due',
			nextFireAt: now + i * 1000,
			intervalSeconds: i % 2 === 0 ? 60 : null,
			repeatable: i % 2 === 0,
			enabled: i % 3 !== 0,
			data: { i },
		})),
	);
	await store.claimDueTimers(now + 5000, 2, 60_000);
	for (let n = 0; n < 5; n++) await store.publishEvent(event(n));
	await store.ackEvents('trigger', 2);
	await store.pruneEvents(Number.MAX_SAFE_INTEGER);
	await store.publishEvent(event(5));
	await store.close();
	return path;
}

/** Everything a store answers about the records usedSqliteStore wrote. */
async function contents(store: SessionStore) {
	const actor = await store.upsertActor({
		integrationIdn: 'twilio',
		connectorIdn: 'sms',
		externalId: '+15550001',
	});
	const session = await store.findSession({
		channel: 'sms',
		integrationIdn: 'twilio',
		connectorIdn: 'sms',
		externalKey: '+15550001|+15559999',
	});
	return {
		actor,
		session,
		acts: await store.listActs(),
		timers: await store.listTimers({ limit: 1000 }),
		nextDueAt: await store.nextDueAt(),
		trigger: await store.readEvents('trigger'),
		newcomer: await store.readEvents('newcomer'),
		lease: session && (await store.acquireSessionLease(session.id, 'bot', 1000)),
	};
}

describe('copying a SQLite store to PostgreSQL', () => {
	it('copies every record as it is, and both stores go on alike', async () => {
		const path = await usedSqliteStore();
		const target = database.freshTarget();
		const copied = await copyStore({ backend: 'sqlite', path }, { backend: 'postgres', target });
		expect(copied).toEqual({
			personas: 1,
			actors: 1,
			sessions: 1,
			session_leases: 1,
			acts: 3,
			timers: 600,
			events: 1,
			event_consumers: 1,
		});

		const sqlite = new SqliteStore(path);
		const postgres = await PostgresStore.open(target);
		const before = await contents(sqlite);
		expect(before.lease).toBeNull();
		expect(before.trigger).toHaveLength(1);
		await expect(contents(postgres)).resolves.toEqual(before);
		// What comes next continues the copied numbering, in both.
		const [fromSqlite, fromPostgres] = await Promise.all([
			sqlite.publishEvent(event(6)),
			postgres.publishEvent(event(6)),
		]);
		expect(fromPostgres.seq).toBe(fromSqlite.seq);
		const [later] = await postgres.createActs([
			{ integrationIdn: 'twilio', connectorIdn: 'sms', commandIdn: 'x', arguments: {} },
		]);
		await expect(postgres.listActs({ limit: 1 })).resolves.toEqual([later]);
		await sqlite.close();
		await postgres.close();
	});

	it('refuses a PostgreSQL store that already holds records, copying nothing', async () => {
		const path = await usedSqliteStore();
		const target = database.freshTarget();
		const used = await PostgresStore.open(target);
		await used.publishEvent(event(1));
		await expect(
			copyStore({ backend: 'sqlite', path }, { backend: 'postgres', target }),
		).rejects.toThrow(/already holds records \(events\); copy into an empty store/);
		await expect(used.listTimers()).resolves.toEqual([]);
		await used.close();
	});

	it('runs as the command n8n-nodes-agent-connectors-copy-store <from> [<to>]', async () => {
		const path = await usedSqliteStore();
		const target = database.freshTarget();
		const run = (args: string[]) =>
			promisify(execFile)(
				process.execPath,
				[
					'-r',
					join(ROOT, 'test', 'support', 'ts-register.js'),
					join(ROOT, 'cli', 'copyStore.ts'),
					...args,
				],
				{ cwd: ROOT, env: { ...process.env, AGENT_CONNECTORS_STORE_SCHEMA: target.schema } },
			);
		const { stdout } = await run([path, target.connection.connectionString ?? '']);
		expect(stdout).toBe(
			'Copied 1 personas, 1 actors, 1 sessions, 1 session_leases, 3 acts, 600 timers, 1 events, 1 event_consumers.\n',
		);
		await expect(run([])).rejects.toMatchObject({
			code: 2,
			stderr: expect.stringMatching(/^Usage: /),
		});
		await expect(run([path, target.connection.connectionString ?? ''])).rejects.toMatchObject({
			code: 1,
			stderr: expect.stringMatching(/already holds records/),
		});
	}, 60_000);
});
