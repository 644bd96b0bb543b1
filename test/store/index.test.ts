import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	MemoryStore,
	SqliteStore,
	closeStore,
	getStore,
	openStore,
	resolveStoreLocation,
} from '../../nodes/shared/store';
import { onStoreChange } from '../../nodes/shared/store/changes';

const REDIS_UNAVAILABLE =
	'The session store does not run on Redis; to share it between n8n processes on several hosts (queue mode), use PostgreSQL: set AGENT_CONNECTORS_STORE=postgres://… or leave it unset while n8n itself runs on PostgreSQL (DB_TYPE=postgresdb)';

describe('resolveStoreLocation', () => {
	const folder = join('/srv/n8n-user', '.n8n');
	const env = (store?: string): NodeJS.ProcessEnv => ({
		N8N_USER_FOLDER: '/srv/n8n-user',
		AGENT_CONNECTORS_STORE: store,
	});

	it('defaults to agent-connectors.sqlite in the n8n folder under N8N_USER_FOLDER', () => {
		expect(resolveStoreLocation(env())).toEqual({
			backend: 'sqlite',
			path: join(folder, 'agent-connectors.sqlite'),
		});
		expect(resolveStoreLocation(env('  '))).toEqual({
			backend: 'sqlite',
			path: join(folder, 'agent-connectors.sqlite'),
		});
	});

	it('uses the home directory when N8N_USER_FOLDER is unset, as n8n does', () => {
		expect(resolveStoreLocation({})).toEqual({
			backend: 'sqlite',
			path: join(homedir(), '.n8n', 'agent-connectors.sqlite'),
		});
	});

	it('reads memory: as the in-process store', () => {
		expect(resolveStoreLocation(env('memory:'))).toEqual({ backend: 'memory' });
		expect(resolveStoreLocation(env('MEMORY:'))).toEqual({ backend: 'memory' });
	});

	it('reads redis:// and rediss:// URLs as Redis, keeping the URL as given', () => {
		expect(resolveStoreLocation(env('redis://cache:6379/2'))).toEqual({
			backend: 'redis',
			url: 'redis://cache:6379/2',
		});
		expect(resolveStoreLocation(env('rediss://user:pw@cache'))).toEqual({
			backend: 'redis',
			url: 'rediss://user:pw@cache',
		});
	});

	it('reads sqlite:<path> and plain paths as SQLite files, relative ones inside the n8n folder', () => {
		expect(resolveStoreLocation(env('sqlite:/data/store.sqlite'))).toEqual({
			backend: 'sqlite',
			path: '/data/store.sqlite',
		});
		expect(resolveStoreLocation(env('sqlite:///data/store.sqlite'))).toEqual({
			backend: 'sqlite',
			path: '/data/store.sqlite',
		});
		expect(resolveStoreLocation(env('sqlite:sub/store.sqlite'))).toEqual({
			backend: 'sqlite',
			path: join(folder, 'sub/store.sqlite'),
		});
		expect(resolveStoreLocation(env('/data/store.sqlite'))).toEqual({
			backend: 'sqlite',
			path: '/data/store.sqlite',
		});
		expect(resolveStoreLocation(env('store.sqlite'))).toEqual({
			backend: 'sqlite',
			path: join(folder, 'store.sqlite'),
		});
	});

	it('rejects sqlite: without a path and schemes it does not know, quoting only the scheme', () => {
		expect(() => resolveStoreLocation(env('sqlite:'))).toThrow(/names no file/);
		expect(() => resolveStoreLocation(env('mysql://root:pw@db/x'))).toThrow(
			'AGENT_CONNECTORS_STORE uses "mysql:", which is not a store this package knows; use a file path, sqlite:<path>, postgres://…, or memory:',
		);
	});

	it('reads postgres:// and postgresql:// URLs as PostgreSQL in the agent_connectors schema', () => {
		for (const url of ['postgres://u:pw@db:6432/n8n?sslmode=require', 'postgresql://db/x']) {
			expect(resolveStoreLocation(env(url))).toEqual({
				backend: 'postgres',
				target: { connection: { connectionString: url }, schema: 'agent_connectors' },
			});
		}
	});

	it('takes the schema from AGENT_CONNECTORS_STORE_SCHEMA and refuses a name it cannot use as is', () => {
		const at = (schema: string) =>
			resolveStoreLocation({
				AGENT_CONNECTORS_STORE: 'postgres://db/x',
				AGENT_CONNECTORS_STORE_SCHEMA: schema,
			});
		expect(at('store_2')).toMatchObject({ target: { schema: 'store_2' } });
		expect(at(' ')).toMatchObject({ target: { schema: 'agent_connectors' } });
		for (const bad of ['Store', 'my-store', '2store', 'x'.repeat(49), 'a"b'])
			expect(() => at(bad)).toThrow(
				/AGENT_CONNECTORS_STORE_SCHEMA must be a lower-case PostgreSQL name/,
			);
	});
});

