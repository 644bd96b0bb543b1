/**
 * The in-process backend, for unit tests and `AGENT_CONNECTORS_STORE=memory:`.
 * Every method runs synchronously to completion before its promise settles,
 * which makes each one atomic within the process just like a SQLite
 * transaction. Stored objects are copied in and out so callers can never
 * change the store by mutating what they passed or got back.
 */

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
	Persona,
	PublishEventInput,
	ReadEventsOptions,
	Session,
	SessionKey,
	SessionPatch,
	SessionStore,
	SettledAct,
	StoredEvent,
	Timer,
	TimerFilter,
	TimerFire,
	TimerFireOutcome,
	PutTimerInput,
	UpsertActorInput,
	UpsertActorResult,
	UpsertSessionInput,
} from './types';

interface TimerRecord {
	timer: Timer;
	leaseToken: string | null;
}

interface ActRecord {
	act: Act;
	/** Insertion order, the tie-break SQLite gets from rowid for acts created in the same millisecond. */
	order: number;
}

const keyOf = (...parts: string[]): string => JSON.stringify(parts);

const copyPersona = (p: Persona): Persona => ({ ...p, metadata: cloneJson(p.metadata) });
const copyActor = (a: Actor): Actor => ({ ...a });
const copySession = (s: Session): Session => ({
	...s,
	metadata: cloneJson(s.metadata),
	state: cloneJson(s.state),
	flags: { ...s.flags },
});
const copyAct = (a: Act): Act => ({
	...a,
	arguments: cloneJson(a.arguments),
	result: cloneJson(a.result),
});
const copyTimer = (t: Timer): Timer => ({ ...t, data: cloneJson(t.data) });
const copyEvent = (e: StoredEvent): StoredEvent => ({ ...e, payload: cloneJson(e.payload) });

export class MemoryStore implements SessionStore {
	readonly backend = 'memory' as const;

	private closed = false;
	private readonly personas = new Map<string, Persona>();
	/** By actor key. */
	private readonly actors = new Map<string, Actor>();
	private readonly sessions = new Map<string, Session>();
	private readonly sessionIdsByKey = new Map<string, string>();
	private readonly acts = new Map<string, ActRecord>();
	private actOrder = 0;
	/** By timer id; `timerIdsByName` finds the current timer of a persona by name. */
	private readonly timers = new Map<string, TimerRecord>();
	private readonly timerIdsByName = new Map<string, string>();
	/** Ascending by seq, because seqs are handed out in append order. */
	private events: StoredEvent[] = [];
	/** The last seq handed out; like SQLite AUTOINCREMENT it survives pruning. */
	private lastSeq = 0;
	private readonly consumers = new Map<string, number>();

	async upsertActor(input: UpsertActorInput): Promise<UpsertActorResult> {
		this.assertOpen();
		const key = keyOf(input.integrationIdn, input.connectorIdn, input.externalId);
		const existing = this.actors.get(key);
		if (existing) {
			return {
				actor: copyActor(existing),
				persona: copyPersona(this.requirePersona(existing.personaId)),
				personaCreated: false,
				actorCreated: false,
			};
		}
		const now = Date.now();
		let persona = input.personaId === undefined ? undefined : this.personas.get(input.personaId);
		const personaCreated = persona === undefined;
		if (persona === undefined) {
			persona = {
				id: input.personaId ?? timeOrderedId(),
				name: input.personaName ?? null,
				metadata: {},
				createdAt: now,
				updatedAt: now,
			};
			this.personas.set(persona.id, persona);
		}
		const actor: Actor = {
			id: timeOrderedId(),
			personaId: persona.id,
			integrationIdn: input.integrationIdn,
			connectorIdn: input.connectorIdn,
			externalId: input.externalId,
			createdAt: now,
			updatedAt: now,
		};
		this.actors.set(key, actor);
		return {
			actor: copyActor(actor),
			persona: copyPersona(persona),
			personaCreated,
			actorCreated: true,
		};
	}

	async getActor(key: ActorKey): Promise<Actor | null> {
		this.assertOpen();
		const actor = this.actors.get(keyOf(key.integrationIdn, key.connectorIdn, key.externalId));
		return actor ? copyActor(actor) : null;
	}

	async getPersona(id: string): Promise<Persona | null> {
		this.assertOpen();
		const persona = this.personas.get(id);
		return persona ? copyPersona(persona) : null;
	}

