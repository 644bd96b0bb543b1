import { closeStore, getStore, PostgresStore } from '../../nodes/shared/store';
import { onStoreChange, type StoreChange } from '../../nodes/shared/store/changes';
import { Database } from '../../nodes/shared/store/postgres/connection';
import {
	migrate,
	PG_MIGRATIONS,
	PG_SCHEMA_VERSION,
} from '../../nodes/shared/store/postgres/migrations';
import { appendEvents } from '../../nodes/shared/store/postgres/outbox';
import type { PostgresTarget } from '../../nodes/shared/store/postgres/config';
import type { PutTimerInput } from '../../nodes/shared/store/types';
import { describeStoreContract } from './contract';
import { createTestDatabase, query, type TestDatabase } from './postgresDatabase';
import { describeRaces, PROCESSES } from './races';
import { itLosesNothingWhenReopened } from './reopen';

const STORE_TABLES = [
	'actors',
	'acts',
	'connector_listeners',
	'event_consumers',
	'event_seq',
	'events',
	'personas',
	'schema_migrations',
	'send_rates',
	'session_leases',
	'sessions',
	'timers',
];

let database: TestDatabase;

beforeAll(async () => {
	database = await createTestDatabase();
});

afterAll(async () => {
	await database.drop();
}, 30_000);

const event = (n: number) => ({
	type: 'user_message',
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	payload: { n },
});

const timer = (name: string, overrides: Partial<PutTimerInput> = {}): PutTimerInput => ({
	personaId: 'p',
	timerName: name,
	integrationIdn: 'system',
	connectorIdn: 'timer',
	eventIdn: 'due',
	nextFireAt: Date.now() + 60_000,
	intervalSeconds: null,
	repeatable: false,
	enabled: true,
	...overrides,
});

async function tablesIn(schema: string): Promise<string[]> {
	const rows = await query(
		database.url,
		'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
		[schema],
	);
	return rows.map((row) => String(row.table_name));
}

async function scalar(sql: string, params: unknown[] = []): Promise<unknown> {
	const [row] = await query(database.url, sql, params);
	return row === undefined ? undefined : Object.values(row)[0];
}

