/**
 * The session-metadata store: one async interface, several backends
 * (SQLite by default, memory for tests, Redis later for queue mode).
 *
 * Every method is a single atomic step in every backend, so callers never
 * need a transaction of their own: what must happen together (replace a timer
 * by name, claim a due timer, flip a session flag) is one method.
 * Timestamps are epoch milliseconds (numbers) so that ordering and
 * comparisons are the same in SQL, in memory and in Redis sorted sets.
 */

export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Persona {
	id: string;
	name: string | null;
	metadata: JsonObject;
	createdAt: number;
	updatedAt: number;
}

/** Links a persona to one identity on one connector, e.g. a phone number on an SMS connector. */
export interface Actor {
	id: string;
	personaId: string;
	integrationIdn: string;
	connectorIdn: string;
	externalId: string;
	createdAt: number;
	updatedAt: number;
}

export interface ActorKey {
	integrationIdn: string;
	connectorIdn: string;
	externalId: string;
}

export interface UpsertActorInput extends ActorKey {
	/**
	 * Attach to this persona when the actor is new (creating the persona with
	 * this id if there is none yet); ignored when the actor exists.
	 */
	personaId?: string;
	/** Name of a persona this call creates; never renames an existing one. */
	personaName?: string;
}

export interface UpsertActorResult {
	persona: Persona;
	actor: Actor;
	personaCreated: boolean;
	actorCreated: boolean;
}

export type SessionStatus = 'active' | 'ended';

export interface Session {
	id: string;
	/** e.g. 'sms', 'call', 'chat' */
	channel: string;
	integrationIdn: string;
	connectorIdn: string;
	/** The key the channel identifies a session by, e.g. `+1555…|+1666…` for SMS. */
	externalKey: string;
	personaId: string | null;
	status: SessionStatus;
	/** Seconds of silence after which the session times out; null: never. */
	timeoutSeconds: number | null;
	metadata: JsonObject;
	/** Per-session state variables (seed 003), kept verbatim. */
	state: JsonObject;
	/** Boolean flags set and cleared with compare-and-set (e.g. `botInProgress`). */
	flags: Record<string, boolean>;
	/** Incremented on every write; callers may use it for optimistic checks. */
	version: number;
	createdAt: number;
	updatedAt: number;
}

export interface SessionKey {
	channel: string;
	integrationIdn: string;
	connectorIdn: string;
	externalKey: string;
}

export interface UpsertSessionInput extends SessionKey {
	personaId?: string | null;
	timeoutSeconds?: number | null;
	/** Merged key by key into the stored metadata. */
	metadata?: JsonObject;
	/** Merged key by key into the stored state variables. */
	state?: JsonObject;
	/** Re-open an ended session (true) or leave its status alone (default). */
	reopen?: boolean;
}

/** Omitted fields are kept; metadata and state are merged key by key, as in upsertSession. */
export interface SessionPatch {
	status?: SessionStatus;
	personaId?: string | null;
	timeoutSeconds?: number | null;
	metadata?: JsonObject;
	state?: JsonObject;
}

export type ActStatus = 'pending' | 'sent' | 'completed' | 'failed';

/** One command sent, the equivalent of Newo's GetAct(). Never holds secrets. */
export interface Act {
	id: string;
	integrationIdn: string;
	connectorIdn: string;
	commandIdn: string;
	arguments: JsonObject;
	personaId: string | null;
	status: ActStatus;
	result: JsonValue;
	/** The id the remote side gave the act (call SID, message SID, session id …). */
	externalId: string | null;
	createdAt: number;
	updatedAt: number;
}

export interface CreateActInput {
	integrationIdn: string;
	connectorIdn: string;
	commandIdn: string;
	arguments: JsonObject;
	personaId?: string | null;
	status?: ActStatus;
	result?: JsonValue;
	externalId?: string | null;
}

export interface ActPatch {
	status?: ActStatus;
	result?: JsonValue;
	externalId?: string | null;
}

export interface ActUpdate {
	id: string;
	patch: ActPatch;
}