	async upsertSession(input: UpsertSessionInput): Promise<Session> {
		this.assertOpen();
		const key = keyOf(input.channel, input.integrationIdn, input.connectorIdn, input.externalKey);
		const id = this.sessionIdsByKey.get(key);
		const now = Date.now();
		if (id === undefined) {
			const session: Session = {
				id: timeOrderedId(),
				channel: input.channel,
				integrationIdn: input.integrationIdn,
				connectorIdn: input.connectorIdn,
				externalKey: input.externalKey,
				personaId: input.personaId ?? null,
				status: 'active',
				timeoutSeconds: input.timeoutSeconds ?? null,
				metadata: mergeJson({}, input.metadata),
				state: mergeJson({}, input.state),
				flags: {},
				version: 1,
				createdAt: now,
				updatedAt: now,
			};
			this.sessions.set(session.id, session);
			this.sessionIdsByKey.set(key, session.id);
			return copySession(session);
		}
		const session = this.requireSession(id);
		if (input.personaId !== undefined) session.personaId = input.personaId;
		if (input.timeoutSeconds !== undefined) session.timeoutSeconds = input.timeoutSeconds;
		if (input.reopen === true) session.status = 'active';
		session.metadata = mergeJson(session.metadata, input.metadata);
		session.state = mergeJson(session.state, input.state);
		session.version += 1;
		session.updatedAt = now;
		return copySession(session);
	}

	async getSession(id: string): Promise<Session | null> {
		this.assertOpen();
		const session = this.sessions.get(id);
		return session ? copySession(session) : null;
	}

	async findSession(key: SessionKey): Promise<Session | null> {
		this.assertOpen();
		const id = this.sessionIdsByKey.get(
			keyOf(key.channel, key.integrationIdn, key.connectorIdn, key.externalKey),
		);
		return id === undefined ? null : copySession(this.requireSession(id));
	}

	async updateSession(id: string, patch: SessionPatch): Promise<Session> {
		this.assertOpen();
		const session = this.requireSession(id);
		if (patch.status !== undefined) session.status = patch.status;
		if (patch.personaId !== undefined) session.personaId = patch.personaId;
		if (patch.timeoutSeconds !== undefined) session.timeoutSeconds = patch.timeoutSeconds;
		session.metadata = mergeJson(session.metadata, patch.metadata);
		session.state = mergeJson(session.state, patch.state);
		session.version += 1;
		session.updatedAt = Date.now();
		return copySession(session);
	}

	async compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean> {
		this.assertOpen();
		const session = this.requireSession(id);
		if ((session.flags[flag] ?? false) !== expected) return false;
		session.flags = { ...session.flags, [flag]: next };
		session.version += 1;
		session.updatedAt = Date.now();
		return true;
	}

	async createAct(input: CreateActInput): Promise<Act> {
		this.assertOpen();
		return this.storeAct(newAct(input));
	}

	async createActs(inputs: CreateActInput[]): Promise<Act[]> {
		this.assertOpen();
		// Built first: copying arguments is the step that can throw, and then none may be stored.
		return inputs.map(newAct).map((act) => this.storeAct(act));
	}

	async updateAct(id: string, patch: ActPatch): Promise<Act> {
		this.assertOpen();
		return this.writeAct(this.requireAct(id), patch);
	}

	async updateActs(updates: ActUpdate[]): Promise<Act[]> {
		this.assertOpen();
		// All found first: a missing act must leave every other one unchanged.
		const acts = updates.map(({ id }) => this.requireAct(id));
		return updates.map(({ patch }, index) => this.writeAct(acts[index], patch));
	}

	async settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null> {
		this.assertOpen();
		const act = this.requireAct(id);
		if (act.status !== expected) return null;
		// Built first: copying a payload is the one step that can throw, and it
		// must not leave the act settled without its event.
		const pending = newEvent(event);
		return { act: this.writeAct(act, patch), event: this.appendEvent(pending) };
	}

	async getAct(id: string): Promise<Act | null> {
		this.assertOpen();
		const record = this.acts.get(id);
		return record ? copyAct(record.act) : null;
	}

	async listActs(filter: ActFilter = {}): Promise<Act[]> {
		this.assertOpen();
		const limit = resolveLimit(filter.limit);
		return [...this.acts.values()]
			.filter(
				({ act }) =>
					(filter.integrationIdn === undefined || act.integrationIdn === filter.integrationIdn) &&
					(filter.connectorIdn === undefined || act.connectorIdn === filter.connectorIdn) &&
					(filter.commandIdn === undefined || act.commandIdn === filter.commandIdn) &&
					(filter.personaId === undefined || act.personaId === filter.personaId) &&
					(filter.status === undefined || act.status === filter.status),
			)
			.sort((a, b) => b.act.createdAt - a.act.createdAt || b.order - a.order)
			.slice(0, limit)
			.map(({ act }) => copyAct(act));
	}

	async putTimer(input: PutTimerInput): Promise<Timer> {
		const [timer] = await this.putTimers([input]);
		return timer;
	}

	async putTimers(inputs: PutTimerInput[]): Promise<Timer[]> {
		this.assertOpen();
		const data = inputs.map((input) => cloneJson(input.data ?? {}));
		return inputs.map((input, index) => this.storeTimer(input, data[index]));
	}

