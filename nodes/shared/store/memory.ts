/**
 * The in-process backend, for unit tests and `AGENT_CONNECTORS_STORE=memory:`.
 * Every operation runs synchronously to completion before its promise
 * settles, which makes each one atomic within the process just like a SQLite
 * transaction. The work of each role is in memory/<role>.ts.
 */

import { BackendStore } from './backend';
import { closedStoreError } from './common';
import * as acts from './memory/acts';
import * as identities from './memory/identities';
import * as listeners from './memory/listeners';
import * as outbox from './memory/outbox';
import * as rates from './memory/rates';
import * as retention from './memory/retention';
import * as sessions from './memory/sessions';
import { MemoryState } from './memory/state';
import * as timers from './memory/timers';

export class MemoryStore extends BackendStore<MemoryState> {
	readonly backend = 'memory' as const;

	private state: MemoryState | null = new MemoryState();

	constructor() {
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
	}

	async close(): Promise<void> {
		this.state = null;
	}

	protected open(): MemoryState {
		if (this.state === null) throw closedStoreError('memory');
		return this.state;
	}
}
