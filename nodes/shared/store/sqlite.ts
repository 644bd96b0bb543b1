/**
 * The default backend: one SQLite file shared by every n8n process on the
 * host (main and workers), through Node's built-in `node:sqlite`.
 *
 * Each method is either one SQL statement (atomic by itself) or runs in
 * BEGIN IMMEDIATE … COMMIT, so a read-then-write never interleaves with
 * another process's. The connection is synchronous, so within this process
 * a method also runs to completion before any other call starts.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite';

import {
	cloneJson,
	closedStoreError,
	deriveTimerState,
	mergeJson,
	missing,
	newTimer,
	resolveLimit,
} from './common';
import { timeOrderedId } from './ids';
import { migrate } from './migrations';
import { immediateTransaction } from './transaction';
import type {
	Act,
	ActFilter,
	ActPatch,
	ActStatus,
	ActUpdate,
	Actor,
	ActorKey,
	ClaimedTimer,
	CreateActInput,
	FiredTimer,
	JsonObject,
	JsonValue,
	Persona,
	PublishEventInput,
	PutTimerInput,
	ReadEventsOptions,
	Session,
	SessionKey,
	SessionPatch,
	SessionStatus,
	SessionStore,
	SettledAct,
	StoredEvent,
	Timer,
	TimerFilter,
	TimerFire,
	TimerFireOutcome,
	TimerState,
	UpsertActorInput,
	UpsertActorResult,
	UpsertSessionInput,
} from './types';

/** How long a writer waits for another process's transaction before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

type Row = Record<string, SQLOutputValue>;

/**
 * Loaded on first use rather than imported: n8n loads every node module at
 * start-up, and most installations never open the store.
 */
function loadSqlite(): typeof NodeSqlite {
	const sqlite: typeof NodeSqlite | undefined = process.getBuiltinModule('node:sqlite');
	if (sqlite === undefined) {
		throw new Error(
			`The session store needs Node's built-in node:sqlite, which Node ${process.version} does not provide without --experimental-sqlite; use Node 22.13 or newer`,
		);
	}
	return sqlite;
}

const SQLITE_BUSY = 5;

/** node:sqlite puts SQLite's (extended) result code on its errors as `errcode`. */
function isBusy(error: Error): boolean {
	return (
		'errcode' in error &&
		typeof error.errcode === 'number' &&
		(error.errcode & 0xff) === SQLITE_BUSY
	);
}

/** Blocks the thread; only used while opening, before the store serves any call. */
function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * WAL lets readers run while another process writes. The mode is stored in
 * the file, so only the first opener really switches it. That switch upgrades
 * a read lock to a write lock, which SQLite refuses at once (busy_timeout does
 * not apply) when another process is switching or migrating a fresh file at
 * the same moment, so it is retried here for as long as busy_timeout would wait.
 */
function switchToWal(db: DatabaseSync): void {
	const deadline = Date.now() + BUSY_TIMEOUT_MS;
	for (let attempt = 1; ; attempt++) {
		const failure = execOrError(db, 'PRAGMA journal_mode = WAL');
		if (failure === null) return;
		if (!isBusy(failure) || Date.now() >= deadline) throw failure;
		sleepSync(Math.min(5 * attempt, 50) + Math.random() * 5);
	}
}