export interface ActFilter {
	integrationIdn?: string;
	connectorIdn?: string;
	commandIdn?: string;
	personaId?: string;
	status?: ActStatus;
	/** Newest first; default 100. */
	limit?: number;
}

export type TimerState = 'scheduled' | 'disabled' | 'done' | 'cancelled';

export interface Timer {
	id: string;
	personaId: string;
	timerName: string;
	integrationIdn: string;
	connectorIdn: string;
	eventIdn: string;
	/** Epoch ms of the next fire; null when nothing is due (disabled, done). */
	nextFireAt: number | null;
	/** Seconds between fires of a repeatable timer. */
	intervalSeconds: number | null;
	repeatable: boolean;
	enabled: boolean;
	state: TimerState;
	fireCount: number;
	lastFiredAt: number | null;
	/** Free data the caller keeps with the timer (e.g. the original arguments). */
	data: JsonObject;
	/** While claimed by a scheduler: until when the claim holds. */
	leaseUntil: number | null;
	createdAt: number;
	updatedAt: number;
}

export interface PutTimerInput {
	personaId: string;
	timerName: string;
	integrationIdn: string;
	connectorIdn: string;
	eventIdn: string;
	nextFireAt: number | null;
	intervalSeconds: number | null;
	repeatable: boolean;
	enabled: boolean;
	data?: JsonObject;
}

/** Ordered by nextFireAt (timers without one last), then createdAt; default limit 100. */
export interface TimerFilter {
	personaId?: string;
	connectorIdn?: string;
	state?: TimerState;
	limit?: number;
}

/** A timer handed to one scheduler; nobody else gets it until the lease ends. */
export interface ClaimedTimer {
	timer: Timer;
	/** Pass back to fireTimer / completeTimerFire so a stale claim cannot overwrite a newer one. */
	leaseToken: string;
}

export interface TimerFireOutcome {
	/** Next fire (repeatable) or null (one-shot: the timer becomes `done`). */
	nextFireAt: number | null;
	firedAt: number;
}

/** An entry in the outbox that trigger nodes consume. */
export interface StoredEvent {
	/** Monotonic per store: consumers read in this order. */
	seq: number;
	id: string;
	/** e.g. 'timer_fired', 'result_success', 'user_message' */
	type: string;
	integrationIdn: string;
	connectorIdn: string;
	payload: JsonObject;
	createdAt: number;
}

export interface PublishEventInput {
	type: string;
	integrationIdn: string;
	connectorIdn: string;
	payload: JsonObject;
}

/** One fire for fireTimers: the claim it completes, its outcome and the event it publishes. */
export interface TimerFire {
	timerId: string;
	leaseToken: string;
	outcome: TimerFireOutcome;
	event: PublishEventInput;
}

/** An act settled by settleAct, and the event that announces it. */
export interface SettledAct {
	act: Act;
	event: StoredEvent;
}

/** A fire recorded by fireTimer: the timer after it, and the event it appended. */
export interface FiredTimer {
	timer: Timer;
	event: StoredEvent;
}

export interface ReadEventsOptions {
	/** Only these event types; all when omitted. */
	types?: string[];
	limit?: number;
}

export interface SessionStore {
	readonly backend: 'sqlite' | 'memory' | 'redis';

	upsertActor(input: UpsertActorInput): Promise<UpsertActorResult>;
	getActor(key: ActorKey): Promise<Actor | null>;
	getPersona(id: string): Promise<Persona | null>;

	upsertSession(input: UpsertSessionInput): Promise<Session>;
	getSession(id: string): Promise<Session | null>;
	findSession(key: SessionKey): Promise<Session | null>;
	updateSession(id: string, patch: SessionPatch): Promise<Session>;
	/**
	 * Atomically sets `flag` to `next` only if it currently equals `expected`
	 * (an absent flag counts as false). Returns whether it was set.
	 */
	compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean>;

