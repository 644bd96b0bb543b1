import { mkdtempSync, rmSync } from 'node:fs';
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
	'The Redis store is not available in this version; unset AGENT_CONNECTORS_STORE or point it at a SQLite file';

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

	it('rejects sqlite: without a path and schemes it does not know', () => {
		expect(() => resolveStoreLocation(env('sqlite:'))).toThrow(/names no file/);
		expect(() => resolveStoreLocation(env('postgres://db/x'))).toThrow(
			/not a store this package knows/,
		);
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

	it('refuses Redis plainly, since it is not available yet', async () => {
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
