/**
 * Wake-ups across processes and hosts. Every write that ../changes.ts
 * signals within a process is also announced with NOTIFY on the schema's
 * channel, and the process store LISTENs on it: a timer set on a worker
 * re-aims the main instance's engine at once, an event published by a webhook
 * processor drains the triggers, a call turn answered on a worker reaches the
 * webhook processor holding the call. Polling stays as the fallback, so a
 * notification lost (a dropped connection, a process that died between its
 * commit and its NOTIFY) only costs a poll's delay, never a write.
 */

import type * as Pg from 'pg';

import { STORE_CHANGES, type StoreChange } from '../changes';
import { backoffMs, type Database } from './connection';

declare module 'pg' {
	interface ClientBase {
		/** pg's Client has it (socket.unref()); its type definitions leave it out. */
		unref?(): void;
	}
}

/** One channel per schema: stores in other schemas of the database do not wake each other. */
export const channelOf = (schema: string): string => `${schema}_changes`;

/** `<change>[,<change>…] <origin>`: what changed, and which store wrote it. */
function payloadOf(changes: Iterable<StoreChange>, origin: string): string {
	return `${[...changes].join(',')} ${origin}`;
}

function changesIn(payload: string, ownOrigin: string): StoreChange[] {
	const [list = '', origin] = payload.split(' ');
	if (origin === ownOrigin) return [];
	return STORE_CHANGES.filter((change) => list.split(',').includes(change));
}

/**
 * Announces a store's writes. A burst of writes (a Set Timer run putting
 * timers in batches) becomes one NOTIFY per kind, sent after the event loop
 * turns, and never more than one at a time.
 */
export class ChangeAnnouncer {
	private readonly pending = new Set<StoreChange>();
	private sending: Promise<void> | undefined;

	constructor(
		private readonly db: Database,
		private readonly origin: string,
	) {}

	announce(change: StoreChange): void {
		this.pending.add(change);
		this.sending ??= this.send();
	}

	/** Waits for what is being announced, so the store can close its connections after it. */
	async settle(): Promise<void> {
		await this.sending;
	}

	private async send(): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
		while (this.pending.size > 0) {
			const changes = [...this.pending];
			this.pending.clear();
			try {
				await this.db.notify(channelOf(this.db.target.schema), payloadOf(changes, this.origin));
			} catch {
				// Listeners find the write at their next poll.
			}
		}
		this.sending = undefined;
	}
}

/**
 * LISTENs on a connection of its own (a pooled one would go back to the pool
 * and stop hearing). When that connection drops, it connects again with
 * backoff, and once listening again reports every kind of change once:
 * what was written meanwhile went unheard, so everything waiting looks again.
 * Notifications from its own store are left out: the process signals those
 * itself, as it writes them.
 */
export class ChangeListener {
	private client: Pg.Client | undefined;
	private retry: NodeJS.Timeout | undefined;
	private attempt = 0;
	private stopped = false;

	constructor(
		private readonly db: Database,
		private readonly origin: string,
		private readonly onChange: (change: StoreChange) => void,
	) {}

	/** Resolves once listening, or once the first attempt failed (it goes on trying). */
	async start(): Promise<void> {
		await this.connect();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.retry);
		const client = this.client;
		this.client = undefined;
		await client?.end().catch(() => undefined);
	}

	private async connect(): Promise<void> {
		this.retry = undefined;
		if (this.stopped) return;
		const client = this.db.newClient();
		let lost = false;
		const onLost = () => {
			if (lost) return;
			lost = true;
			if (this.client === client) this.client = undefined;
			client.end().catch(() => undefined);
			this.reconnectLater();
		};
		client.on('error', onLost);
		client.on('end', onLost);
		client.on('notification', (message) => this.heard(message));
		try {
			await client.connect();
			await client.query(`LISTEN ${this.db.pg.escapeIdentifier(channelOf(this.db.target.schema))}`);
		} catch {
			onLost();
			return;
		}
		if (lost) return;
		if (this.stopped) {
			await client.end().catch(() => undefined);
			return;
		}
		// Listening must never be why n8n (or a test, or the copy command) does not exit.
		client.unref?.();
		this.client = client;
		this.attempt = 0;
		for (const change of STORE_CHANGES) this.report(change);
	}

	private reconnectLater(): void {
		if (this.stopped || this.retry !== undefined) return;
		this.attempt += 1;
		this.retry = setTimeout(() => void this.connect(), backoffMs(this.attempt));
		this.retry.unref();
	}

	private heard(message: Pg.Notification): void {
		if (message.channel !== channelOf(this.db.target.schema)) return;
		for (const change of changesIn(message.payload ?? '', this.origin)) this.report(change);
	}

	private report(change: StoreChange): void {
		try {
			this.onChange(change);
		} catch {
			// The listener's failure is its own; listening goes on.
		}
	}
}