	createAct(input: CreateActInput): Promise<Act>;
	/** createAct for each input, as one atomic step (one commit for a node's whole batch of items). */
	createActs(inputs: CreateActInput[]): Promise<Act[]>;
	updateAct(id: string, patch: ActPatch): Promise<Act>;
	/** updateAct for each update, in order, as one atomic step; rejects (changing nothing) if any act is missing. */
	updateActs(updates: ActUpdate[]): Promise<Act[]>;
	getAct(id: string): Promise<Act | null>;
	listActs(filter?: ActFilter): Promise<Act[]>;
	/**
	 * Applies `patch` AND appends `event` in one atomic step, only if the act's
	 * status is still `expected`; otherwise changes nothing and returns null.
	 * How an act that finishes in the background (an async HTTP request) is
	 * settled exactly once, even when a sweeper in another process races the
	 * process that ran it.
	 */
	settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null>;

	/** Creates the timer, or atomically replaces the persona's timer of the same name. */
	putTimer(input: PutTimerInput): Promise<Timer>;
	/**
	 * putTimer for each input, in order, as one atomic step: far faster than
	 * one call each for many timers, since a SQLite commit costs more than the
	 * writes in it. A later input replaces an earlier one of the same name.
	 */
	putTimers(inputs: PutTimerInput[]): Promise<Timer[]>;
	getTimer(personaId: string, timerName: string): Promise<Timer | null>;
	listTimers(filter?: TimerFilter): Promise<Timer[]>;
	/**
	 * Enables / disables without changing the schedule; null when absent.
	 * Disabling keeps nextFireAt; enabling schedules at `nextFireAt` when
	 * given, else at the stored one, and marks the timer done if there is none.
	 */
	setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null>;
	/**
	 * Marks the timer cancelled and unschedules it; false when absent. An
	 * outstanding lease on it becomes stale.
	 */
	cancelTimer(personaId: string, timerName: string): Promise<boolean>;
	/** Epoch ms of the earliest scheduled, enabled, unclaimed fire (for the single wake-up). */
	nextDueAt(): Promise<number | null>;
	/**
	 * Claims up to `limit` enabled timers due at or before `now` whose lease is
	 * free or expired; each claimed timer is leased for `leaseMs`. Two
	 * schedulers never get the same timer while a lease holds.
	 */
	claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]>;
	/**
	 * Records a fire of a claimed timer: fireCount+1, lastFiredAt, the next
	 * schedule (or done), lease released. Returns null (and changes nothing)
	 * when the lease token is stale, e.g. the timer was replaced or cancelled
	 * meanwhile. A timer disabled while it fired stays disabled.
	 */
	completeTimerFire(
		timerId: string,
		leaseToken: string,
		outcome: TimerFireOutcome,
	): Promise<Timer | null>;
	/**
	 * Records a fire of a claimed timer AND appends its event to the outbox in one
	 * atomic step (same rules as completeTimerFire). Returns null and changes
	 * nothing when the lease token is stale.
	 */
	fireTimer(
		timerId: string,
		leaseToken: string,
		outcome: TimerFireOutcome,
		event: PublishEventInput,
	): Promise<FiredTimer | null>;
	/**
	 * fireTimer for each fire, in order, as one atomic step (one commit for a
	 * whole claimed batch); each result is null where that lease token is stale.
	 */
	fireTimers(fires: TimerFire[]): Promise<Array<FiredTimer | null>>;

	publishEvent(input: PublishEventInput): Promise<StoredEvent>;
	/**
	 * Events after the consumer's acknowledged position, oldest first (default
	 * limit 100). Does not move the position. An unknown consumer is
	 * registered at position 0, so it receives every event still stored.
	 */
	readEvents(consumerId: string, options?: ReadEventsOptions): Promise<StoredEvent[]>;
	/** Moves the consumer's position forward to `seq` (never backwards); registers an unknown consumer at `seq`. */
	ackEvents(consumerId: string, seq: number): Promise<void>;
	/**
	 * Registers a consumer starting after the current newest event, or after
	 * `fromSeq` (0: every stored event). Does nothing if the consumer exists.
	 */
	registerConsumer(consumerId: string, fromSeq?: number): Promise<void>;
	/** Drops events older than `olderThan` (epoch ms); returns how many. */
	pruneEvents(olderThan: number): Promise<number>;

	/** Releases the backend; every later call rejects. Closing again does nothing. */
	close(): Promise<void>;
}