describe('resolveStoreLocation when n8n runs on PostgreSQL (DB_TYPE=postgresdb)', () => {
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'agent-connectors-n8n-env-'));
	});

	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it("uses n8n's own connection with n8n's defaults, unless AGENT_CONNECTORS_STORE names another store", () => {
		expect(resolveStoreLocation({ DB_TYPE: 'postgresdb' })).toEqual({
			backend: 'postgres',
			target: {
				connection: {
					host: 'localhost',
					port: 5432,
					database: 'n8n',
					user: 'postgres',
					password: '',
					ssl: false,
				},
				schema: 'agent_connectors',
			},
		});
		expect(
			resolveStoreLocation({ DB_TYPE: 'postgresdb', AGENT_CONNECTORS_STORE: 'sqlite:/d/s.sqlite' }),
		).toEqual({ backend: 'sqlite', path: '/d/s.sqlite' });
		expect(resolveStoreLocation({ DB_TYPE: 'sqlite' })).toMatchObject({ backend: 'sqlite' });
	});

	it('reads every DB_POSTGRESDB_* setting as n8n does, each also from its _FILE', () => {
		const file = (name: string, content: string) => {
			const path = join(dir, name);
			writeFileSync(path, content);
			return path;
		};
		const location = resolveStoreLocation({
			DB_TYPE_FILE: file('type', 'postgresdb\n'),
			DB_POSTGRESDB_HOST: 'db.internal',
			DB_POSTGRESDB_PORT: '6432',
			DB_POSTGRESDB_DATABASE: '"n8n_prod"',
			DB_POSTGRESDB_USER_FILE: file('user', ' n8n \n'),
			DB_POSTGRESDB_PASSWORD_FILE: file('password', 's3cret\n'),
			DB_POSTGRESDB_SCHEMA: 'n8n',
			DB_POSTGRESDB_SSL_CA_FILE: file('ca', '-----BEGIN CERTIFICATE-----\nCA\n'),
			DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'false',
		});
		expect(location).toEqual({
			backend: 'postgres',
			target: {
				connection: {
					host: 'db.internal',
					port: 6432,
					database: 'n8n_prod',
					user: 'n8n',
					password: 's3cret',
					ssl: {
						ca: '-----BEGIN CERTIFICATE-----\nCA',
						cert: undefined,
						key: undefined,
						rejectUnauthorized: false,
					},
				},
				schema: 'agent_connectors',
			},
		});
	});

	it('turns TLS on as n8n does: enabled alone, or any certificate setting', () => {
		const ssl = (settings: NodeJS.ProcessEnv) => {
			const location = resolveStoreLocation({ DB_TYPE: 'postgresdb', ...settings });
			return location.backend === 'postgres' ? location.target.connection.ssl : undefined;
		};
		expect(ssl({ DB_POSTGRESDB_SSL_ENABLED: 'true' })).toBe(true);
		expect(ssl({ DB_POSTGRESDB_SSL_ENABLED: 'nonsense' })).toBe(false);
		expect(ssl({ DB_POSTGRESDB_SSL_CERT: 'CERT', DB_POSTGRESDB_SSL_KEY: 'KEY' })).toEqual({
			ca: undefined,
			cert: 'CERT',
			key: 'KEY',
			rejectUnauthorized: true,
		});
	});

	it("keeps its tables out of n8n's schema", () => {
		expect(() =>
			resolveStoreLocation({ DB_TYPE: 'postgresdb', AGENT_CONNECTORS_STORE_SCHEMA: 'public' }),
		).toThrow(/names n8n's own schema "public"/);
		expect(() =>
			resolveStoreLocation({
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_SCHEMA: 'n8n',
				AGENT_CONNECTORS_STORE_SCHEMA: 'n8n',
			}),
		).toThrow(/names n8n's own schema "n8n"/);
	});

	it('names a _FILE it cannot read, never what a readable one holds', () => {
		expect(() =>
			resolveStoreLocation({
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_PASSWORD_FILE: join(dir, 'missing'),
			}),
		).toThrow(
			`DB_POSTGRESDB_PASSWORD_FILE names ${join(dir, 'missing')}, which could not be read (ENOENT)`,
		);
	});
});