function execOrError(db: DatabaseSync, sql: string): Error | null {
	try {
		db.exec(sql);
		return null;
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

function corrupt(column: string, value: SQLOutputValue | undefined): Error {
	return new Error(`Unexpected value in session store column "${column}": ${String(value)}`);
}

function text(row: Row, column: string): string {
	const value = row[column];
	if (typeof value !== 'string') throw corrupt(column, value);
	return value;
}

function textOrNull(row: Row, column: string): string | null {
	return row[column] === null ? null : text(row, column);
}

function int(row: Row, column: string): number {
	const value = row[column];
	if (typeof value !== 'number') throw corrupt(column, value);
	return value;
}

function intOrNull(row: Row, column: string): number | null {
	return row[column] === null ? null : int(row, column);
}

function json<T extends JsonValue>(row: Row, column: string): T {
	return JSON.parse(text(row, column)) as T;
}

const toPersona = (row: Row): Persona => ({
	id: text(row, 'id'),
	name: textOrNull(row, 'name'),
	metadata: json<JsonObject>(row, 'metadata'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

const toActor = (row: Row): Actor => ({
	id: text(row, 'id'),
	personaId: text(row, 'persona_id'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	externalId: text(row, 'external_id'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

const toSession = (row: Row): Session => ({
	id: text(row, 'id'),
	channel: text(row, 'channel'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	externalKey: text(row, 'external_key'),
	personaId: textOrNull(row, 'persona_id'),
	// The CHECK constraints in the schema keep these columns to the union's values.
	status: text(row, 'status') as SessionStatus,
	timeoutSeconds: intOrNull(row, 'timeout_seconds'),
	metadata: json<JsonObject>(row, 'metadata'),
	state: json<JsonObject>(row, 'state'),
	flags: JSON.parse(text(row, 'flags')) as Record<string, boolean>,
	version: int(row, 'version'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

const toAct = (row: Row): Act => ({
	id: text(row, 'id'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	commandIdn: text(row, 'command_idn'),
	arguments: json<JsonObject>(row, 'arguments'),
	personaId: textOrNull(row, 'persona_id'),
	status: text(row, 'status') as ActStatus,
	result: json<JsonValue>(row, 'result'),
	externalId: textOrNull(row, 'external_id'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

const toTimer = (row: Row): Timer => ({
	id: text(row, 'id'),
	personaId: text(row, 'persona_id'),
	timerName: text(row, 'timer_name'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	eventIdn: text(row, 'event_idn'),
	nextFireAt: intOrNull(row, 'next_fire_at'),
	intervalSeconds: intOrNull(row, 'interval_seconds'),
	repeatable: int(row, 'repeatable') === 1,
	enabled: int(row, 'enabled') === 1,
	state: text(row, 'state') as TimerState,
	fireCount: int(row, 'fire_count'),
	lastFiredAt: intOrNull(row, 'last_fired_at'),
	data: json<JsonObject>(row, 'data'),
	leaseUntil: intOrNull(row, 'lease_until'),
	createdAt: int(row, 'created_at'),
	updatedAt: int(row, 'updated_at'),
});

const toEvent = (row: Row): StoredEvent => ({
	seq: int(row, 'seq'),
	id: text(row, 'id'),
	type: text(row, 'type'),
	integrationIdn: text(row, 'integration_idn'),
	connectorIdn: text(row, 'connector_idn'),
	payload: json<JsonObject>(row, 'payload'),
	createdAt: int(row, 'created_at'),
});

/** SQLite has no boolean type; the schema stores 0/1. */
const bit = (value: boolean): number => (value ? 1 : 0);

/** `?, ?, ?` for an IN list of `count` values. */
const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** Turns `{column: value}` filters (undefined: no filter) into an ANDed WHERE clause. */
function whereEquals(filters: Record<string, string | undefined>): {
	sql: string;
	params: string[];
} {
	const clauses: string[] = [];
	const params: string[] = [];
	for (const [column, value] of Object.entries(filters)) {
		if (value === undefined) continue;
		clauses.push(`${column} = ?`);
		params.push(value);
	}
	return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

const TIMER_CLAIMABLE = `state = 'scheduled' AND enabled = 1 AND (lease_until IS NULL OR lease_until <= ?)`;

/** The order of the due-timer index: by next fire, then id (ASCII, so code-unit order is BINARY order). */
function compareDue(a: Timer, b: Timer): number {
	return (a.nextFireAt ?? 0) - (b.nextFireAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Rows per INSERT when timers are put in bulk (14 parameters each, well under SQLite's limit). */
const TIMER_INSERT_CHUNK = 50;
const TIMER_ROW_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, NULL, NULL, ?, ?)';

export class SqliteStore implements SessionStore {
	readonly backend = 'sqlite' as const;

	private db: DatabaseSync | null;
	private readonly statements = new Map<string, StatementSync>();

	/** Opens (creating it and its directory if needed) and migrates the store file at `path`. */
	constructor(readonly path: string) {
		mkdirSync(dirname(path), { recursive: true });
		const db = new (loadSqlite().DatabaseSync)(path);
		let ready = false;
		try {
			// Set first, so that every later statement (journal mode, migrations)
			// waits for other processes instead of failing at once.
			db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
			switchToWal(db);
			// With WAL, NORMAL still never corrupts the file; it only skips an fsync per commit.
			db.exec('PRAGMA synchronous = NORMAL');
			// Checkpoints (copying the WAL back into the file, with an fsync) stall
			// the commit that triggers them. Every 10,000 pages instead of 1,000
			// they stall ten times less often: bulk timer scheduling 3.1 s -> 2.6 s
			// and p99 fire lateness 61 -> 15 ms (npm run bench). The WAL file is
			// trimmed back to 64 MiB after each checkpoint.
			db.exec('PRAGMA wal_autocheckpoint = 10000');
			db.exec('PRAGMA journal_size_limit = 67108864');
			db.exec('PRAGMA foreign_keys = ON');
			migrate(db, path);
			ready = true;
		} finally {
			if (!ready) db.close();
		}
		this.db = db;
	}

	async upsertActor(input: UpsertActorInput): Promise<UpsertActorResult> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const existing = this.get(
				'SELECT * FROM actors WHERE integration_idn = ? AND connector_idn = ? AND external_id = ?',
				input.integrationIdn,
				input.connectorIdn,
				input.externalId,
			);
			if (existing) {
				const actor = toActor(existing);
				const persona = this.get('SELECT * FROM personas WHERE id = ?', actor.personaId);
				if (!persona)
					throw new Error(`Persona "${actor.personaId}" of actor "${actor.id}" is missing`);
				return { actor, persona: toPersona(persona), actorCreated: false, personaCreated: false };
			}
			const now = Date.now();
			let personaRow =
				input.personaId === undefined
					? undefined
					: this.get('SELECT * FROM personas WHERE id = ?', input.personaId);
			const personaCreated = personaRow === undefined;
			if (personaRow === undefined) {
				personaRow = this.returning(
					`INSERT INTO personas (id, name, metadata, created_at, updated_at) VALUES (?, ?, '{}', ?, ?) RETURNING *`,
					input.personaId ?? timeOrderedId(),
					input.personaName ?? null,
					now,
					now,
				);
			}
			const persona = toPersona(personaRow);
			const actor = toActor(
				this.returning(
					`INSERT INTO actors (id, persona_id, integration_idn, connector_idn, external_id, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
					timeOrderedId(),
					persona.id,
					input.integrationIdn,
					input.connectorIdn,
					input.externalId,
					now,
					now,
				),
			);
			return { actor, persona, actorCreated: true, personaCreated };
		});
	}

	async getActor(key: ActorKey): Promise<Actor | null> {
		this.open();
		const row = this.get(
			'SELECT * FROM actors WHERE integration_idn = ? AND connector_idn = ? AND external_id = ?',
			key.integrationIdn,
			key.connectorIdn,
			key.externalId,
		);
		return row ? toActor(row) : null;
	}

	async getPersona(id: string): Promise<Persona | null> {
		this.open();
		const row = this.get('SELECT * FROM personas WHERE id = ?', id);
		return row ? toPersona(row) : null;
	}

	async upsertSession(input: UpsertSessionInput): Promise<Session> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const row = this.findSessionRow(input);
			const now = Date.now();
			if (!row) {
				return toSession(
					this.returning(
						`INSERT INTO sessions (id, channel, integration_idn, connector_idn, external_key, persona_id, status,
							timeout_seconds, metadata, state, flags, version, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, '{}', 1, ?, ?) RETURNING *`,
						timeOrderedId(),
						input.channel,
						input.integrationIdn,
						input.connectorIdn,
						input.externalKey,
						input.personaId ?? null,
						input.timeoutSeconds ?? null,
						JSON.stringify(mergeJson({}, input.metadata)),
						JSON.stringify(mergeJson({}, input.state)),
						now,
						now,
					),
				);
			}
			const session = toSession(row);
			return this.writeSession({
				...session,
				personaId: input.personaId === undefined ? session.personaId : input.personaId,
				timeoutSeconds:
					input.timeoutSeconds === undefined ? session.timeoutSeconds : input.timeoutSeconds,
				status: input.reopen === true ? 'active' : session.status,
				metadata: mergeJson(session.metadata, input.metadata),
				state: mergeJson(session.state, input.state),
			});
		});
	}

	async getSession(id: string): Promise<Session | null> {
		this.open();
		const row = this.get('SELECT * FROM sessions WHERE id = ?', id);
		return row ? toSession(row) : null;
	}

	async findSession(key: SessionKey): Promise<Session | null> {
		this.open();
		const row = this.findSessionRow(key);
		return row ? toSession(row) : null;
	}

	async updateSession(id: string, patch: SessionPatch): Promise<Session> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const session = this.requireSession(id);
			return this.writeSession({
				...session,
				status: patch.status ?? session.status,
				personaId: patch.personaId === undefined ? session.personaId : patch.personaId,
				timeoutSeconds:
					patch.timeoutSeconds === undefined ? session.timeoutSeconds : patch.timeoutSeconds,
				metadata: mergeJson(session.metadata, patch.metadata),
				state: mergeJson(session.state, patch.state),
			});
		});
	}

	async compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const session = this.requireSession(id);
			if ((session.flags[flag] ?? false) !== expected) return false;
			this.writeSession({ ...session, flags: { ...session.flags, [flag]: next } });
			return true;
		});
	}

	async createAct(input: CreateActInput): Promise<Act> {
		this.open();
		return this.insertAct(input);
	}

	async createActs(inputs: CreateActInput[]): Promise<Act[]> {
		const db = this.open();
		if (inputs.length === 0) return [];
		return immediateTransaction(db, () => inputs.map((input) => this.insertAct(input)));
	}

	async updateAct(id: string, patch: ActPatch): Promise<Act> {
		this.open();
		// One statement, atomic on its own: no read first and no explicit
		// transaction, which cost more than the write itself.
		return this.patchAct(id, patch);
	}

	async updateActs(updates: ActUpdate[]): Promise<Act[]> {
		const db = this.open();
		if (updates.length === 0) return [];
		return immediateTransaction(db, () => updates.map(({ id, patch }) => this.patchAct(id, patch)));
	}

	async settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const act = this.requireAct(id);
			if (act.status !== expected) return null;
			return { act: this.writeAct(act, patch), event: this.appendEvent(event) };
		});
	}

	async getAct(id: string): Promise<Act | null> {
		this.open();
		const row = this.get('SELECT * FROM acts WHERE id = ?', id);
		return row ? toAct(row) : null;
	}

	async listActs(filter: ActFilter = {}): Promise<Act[]> {
		this.open();
		const limit = resolveLimit(filter.limit);
		const where = whereEquals({
			integration_idn: filter.integrationIdn,
			connector_idn: filter.connectorIdn,
			command_idn: filter.commandIdn,
			persona_id: filter.personaId,
			status: filter.status,
		});
		// rowid breaks ties between acts created in the same millisecond: later insert, newer act.
		return this.all(
			`SELECT * FROM acts ${where.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
			...where.params,
			limit,
		).map(toAct);
	}

	async putTimer(input: PutTimerInput): Promise<Timer> {
		const [timer] = await this.putTimers([input]);
		return timer;
	}

	async putTimers(inputs: PutTimerInput[]): Promise<Timer[]> {
		const db = this.open();
		if (inputs.length === 0) return [];
		return immediateTransaction(db, () => this.replaceTimers(inputs));
	}

	async getTimer(personaId: string, timerName: string): Promise<Timer | null> {
		this.open();
		const row = this.get(
			'SELECT * FROM timers WHERE persona_id = ? AND timer_name = ?',
			personaId,
			timerName,
		);
		return row ? toTimer(row) : null;
	}

	async listTimers(filter: TimerFilter = {}): Promise<Timer[]> {
		this.open();
		const limit = resolveLimit(filter.limit);
		const where = whereEquals({
			persona_id: filter.personaId,
			connector_idn: filter.connectorIdn,
			state: filter.state,
		});
		return this.all(
			`SELECT * FROM timers ${where.sql}
			ORDER BY next_fire_at IS NULL, next_fire_at, created_at, id LIMIT ?`,
			...where.params,
			limit,
		).map(toTimer);
	}

	async setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null> {
		const db = this.open();
		return immediateTransaction(db, () => {
			const row = this.get(
				'SELECT * FROM timers WHERE persona_id = ? AND timer_name = ?',
				personaId,
				timerName,
			);
			if (!row) return null;
			const schedule = nextFireAt === undefined ? toTimer(row).nextFireAt : nextFireAt;
			return toTimer(
				this.returning(
					'UPDATE timers SET enabled = ?, next_fire_at = ?, state = ?, updated_at = ? WHERE id = ? RETURNING *',
					bit(enabled),
					schedule,
					deriveTimerState(enabled, schedule),
					Date.now(),
					text(row, 'id'),
				),
			);
		});
	}

	async cancelTimer(personaId: string, timerName: string): Promise<boolean> {
		this.open();
		const { changes } = this.run(
			`UPDATE timers SET state = 'cancelled', next_fire_at = NULL, lease_token = NULL, lease_until = NULL,
				updated_at = ?
			WHERE persona_id = ? AND timer_name = ?`,
			Date.now(),
			personaId,
			timerName,
		);
		return Number(changes) > 0;
	}

	async nextDueAt(): Promise<number | null> {
		this.open();
		const row = this.get(
			`SELECT min(next_fire_at) AS due FROM timers WHERE ${TIMER_CLAIMABLE}`,
			Date.now(),
		);
		return row ? intOrNull(row, 'due') : null;
	}

	async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
		this.open();
		const max = resolveLimit(limit);
		// One statement for the whole batch (an UPDATE takes the write lock before
		// it reads), which costs a fraction of one per timer. randomblob is drawn
		// per row, so every claimed timer still gets its own lease token.
		const rows = this.all(
			`UPDATE timers SET lease_token = lower(hex(randomblob(16))), lease_until = ?, updated_at = ?
			WHERE id IN (
				SELECT id FROM timers WHERE ${TIMER_CLAIMABLE} AND next_fire_at <= ? ORDER BY next_fire_at, id LIMIT ?
			)
			RETURNING *`,
			now + leaseMs,
			Date.now(),
			now,
			now,
			max,
		);
		// RETURNING has no order; claims come in the order they fall due.
		return rows
			.map((row) => ({ timer: toTimer(row), leaseToken: text(row, 'lease_token') }))
			.sort((a, b) => compareDue(a.timer, b.timer));
	}

	async completeTimerFire(
		timerId: string,
		leaseToken: string,
		outcome: TimerFireOutcome,
	): Promise<Timer | null> {
		const db = this.open();
		return immediateTransaction(db, () => this.recordFire(timerId, leaseToken, outcome));
	}

	async fireTimer(
		timerId: string,
		leaseToken: string,
		outcome: TimerFireOutcome,
		event: PublishEventInput,
	): Promise<FiredTimer | null> {
		const [fired] = await this.fireTimers([{ timerId, leaseToken, outcome, event }]);
		return fired;
	}

	async fireTimers(fires: TimerFire[]): Promise<Array<FiredTimer | null>> {
		const db = this.open();
		if (fires.length === 0) return [];
		return immediateTransaction(db, () =>
			fires.map(({ timerId, leaseToken, outcome, event }) => {
				const timer = this.recordFire(timerId, leaseToken, outcome);
				return timer === null ? null : { timer, event: this.appendEvent(event) };
			}),
		);
	}

	async publishEvent(input: PublishEventInput): Promise<StoredEvent> {
		this.open();
		return this.appendEvent(input);
	}

	async readEvents(consumerId: string, options: ReadEventsOptions = {}): Promise<StoredEvent[]> {
		const db = this.open();
		const limit = resolveLimit(options.limit);
		let position = this.consumerPosition(consumerId);
		if (position === null) {
			// An unknown consumer starts at 0 so it receives everything still
			// stored: events published before its trigger existed wait for it.
			const now = Date.now();
			position = immediateTransaction(db, () => {
				this.run(
					'INSERT OR IGNORE INTO event_consumers (id, position, created_at, updated_at) VALUES (?, 0, ?, ?)',
					consumerId,
					now,
					now,
				);
				return this.consumerPosition(consumerId) ?? 0;
			});
		}
		const types =
			options.types === undefined ? '' : `AND type IN (${placeholders(options.types.length)})`;
		return this.all(
			`SELECT * FROM events WHERE seq > ? ${types} ORDER BY seq LIMIT ?`,
			position,
			...(options.types ?? []),
			limit,
		).map(toEvent);
	}

	async ackEvents(consumerId: string, seq: number): Promise<void> {
		this.open();
		const now = Date.now();
		this.run(
			`INSERT INTO event_consumers (id, position, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET position = max(position, excluded.position), updated_at = excluded.updated_at`,
			consumerId,
			seq,
			now,
			now,
		);
	}

	async registerConsumer(consumerId: string, fromSeq?: number): Promise<void> {
		this.open();
		const now = Date.now();
		// sqlite_sequence holds the last seq AUTOINCREMENT handed out, even when
		// pruning has deleted that event: the true "newest so far".
		this.run(
			`INSERT OR IGNORE INTO event_consumers (id, position, created_at, updated_at)
			VALUES (?, coalesce(?, (SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), ?, ?)`,
			consumerId,
			fromSeq ?? null,
			now,
			now,
		);
	}

	async pruneEvents(olderThan: number): Promise<number> {
		this.open();
		return Number(this.run('DELETE FROM events WHERE created_at < ?', olderThan).changes);
	}

	async close(): Promise<void> {
		if (this.db === null) return;
		this.statements.clear();
		this.db.close();
		this.db = null;
	}

	private open(): DatabaseSync {
		if (this.db === null) throw closedStoreError('SQLite');
		return this.db;
	}

	private statement(sql: string): StatementSync {
		let statement = this.statements.get(sql);
		if (statement === undefined) {
			statement = this.open().prepare(sql);
			this.statements.set(sql, statement);
		}
		return statement;
	}

	private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
		return this.statement(sql).get(...params);
	}

	private all(sql: string, ...params: SQLInputValue[]): Row[] {
		return this.statement(sql).all(...params);
	}

	private run(sql: string, ...params: SQLInputValue[]): NodeSqlite.StatementResultingChanges {
		return this.statement(sql).run(...params);
	}

	/** For INSERT/UPDATE … RETURNING * that must produce a row. */
	private returning(sql: string, ...params: SQLInputValue[]): Row {
		const row = this.get(sql, ...params);
		if (!row) throw new Error('The session store wrote a row but SQLite returned none');
		return row;
	}

	private findSessionRow(key: SessionKey): Row | undefined {
		return this.get(
			'SELECT * FROM sessions WHERE channel = ? AND integration_idn = ? AND connector_idn = ? AND external_key = ?',
			key.channel,
			key.integrationIdn,
			key.connectorIdn,
			key.externalKey,
		);
	}

	private insertAct(input: CreateActInput): Act {
		const now = Date.now();
		return toAct(
			this.returning(
				`INSERT INTO acts (id, integration_idn, connector_idn, command_idn, arguments, persona_id, status, result,
					external_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
				timeOrderedId(),
				input.integrationIdn,
				input.connectorIdn,
				input.commandIdn,
				JSON.stringify(input.arguments),
				input.personaId ?? null,
				input.status ?? 'pending',
				JSON.stringify(input.result ?? null),
				input.externalId ?? null,
				now,
				now,
			),
		);
	}

	private patchAct(id: string, patch: ActPatch): Act {
		const row = this.get(
			`UPDATE acts SET status = COALESCE(?, status), result = COALESCE(?, result),
				external_id = CASE WHEN ? THEN ? ELSE external_id END, updated_at = ?
			WHERE id = ? RETURNING *`,
			patch.status ?? null,
			patch.result === undefined ? null : JSON.stringify(patch.result),
			patch.externalId === undefined ? 0 : 1,
			patch.externalId ?? null,
			Date.now(),
			id,
		);
		if (!row) throw missing('Act', id);
		return toAct(row);
	}

	private requireAct(id: string): Act {
		const row = this.get('SELECT * FROM acts WHERE id = ?', id);
		if (!row) throw missing('Act', id);
		return toAct(row);
	}

	private writeAct(act: Act, patch: ActPatch): Act {
		return toAct(
			this.returning(
				'UPDATE acts SET status = ?, result = ?, external_id = ?, updated_at = ? WHERE id = ? RETURNING *',
				patch.status ?? act.status,
				JSON.stringify(patch.result === undefined ? act.result : patch.result),
				patch.externalId === undefined ? act.externalId : patch.externalId,
				Date.now(),
				act.id,
			),
		);
	}

	private requireSession(id: string): Session {
		const row = this.get('SELECT * FROM sessions WHERE id = ?', id);
		if (!row) throw missing('Session', id);
		return toSession(row);
	}

	/** Stores every mutable field of `session`, bumping its version. */
	private writeSession(session: Session): Session {
		return toSession(
			this.returning(
				`UPDATE sessions SET persona_id = ?, status = ?, timeout_seconds = ?, metadata = ?, state = ?, flags = ?,
					version = version + 1, updated_at = ?
				WHERE id = ? RETURNING *`,
				session.personaId,
				session.status,
				session.timeoutSeconds,
				JSON.stringify(session.metadata),
				JSON.stringify(session.state),
				JSON.stringify(session.flags),
				Date.now(),
				session.id,
			),
		);
	}

	/**
	 * The write of putTimers; the caller holds the transaction. As in
	 * appendEvent, the timer is assembled here rather than read back with
	 * RETURNING, which would double the cost of scheduling many timers.
	 */
	/**
	 * Inserts timers, replacing each persona's timer of the same name, with
	 * one multi-row INSERT OR REPLACE per chunk: the row delete and insert
	 * happen in the same statement, so a replacement gets a new id and no
	 * lease, and a scheduler still holding the old lease token can no longer
	 * complete it. Chunks spare bulk scheduling one statement run per timer.
	 */
	private replaceTimers(inputs: PutTimerInput[]): Timer[] {
		const now = Date.now();
		// Through JSON, so the caller gets what a reader of the row would.
		const timers = inputs.map((input) => newTimer(input, cloneJson(input.data ?? {}), now));
		for (let start = 0; start < timers.length; start += TIMER_INSERT_CHUNK) {
			const chunk = timers.slice(start, start + TIMER_INSERT_CHUNK);
			const params: SQLInputValue[] = [];
			for (const timer of chunk) {
				params.push(
					timer.id,
					timer.personaId,
					timer.timerName,
					timer.integrationIdn,
					timer.connectorIdn,
					timer.eventIdn,
					timer.nextFireAt,
					timer.intervalSeconds,
					bit(timer.repeatable),
					bit(timer.enabled),
					timer.state,
					JSON.stringify(timer.data),
					now,
					now,
				);
			}
			this.run(
				`INSERT OR REPLACE INTO timers (id, persona_id, timer_name, integration_idn, connector_idn, event_idn,
					next_fire_at, interval_seconds, repeatable, enabled, state, fire_count, last_fired_at, data, lease_token,
					lease_until, created_at, updated_at)
				VALUES ${chunk.map(() => TIMER_ROW_VALUES).join(', ')}`,
				...params,
			);
		}
		return timers;
	}

	/**
	 * The write of fireTimers and completeTimerFire: one statement that does
	 * nothing unless the lease token still holds.
	 */
	private recordFire(timerId: string, leaseToken: string, outcome: TimerFireOutcome): Timer | null {
		const row = this.get(
			`UPDATE timers SET fire_count = fire_count + 1, last_fired_at = ?, next_fire_at = ?,
				state = CASE WHEN enabled = 1 THEN ? ELSE ? END, lease_token = NULL, lease_until = NULL, updated_at = ?
			WHERE id = ? AND lease_token = ? RETURNING *`,
			outcome.firedAt,
			outcome.nextFireAt,
			// Both states come from the shared rule; the stored flag picks one, so a
			// timer disabled while it was firing stays disabled.
			deriveTimerState(true, outcome.nextFireAt),
			deriveTimerState(false, outcome.nextFireAt),
			Date.now(),
			timerId,
			leaseToken,
		);
		return row ? toTimer(row) : null;
	}

	/**
	 * One INSERT, atomic on its own or as part of the caller's transaction. The
	 * event is assembled here rather than read back with RETURNING, which costs
	 * as much again in node:sqlite; its seq is the rowid SQLite assigned.
	 */
	private appendEvent(input: PublishEventInput): StoredEvent {
		const id = timeOrderedId();
		const payload = JSON.stringify(input.payload);
		const createdAt = Date.now();
		const { lastInsertRowid } = this.run(
			`INSERT INTO events (id, type, integration_idn, connector_idn, payload, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			id,
			input.type,
			input.integrationIdn,
			input.connectorIdn,
			payload,
			createdAt,
		);
		return {
			seq: Number(lastInsertRowid),
			id,
			type: input.type,
			integrationIdn: input.integrationIdn,
			connectorIdn: input.connectorIdn,
			// Parsed from what was stored, so the caller gets what a reader would.
			payload: JSON.parse(payload) as JsonObject,
			createdAt,
		};
	}

	private consumerPosition(consumerId: string): number | null {
		const row = this.get('SELECT position FROM event_consumers WHERE id = ?', consumerId);
		return row ? int(row, 'position') : null;
	}
}