	async getTimer(personaId: string, timerName: string): Promise<Timer | null> {
		this.assertOpen();
		const record = this.findTimer(personaId, timerName);
		return record ? copyTimer(record.timer) : null;
	}

	async listTimers(filter: TimerFilter = {}): Promise<Timer[]> {
		this.assertOpen();
		const limit = resolveLimit(filter.limit);
		return [...this.timers.values()]
			.map(({ timer }) => timer)
			.filter(
				(t) =>
					(filter.personaId === undefined || t.personaId === filter.personaId) &&
					(filter.connectorIdn === undefined || t.connectorIdn === filter.connectorIdn) &&
					(filter.state === undefined || t.state === filter.state),
			)
			.sort(compareTimersForListing)
			.slice(0, limit)
			.map(copyTimer);
	}

	async setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null> {
		this.assertOpen();
		const record = this.findTimer(personaId, timerName);
		if (!record) return null;
		const { timer } = record;
		if (nextFireAt !== undefined) timer.nextFireAt = nextFireAt;
		timer.enabled = enabled;
		timer.state = deriveTimerState(enabled, timer.nextFireAt);
		timer.updatedAt = Date.now();
		return copyTimer(timer);
	}

	async cancelTimer(personaId: string, timerName: string): Promise<boolean> {
		this.assertOpen();
		const record = this.findTimer(personaId, timerName);
		if (!record) return false;
		record.timer.state = 'cancelled';
		record.timer.nextFireAt = null;
		record.timer.leaseUntil = null;
		record.timer.updatedAt = Date.now();
		record.leaseToken = null;
		return true;
	}

	async nextDueAt(): Promise<number | null> {
		this.assertOpen();
		const now = Date.now();
		let earliest: number | null = null;
		for (const { timer } of this.timers.values()) {
			if (!isClaimable(timer, now) || timer.nextFireAt === null) continue;
			if (earliest === null || timer.nextFireAt < earliest) earliest = timer.nextFireAt;
		}
		return earliest;
	}