describe('loading the store', () => {
	it('leaves pg unloaded until a PostgreSQL store is opened, since n8n loads every node at start', () => {
		const root = join(__dirname, '..', '..');
		const script = `
			const store = require('./nodes/shared/store');
			store.resolveStoreLocation({ DB_TYPE: 'postgresdb' });
			process.stdout.write(String(Object.keys(require.cache).some((path) => path.includes('/node_modules/pg/'))));
		`;
		const loaded = execFileSync(
			process.execPath,
			['-r', join(root, 'test', 'support', 'ts-register.js'), '-e', script],
			{ cwd: root, encoding: 'utf8' },
		);
		expect(loaded).toBe('false');
	});
});

describe('openStore', () => {
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'agent-connectors-open-'));
	});

	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('opens a MemoryStore for memory and a SqliteStore at the path for sqlite', async () => {
		const memory = await openStore({ backend: 'memory' });
		expect(memory).toBeInstanceOf(MemoryStore);
		await memory.close();
		const path = join(dir, 'open.sqlite');
		const sqlite = await openStore({ backend: 'sqlite', path });
		expect(sqlite).toBeInstanceOf(SqliteStore);
		expect((sqlite as SqliteStore).path).toBe(path);
		await sqlite.close();
	});

	it('refuses Redis plainly, pointing at PostgreSQL', async () => {
		await expect(openStore({ backend: 'redis', url: 'redis://localhost' })).rejects.toThrow(
			REDIS_UNAVAILABLE,
		);
	});
});

describe('getStore', () => {
	const saved = process.env.AGENT_CONNECTORS_STORE;
	let dir: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'agent-connectors-get-'));
	});

	afterEach(async () => {
		await closeStore();
		if (saved === undefined) delete process.env.AGENT_CONNECTORS_STORE;
		else process.env.AGENT_CONNECTORS_STORE = saved;
	});

	afterAll(() => {
		rmSync(dir, { recursive: true, force: true });
	});

	it('opens the store named by the environment once, however many callers ask at the same time', async () => {
		process.env.AGENT_CONNECTORS_STORE = `sqlite:${join(dir, 'process.sqlite')}`;
		const stores = await Promise.all([getStore(), getStore(), getStore()]);
		expect(stores[0]).toBeInstanceOf(SqliteStore);
		expect(stores[1]).toBe(stores[0]);
		expect(stores[2]).toBe(stores[0]);
		await expect(getStore()).resolves.toBe(stores[0]);
	});

	it('shares one MemoryStore across the process for memory:', async () => {
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		const writer = await getStore();
		expect(writer.backend).toBe('memory');
		const { id } = await writer.upsertSession({
			channel: 'sms',
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalKey: 'k',
		});
		const reader = await getStore();
		await expect(reader.getSession(id)).resolves.toMatchObject({ id });
	});

	it('closeStore closes the process store and the next getStore opens a new one', async () => {
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		const first = await getStore();
		await closeStore();
		await expect(first.getSession('x')).rejects.toThrow(/closed/);
		const second = await getStore();
		expect(second).not.toBe(first);
		await expect(second.getSession('x')).resolves.toBeNull();
		await closeStore();
		await expect(closeStore()).resolves.toBeUndefined();
	});

	it('the process store tells this process after timer and event writes, and only after them', async () => {
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		const store = await getStore();
		const heard: string[] = [];
		const stops = [
			onStoreChange('timers', () => heard.push('timers')),
			onStoreChange('events', () => heard.push('events')),
		];
		try {
			await store.putTimer({
				personaId: 'p',
				timerName: 't',
				integrationIdn: 'program_timer',
				connectorIdn: 'c',
				eventIdn: 'timer_fired',
				nextFireAt: Date.now() + 60_000,
				intervalSeconds: null,
				repeatable: false,
				enabled: true,
			});
			expect(heard).toEqual(['timers']);
			await store.listTimers();
			await store.upsertSession({
				channel: 'sms',
				integrationIdn: 'i',
				connectorIdn: 'c',
				externalKey: 'k',
			});
			expect(heard).toEqual(['timers']);
			await store.publishEvent({ type: 'e', integrationIdn: 'i', connectorIdn: 'c', payload: {} });
			expect(heard).toEqual(['timers', 'events']);
			// A store opened by hand is nobody's process store: it signals nothing.
			const own = new MemoryStore();
			await own.publishEvent({ type: 'e', integrationIdn: 'i', connectorIdn: 'c', payload: {} });
			await own.close();
			expect(heard).toEqual(['timers', 'events']);
		} finally {
			for (const stop of stops) stop();
		}
	});

	it('reports a failed open to the caller and tries again on the next call', async () => {
		process.env.AGENT_CONNECTORS_STORE = 'redis://localhost:6379';
		await expect(getStore()).rejects.toThrow(REDIS_UNAVAILABLE);
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		await expect(getStore()).resolves.toBeInstanceOf(MemoryStore);
	});
});
