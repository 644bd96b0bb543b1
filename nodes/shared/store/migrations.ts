/**
 * Versioned schema of the SQLite store (postgres/migrations.ts has
 * PostgreSQL's, with the same tables). The version a file is at lives in
 * `PRAGMA user_version`, which SQLite keeps in the file header and changes
 * transactionally together with the schema.
 *
 * Append new migrations at the end; never edit one that has shipped, since
 * files already at its version will not run it again.
 */

import type { DatabaseSync } from 'node:sqlite';

import { immediateTransaction } from './transaction';

export interface Migration {
	version: number;
	up: string[];
}

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		up: [
			`CREATE TABLE personas (
				id TEXT PRIMARY KEY,
				name TEXT,
				metadata TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			`CREATE TABLE actors (
				id TEXT PRIMARY KEY,
				persona_id TEXT NOT NULL REFERENCES personas (id),
				integration_idn TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				external_id TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			'CREATE UNIQUE INDEX actors_by_key ON actors (integration_idn, connector_idn, external_id)',
			'CREATE INDEX actors_by_persona ON actors (persona_id)',
			// Sessions, acts and timers name a persona without a foreign key: callers
			// may attach them to personas this store has not seen (yet).
			`CREATE TABLE sessions (
				id TEXT PRIMARY KEY,
				channel TEXT NOT NULL,
				integration_idn TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				external_key TEXT NOT NULL,
				persona_id TEXT,
				status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
				timeout_seconds INTEGER,
				metadata TEXT NOT NULL,
				state TEXT NOT NULL,
				flags TEXT NOT NULL,
				version INTEGER NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			'CREATE UNIQUE INDEX sessions_by_key ON sessions (channel, integration_idn, connector_idn, external_key)',
			`CREATE TABLE acts (
				id TEXT PRIMARY KEY,
				integration_idn TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				command_idn TEXT NOT NULL,
				arguments TEXT NOT NULL,
				persona_id TEXT,
				status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'completed', 'failed')),
				result TEXT NOT NULL,
				external_id TEXT,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			'CREATE INDEX acts_by_created_at ON acts (created_at)',
			'CREATE INDEX acts_by_persona ON acts (persona_id, created_at)',
			`CREATE TABLE timers (
				id TEXT PRIMARY KEY,
				persona_id TEXT NOT NULL,
				timer_name TEXT NOT NULL,
				integration_idn TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				event_idn TEXT NOT NULL,
				next_fire_at INTEGER,
				interval_seconds INTEGER,
				repeatable INTEGER NOT NULL,
				enabled INTEGER NOT NULL,
				state TEXT NOT NULL CHECK (state IN ('scheduled', 'disabled', 'done', 'cancelled')),
				fire_count INTEGER NOT NULL,
				last_fired_at INTEGER,
				data TEXT NOT NULL,
				lease_token TEXT,
				lease_until INTEGER,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			'CREATE UNIQUE INDEX timers_by_name ON timers (persona_id, timer_name)',
			// Partial: only timers that can fire are indexed, so the due lookup of the
			// scheduler stays small however many done or cancelled timers pile up.
			`CREATE INDEX timers_due ON timers (next_fire_at, id) WHERE state = 'scheduled' AND enabled = 1`,
			`CREATE TABLE events (
				seq INTEGER PRIMARY KEY AUTOINCREMENT,
				id TEXT NOT NULL UNIQUE,
				type TEXT NOT NULL,
				integration_idn TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				payload TEXT NOT NULL,
				created_at INTEGER NOT NULL
			)`,
			'CREATE INDEX events_by_created_at ON events (created_at)',
			`CREATE TABLE event_consumers (
				id TEXT PRIMARY KEY,
				position INTEGER NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
		],
	},
	{
		version: 2,
		up: [
			// Its own table rather than a column of sessions: a lease is taken with
			// one INSERT … ON CONFLICT … RETURNING, and taking it changes neither
			// the session's version nor its updated_at.
			`CREATE TABLE session_leases (
				session_id TEXT NOT NULL REFERENCES sessions (id),
				name TEXT NOT NULL,
				token TEXT NOT NULL,
				expires_at INTEGER NOT NULL,
				PRIMARY KEY (session_id, name)
			)`,
		],
	},
	{
		version: 3,
		up: [
			// Retention looks only for what it may remove; partial, so they stay small.
			`CREATE INDEX sessions_ended ON sessions (updated_at) WHERE status = 'ended'`,
			`CREATE INDEX timers_finished ON timers (updated_at) WHERE state IN ('done', 'cancelled')`,
			'CREATE INDEX sessions_by_persona ON sessions (persona_id)',
		],
	},
	{
		version: 4,
		up: [
			// Active triggers by connector (contract/listeners.ts): a handful of rows, renewed each minute.
			`CREATE TABLE connector_listeners (
				id TEXT PRIMARY KEY,
				kind TEXT NOT NULL,
				connector_idn TEXT NOT NULL,
				webhook_url TEXT,
				expires_at INTEGER NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			)`,
			'CREATE INDEX connector_listeners_by_connector ON connector_listeners (connector_idn, kind)',
		],
	},
	{
		version: 5,
		up: [
			// Sending paces (contract/rates.ts): one row per sender, its bucket's arrival time in epoch ms.
			`CREATE TABLE send_rates (
				key TEXT PRIMARY KEY,
				arrival REAL NOT NULL
			)`,
		],
	},
];

export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

function readVersion(db: DatabaseSync): number {
	const row = db.prepare('PRAGMA user_version').get();
	const version = row?.user_version;
	if (typeof version !== 'number')
		throw new Error('Could not read the schema version (PRAGMA user_version)');
	return version;
}

/**
 * A store at a schema version this code does not know is refused, and left
 * as it is: it belongs to a newer version of the package, whose data this one
 * would misread or damage. `instead` says what else the user may do.
 */
export function refuseNewer(
	version: number,
	known: number,
	location: string,
	instead = 'point AGENT_CONNECTORS_STORE at another file',
): void {
	if (version > known) {
		throw new Error(
			`The session store ${location} has schema version ${version}, newer than the ${known} this version of n8n-nodes-agent-connectors knows; upgrade the package or ${instead}`,
		);
	}
}

/** The newest version in `migrations` (0 for none). */
export function latestVersion(migrations: readonly Migration[]): number {
	return migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
}

/**
 * Brings the file up to the newest version in `migrations`. The check is
 * repeated under BEGIN IMMEDIATE, because another process may have migrated
 * the file between our first look and getting the write lock.
 * Returns the versions applied (empty when the file was already current).
 */
export function migrate(
	db: DatabaseSync,
	location: string,
	migrations: readonly Migration[] = MIGRATIONS,
): number[] {
	const latest = latestVersion(migrations);
	const before = readVersion(db);
	refuseNewer(before, latest, location);
	if (before === latest) return [];

	return immediateTransaction(db, () => {
		const current = readVersion(db);
		refuseNewer(current, latest, location);
		const applied: number[] = [];
		for (const migration of migrations) {
			if (migration.version <= current) continue;
			for (const statement of migration.up) db.exec(statement);
			// PRAGMA takes no bound parameters; the version is a number from our own list.
			db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
			applied.push(migration.version);
		}
		return applied;
	});
}