	async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
		this.assertOpen();
		const max = resolveLimit(limit);
		const due = [...this.timers.values()]
			.filter(
				({ timer }) =>
					isClaimable(timer, now) && timer.nextFireAt !== null && timer.nextFireAt <= now,
			)
			.sort((a, b) => compareDue(a.timer, b.timer))
			.slice(0, max);
		return due.map((record) => {
			record.leaseToken = timeOrderedId();
			record.timer.leaseUntil = now + leaseMs;
			record.timer.updatedAt = Date.now();
			return { timer: copyTimer(record.timer), leaseToken: record.leaseToken };
		});
	}

	async completeTimerFire(
		timerId: string,
		leaseToken: string,
		outcome: TimerFireOutcome,
	): Promise<Timer | null> {
		this.assertOpen();
		return this.recordFire(timerId, leaseToken, outcome);
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
		this.assertOpen();
		// Built first: copying a payload is the one step that can throw, and it
		// must not leave a fire recorded without its event.
		const pending = fires.map((fire) => newEvent(fire.event));
		return fires.map(({ timerId, leaseToken, outcome }, index) => {
			const timer = this.recordFire(timerId, leaseToken, outcome);
			return timer === null ? null : { timer, event: this.appendEvent(pending[index]) };
		});
	}

	async publishEvent(input: PublishEventInput): Promise<StoredEvent> {
		this.assertOpen();
		return this.appendEvent(newEvent(input));
	}

	async readEvents(consumerId: string, options: ReadEventsOptions = {}): Promise<StoredEvent[]> {
		this.assertOpen();
		const limit = resolveLimit(options.limit);
		let position = this.consumers.get(consumerId);
		if (position === undefined) {
			position = 0;
			this.consumers.set(consumerId, position);
		}
		const after = position;
		const types = options.types === undefined ? undefined : new Set(options.types);
		const found: StoredEvent[] = [];
		for (const event of this.events) {
			if (found.length >= limit) break;
			if (event.seq > after && (types === undefined || types.has(event.type)))
				found.push(copyEvent(event));
		}
		return found;
	}

	async ackEvents(consumerId: string, seq: number): Promise<void> {
		this.assertOpen();
		this.consumers.set(consumerId, Math.max(this.consumers.get(consumerId) ?? seq, seq));
	}

	async registerConsumer(consumerId: string, fromSeq?: number): Promise<void> {
		this.assertOpen();
		if (!this.consumers.has(consumerId)) this.consumers.set(consumerId, fromSeq ?? this.lastSeq);
	}

	async pruneEvents(olderThan: number): Promise<number> {
		this.assertOpen();
		const before = this.events.length;
		this.events = this.events.filter((event) => event.createdAt >= olderThan);
		return before - this.events.length;
	}

	async close(): Promise<void> {
		this.closed = true;
	}

	private assertOpen(): void {
		if (this.closed) throw closedStoreError('memory');
	}

	private requirePersona(id: string): Persona {
		const persona = this.personas.get(id);
		if (!persona)
			throw new Error(`Persona "${id}" of an existing actor is missing from the memory store`);
		return persona;
	}

	private requireSession(id: string): Session {
		const session = this.sessions.get(id);
		if (!session) throw missing('Session', id);
		return session;
	}

	/** `data` is the caller's copy of input.data, made before anything changes because copying can throw. */
	private storeTimer(input: PutTimerInput, data: JsonObject): Timer {
		const nameKey = keyOf(input.personaId, input.timerName);
		const replacedId = this.timerIdsByName.get(nameKey);
		if (replacedId !== undefined) this.timers.delete(replacedId);
		const timer = newTimer(input, data, Date.now());
		this.timers.set(timer.id, { timer, leaseToken: null });
		this.timerIdsByName.set(nameKey, timer.id);
		return copyTimer(timer);
	}

	private recordFire(timerId: string, leaseToken: string, outcome: TimerFireOutcome): Timer | null {
		const record = this.timers.get(timerId);
		if (!record || record.leaseToken === null || record.leaseToken !== leaseToken) return null;
		const { timer } = record;
		timer.fireCount += 1;
		timer.lastFiredAt = outcome.firedAt;
		timer.nextFireAt = outcome.nextFireAt;
		timer.state = deriveTimerState(timer.enabled, outcome.nextFireAt);
		timer.leaseUntil = null;
		timer.updatedAt = Date.now();
		record.leaseToken = null;
		return copyTimer(timer);
	}

	private storeAct(act: Act): Act {
		this.acts.set(act.id, { act, order: this.actOrder++ });
		return copyAct(act);
	}

	private requireAct(id: string): Act {
		const record = this.acts.get(id);
		if (!record) throw missing('Act', id);
		return record.act;
	}

	private writeAct(act: Act, patch: ActPatch): Act {
		// Copied before anything changes: a payload that cannot be copied leaves the act as it was.
		const result = patch.result === undefined ? act.result : cloneJson(patch.result);
		if (patch.status !== undefined) act.status = patch.status;
		act.result = result;
		if (patch.externalId !== undefined) act.externalId = patch.externalId;
		act.updatedAt = Date.now();
		return copyAct(act);
	}

	private appendEvent(pending: PendingEvent): StoredEvent {
		const event: StoredEvent = { seq: ++this.lastSeq, ...pending };
		this.events.push(event);
		return copyEvent(event);
	}

	private findTimer(personaId: string, timerName: string): TimerRecord | undefined {
		const id = this.timerIdsByName.get(keyOf(personaId, timerName));
		return id === undefined ? undefined : this.timers.get(id);
	}
}

function newAct(input: CreateActInput): Act {
	const now = Date.now();
	return {
		id: timeOrderedId(),
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		commandIdn: input.commandIdn,
		arguments: cloneJson(input.arguments),
		personaId: input.personaId ?? null,
		status: input.status ?? 'pending',
		result: cloneJson(input.result ?? null),
		externalId: input.externalId ?? null,
		createdAt: now,
		updatedAt: now,
	};
}

/** An event before it gets its seq, i.e. before it is stored. */
type PendingEvent = Omit<StoredEvent, 'seq'>;

function newEvent(input: PublishEventInput): PendingEvent {
	return {
		id: timeOrderedId(),
		type: input.type,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		payload: cloneJson(input.payload),
		createdAt: Date.now(),
	};
}

/** Scheduled, enabled, and not under a lease that still holds at `now`. */
function isClaimable(timer: Timer, now: number): boolean {
	return (
		timer.state === 'scheduled' &&
		timer.enabled &&
		(timer.leaseUntil === null || timer.leaseUntil <= now)
	);
}

/** Same order as the SQL: by next fire, then id. */
function compareDue(a: Timer, b: Timer): number {
	return (a.nextFireAt ?? 0) - (b.nextFireAt ?? 0) || compareIds(a.id, b.id);
}

/** Same order as the SQL: scheduled fires first by time, unscheduled last, then by age and id. */
function compareTimersForListing(a: Timer, b: Timer): number {
	if (a.nextFireAt !== b.nextFireAt) {
		if (a.nextFireAt === null) return 1;
		if (b.nextFireAt === null) return -1;
		return a.nextFireAt - b.nextFireAt;
	}
	return a.createdAt - b.createdAt || compareIds(a.id, b.id);
}

/** Ids are ASCII UUIDs, so code-unit order equals SQLite's BINARY collation. */
function compareIds(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}
