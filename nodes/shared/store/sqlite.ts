/**
 * The default backend: one SQLite file shared by every n8n process on the
 * host (main and workers), through Node's built-in `node:sqlite`.
 *
 * Each operation is either one SQL statement (atomic by itself) or runs in
 * BEGIN IMMEDIATE … COMMIT, so a read-then-write never interleaves with
 * another process's. The connection is synchronous, so within this process
 * an operation also runs to completion before any other call starts. Opening
 * and transactions are in sqlite/connection.ts, row decoding in
 * sqlite/rows.ts, the work of each role in sqlite/<role>.ts.
 */

import { BackendStore } from './backend';
import { closedStoreError } from './common';
import * as acts from './sqlite/acts';
import { Connection } from './sqlite/connection';
import * as identities from './sqlite/identities';
import * as listeners from './sqlite/listeners';
import * as outbox from './sqlite/outbox';
import * as rates from './sqlite/rates';
import * as retention from './sqlite/retention';
import * as sessions from './sqlite/sessions';
import * as timers from './sqlite/timers';

export class SqliteStore extends BackendStore<Connection> {
	readonly backend = 'sqlite' as const;

	private connection: Connection | null;

	/** Opens (creating it and its directory if needed) and migrates the store file at `path`. */
	constructor(readonly path: string) {
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
		this.connection = new Connection(path);
	}

	async close(): Promise<void> {
		this.connection?.close();
		this.connection = null;
	}

	protected open(): Connection {
		if (this.connection === null) throw closedStoreError('SQLite');
		return this.connection;
	}
}