/** Resolves once `heard` holds every change in `expected`, or rejects after `ms`. */
async function hearing(heard: StoreChange[], expected: StoreChange[], ms = 5000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!expected.every((change) => heard.includes(change))) {
		if (Date.now() > deadline)
			throw new Error(`Heard ${heard.join(', ') || 'nothing'}, waited for ${expected.join(', ')}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describeStoreContract('PostgresStore', () => PostgresStore.open(database.freshTarget()));

describe('PostgresStore schema', () => {
	it("reports backend 'postgres' and keeps its tables in its own schema", async () => {
		const target = database.freshTarget();
		const store = await PostgresStore.open(target);
		expect(store.backend).toBe('postgres');
		await store.close();
		await expect(tablesIn(target.schema)).resolves.toEqual(STORE_TABLES);
		await expect(tablesIn('public')).resolves.toEqual([]);
	});

	itLosesNothingWhenReopened(() => {
		const target = database.freshTarget();
		return () => PostgresStore.open(target);
	});

	it('never puts the password into an error', async () => {
		const target: PostgresTarget = {
			connection: { connectionString: 'postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere' },
			schema: 'agent_connectors',
		};
		const error = await PostgresStore.open(target).then(
			() => new Error('opened'),
			(failure: unknown) => failure as Error,
		);
		expect(error.message).toMatch(
			/^Could not reach the session store in PostgreSQL postgres@127\.0\.0\.1:1\/nowhere/,
		);
		expect(error.message).not.toContain('s3cret-pw');
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('s3cret-pw');
	});
});

describe('PostgresStore migrations', () => {
	const versions = PG_MIGRATIONS.map((m) => m.version);

	it('are numbered 1, 2, 3 … in order', () => {
		expect(versions).toEqual(versions.map((_, i) => i + 1));
		expect(PG_SCHEMA_VERSION).toBe(versions[versions.length - 1]);
	});

	it('are applied once, each in the same transaction as its version', async () => {
		const db = await Database.connect(database.freshTarget());
		const list = [
			{ version: 1, up: ['CREATE TABLE a (x INTEGER)'] },
			{ version: 2, up: ['CREATE TABLE b (x INTEGER)', 'INSERT INTO a VALUES (1)'] },
		];
		await expect(migrate(db, list)).resolves.toEqual([1, 2]);
		// CREATE TABLE would fail if run a second time.
		await expect(migrate(db, list)).resolves.toEqual([]);
		await expect(
			migrate(db, [...list, { version: 3, up: ['INSERT INTO a VALUES (3)'] }]),
		).resolves.toEqual([3]);
		await expect(db.all('SELECT x FROM a ORDER BY x')).resolves.toEqual([{ x: 1 }, { x: 3 }]);
		await expect(db.all('SELECT version FROM schema_migrations ORDER BY version')).resolves.toEqual(
			[{ version: 1 }, { version: 2 }, { version: 3 }],
		);
		await db.close();
	});

	it('roll back a failing migration entirely, schema and version included', async () => {
		const target = database.freshTarget();
		const db = await Database.connect(target);
		await expect(
			migrate(db, [{ version: 1, up: ['CREATE TABLE a (x INTEGER)', 'NOT SQL'] }]),
		).rejects.toThrow();
		await db.close();
		await expect(
			scalar('SELECT count(*)::int FROM pg_namespace WHERE nspname = $1', [target.schema]),
		).resolves.toBe(0);
	});

	it('refuse a schema from a newer version with a clear error, leaving it untouched', async () => {
		const target = database.freshTarget();
		await query(
			database.url,
			`CREATE SCHEMA ${target.schema};
			CREATE TABLE ${target.schema}.schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);
			INSERT INTO ${target.schema}.schema_migrations VALUES (${PG_SCHEMA_VERSION + 1}, 0)`,
		);
		await expect(PostgresStore.open(target)).rejects.toThrow(
			new RegExp(
				`schema ${target.schema} has schema version ${PG_SCHEMA_VERSION + 1}, newer than the ${PG_SCHEMA_VERSION} .*AGENT_CONNECTORS_STORE_SCHEMA`,
			),
		);
		await expect(tablesIn(target.schema)).resolves.toEqual(['schema_migrations']);
	});
});

describe('PostgresStore outbox order', () => {
	it('a publish waits for an earlier publishing transaction, and readers see neither until it commits', async () => {
		const target = database.freshTarget();
		const store = await PostgresStore.open(target);
		const held = await Database.connect(target);
		let commit = () => undefined as void;
		const committed = new Promise<void>((resolve) => {
			commit = resolve;
		});
		let first: number | undefined;
		const transaction = held.transaction(async (tx) => {
			[{ seq: first }] = await appendEvents(tx, [event(1)]);
			await committed;
		});
		while (first === undefined) await new Promise((resolve) => setTimeout(resolve, 5));

		let second: number | undefined;
		const publishing = store.publishEvent(event(2)).then((published) => {
			second = published.seq;
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(second).toBeUndefined();
		await expect(store.readEvents('reader')).resolves.toEqual([]);

		commit();
		await transaction;
		await publishing;
		expect(second).toBe(first + 1);
		const read = await store.readEvents('reader');
		expect(read.map((e) => e.seq)).toEqual([first, second]);
		await held.close();
		await store.close();
	});
});

describe('PostgresStore wake-ups across processes', () => {
	it('a store watching hears the writes of other stores, each kind, and not its own', async () => {
		const target = database.freshTarget();
		const watcher = await PostgresStore.open(target);
		const writer = await PostgresStore.open(target);
		const heard: StoreChange[] = [];
		const stop = await watcher.watchChanges((change) => heard.push(change));
		// Listening starts with every kind once.
		await hearing(heard, ['timers', 'events', 'sessions']);
		heard.length = 0;

		await watcher.putTimer(timer('own'));
		await writer.putTimer(timer('other'));
		await hearing(heard, ['timers']);
		expect(heard).toEqual(['timers']);
		await writer.publishEvent(event(1));
		await hearing(heard, ['events']);
		const session = await writer.upsertSession({
			channel: 'call',
			integrationIdn: 'twilio_voice',
			connectorIdn: 'voice',
			externalKey: 'CA1',
		});
		await writer.compareAndSetSessionFlag(session.id, 'turn1Settled', false, true);
		await hearing(heard, ['sessions']);

		await stop();
		await watcher.close();
		await writer.close();
	});

	it('the process store of AGENT_CONNECTORS_STORE=postgres://… wakes this process at once for another process’s write', async () => {
		const target = database.freshTarget();
		const saved = { ...process.env };
		process.env.AGENT_CONNECTORS_STORE = target.connection.connectionString;
		process.env.AGENT_CONNECTORS_STORE_SCHEMA = target.schema;
		const heard: StoreChange[] = [];
		const stops = (['timers', 'events'] as const).map((change) =>
			onStoreChange(change, () => heard.push(change)),
		);
		try {
			const processStore = await getStore();
			expect(processStore).toBeInstanceOf(PostgresStore);
			heard.length = 0;
			const otherProcess = await PostgresStore.open(target);
			await otherProcess.putTimer(timer('t'));
			await hearing(heard, ['timers'], 1000);
			await otherProcess.close();
		} finally {
			for (const stop of stops) stop();
			await closeStore();
			process.env = saved;
		}
	});

	it('after its connections are terminated, reconnects, loses nothing and hears again', async () => {
		const target = database.freshTarget();
		const store = await PostgresStore.open(target);
		const writer = await PostgresStore.open(target);
		const heard: StoreChange[] = [];
		await store.watchChanges((change) => heard.push(change));
		await hearing(heard, ['timers', 'events', 'sessions']);
		const before = await store.publishEvent(event(1));
		await store.putTimers([timer('kept')]);

		heard.length = 0;
		const terminated = await scalar(
			`SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`,
		);
		expect(terminated).toBeGreaterThanOrEqual(2);
		// Once listening again, it reports every kind: what came meanwhile went unheard.
		await hearing(heard, ['timers', 'events', 'sessions']);

		heard.length = 0;
		const after = await writer.publishEvent(event(2));
		await hearing(heard, ['events']);
		await expect(store.readEvents('reader')).resolves.toEqual([before, after]);
		await expect(store.getTimer('p', 'kept')).resolves.toMatchObject({ timerName: 'kept' });
		await expect(store.putTimers([timer('new')])).resolves.toHaveLength(1);
		await writer.close();
		await store.close();
	});
});

describeRaces(
	'PostgresStore',
	() => {
		const target = database.freshTarget();
		return {
			location: { backend: 'postgres', target },
			open: () => PostgresStore.open(target),
			count: async (table) =>
				Number(await scalar(`SELECT count(*) FROM ${target.schema}.${table}`)),
		};
	},
	(pool) => {
		it('processes opening a fresh schema at the same moment migrate it exactly once', async () => {
			const target = database.freshTarget();
			await expect(pool().race({ backend: 'postgres', target }, 'open', {})).resolves.toEqual(
				Array(PROCESSES).fill('opened'),
			);
			await expect(tablesIn(target.schema)).resolves.toEqual(STORE_TABLES);
			await expect(
				scalar(`SELECT count(*)::int FROM ${target.schema}.schema_migrations`),
			).resolves.toBe(PG_MIGRATIONS.length);
		});
	},
);
