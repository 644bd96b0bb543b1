/**
 * The backend for installations that outgrow one host: n8n's queue mode runs
 * the main instance, webhook processors and workers in separate containers,
 * which share PostgreSQL (n8n's own database) but no files. Chosen by a
 * `postgres://` AGENT_CONNECTORS_STORE, or by default when n8n itself runs
 * on PostgreSQL (index.ts); the tables live in a schema of their own.
 *
 * Atomicity comes from the database: each operation is one statement, or a
 * transaction that locks what it reads to change (FOR UPDATE); claims skip
 * rows another scheduler is taking (FOR UPDATE SKIP LOCKED); upserts settle
 * races (ON CONFLICT); the outbox hands out seqs in commit order
 * (postgres/outbox.ts). Writes are announced to other processes with
 * NOTIFY, and the process store LISTENs (postgres/changes.ts). Connections
 * and transactions are in postgres/connection.ts, the schema in
 * postgres/migrations.ts, the work of each role in postgres/<role>.ts; the
 * SQL shared with SQLite in sql/statements.ts.
 */

import { randomUUID } from 'node:crypto';

import { BackendStore } from './backend';
import { type StoreChange, withChangeSignals } from './changes';
import { closedStoreError } from './common';
import * as acts from './postgres/acts';
import { ChangeAnnouncer, ChangeListener } from './postgres/changes';
import type { PostgresTarget } from './postgres/config';
import { Database } from './postgres/connection';
import * as identities from './postgres/identities';
import * as listeners from './postgres/listeners';
import { migrate } from './postgres/migrations';
import * as outbox from './postgres/outbox';
import * as rates from './postgres/rates';
import * as retention from './postgres/retention';
import * as sessions from './postgres/sessions';
import * as timers from './postgres/timers';

export class PostgresStore extends BackendStore<Database> {
	readonly backend = 'postgres' as const;

	private db: Database | null;
	/** Tells this store's notifications from other stores'. */
	private readonly origin = randomUUID();
	private readonly announcer: ChangeAnnouncer;
	private readonly listeners = new Set<ChangeListener>();

	private constructor(db: Database) {
		super({
			...identities,
			...sessions,
			...acts,
			...timers,
			...outbox,
			...retention,
			...listeners,
			...rates,
		});
		this.db = db;
		this.announcer = new ChangeAnnouncer(db, this.origin);
	}

	/**
	 * Connects to `target` and creates or migrates its schema. The store
	 * announces its writes to every process listening on the schema.
	 */
	static async open(target: PostgresTarget): Promise<PostgresStore> {
		const db = await Database.connect(target);
		try {
			await migrate(db);
		} catch (error) {
			await db.close();
			throw db.failure('open', error);
		}
		db.keepReconnecting();
		const store = new PostgresStore(db);
		return withChangeSignals(store, (change) => store.announcer.announce(change));
	}

	/** Where the store is, for messages; never with the password. */
	get description(): string {
		return this.open().description;
	}

	/**
	 * Hears other processes' writes as they commit: calls `onChange` with the
	 * kind of each, and with every kind once whenever listening (re)starts.
	 * Resolves once listening, or once the first attempt failed (it goes on
	 * trying); the returned function stops it, as closing the store does.
	 */
	async watchChanges(onChange: (change: StoreChange) => void): Promise<() => Promise<void>> {
		const listener = new ChangeListener(this.open(), this.origin, onChange);
		this.listeners.add(listener);
		await listener.start();
		return async () => {
			this.listeners.delete(listener);
			await listener.stop();
		};
	}

	async close(): Promise<void> {
		const db = this.db;
		if (db === null) return;
		this.db = null;
		await Promise.all([...this.listeners].map((listener) => listener.stop()));
		this.listeners.clear();
		await this.announcer.settle();
		await db.close();
	}

	protected open(): Database {
		if (this.db === null) throw closedStoreError('PostgreSQL');
		return this.db;
	}
}
