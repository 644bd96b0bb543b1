/**
 * The session-metadata store: one async interface, several backends
 * (SQLite by default, PostgreSQL across hosts for queue mode, memory for tests).
 *
 * The interface is the union of one role per kind of record, each in its own
 * file under `contract/`: identities (personas, actors), sessions, acts,
 * timers, the outbox (events, consumers), retention, the connectors'
 * listeners (active triggers) and sending rates. This module re-exports them all,
 * so callers keep importing from `store/types`.
 *
 * Every method is a single atomic step in every backend, so callers never
 * need a transaction of their own: what must happen together (replace a timer
 * by name, claim a due timer, flip a session flag) is one method.
 * Timestamps are epoch milliseconds (numbers) so that ordering and
 * comparisons are the same in SQLite, PostgreSQL and memory.
 */

import type { ActsRole } from './contract/acts';
import type { IdentitiesRole } from './contract/identities';
import type { ListenersRole } from './contract/listeners';
import type { OutboxRole } from './contract/outbox';
import type { RatesRole } from './contract/rates';
import type { RetentionRole } from './contract/retention';
import type { SessionsRole } from './contract/sessions';
import type { TimersRole } from './contract/timers';

export type * from './contract/json';
export type * from './contract/identities';
export type * from './contract/sessions';
export type * from './contract/acts';
export type * from './contract/timers';
export type * from './contract/outbox';
export type * from './contract/retention';
export type * from './contract/listeners';
export type * from './contract/rates';

export interface SessionStore
	extends
		IdentitiesRole,
		SessionsRole,
		ActsRole,
		TimersRole,
		OutboxRole,
		RetentionRole,
		ListenersRole,
		RatesRole {
	readonly backend: 'sqlite' | 'postgres' | 'memory';

	/** Releases the backend; every later call rejects. Closing again does nothing. */
	close(): Promise<void>;
}
