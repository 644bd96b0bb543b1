/**
 * One of the processes that race on one store (see processes.ts). It
 * prints "ready" once loaded, then runs each scenario it is sent on stdin and
 * answers with its result; it exits when stdin closes.
 */

import { createInterface } from 'node:readline';

import { openStore } from '../../nodes/shared/store';
import type { SessionStore, Timer, TimerFire } from '../../nodes/shared/store/types';

import type { RaceCommand, ScenarioArgs, ScenarioName, ScenarioResults } from './processes';

type Scenarios = {
	[K in ScenarioName]: (store: SessionStore, args: ScenarioArgs[K]) => Promise<ScenarioResults[K]>;
};

/** A one-shot fire at `now`, with an event naming the timer. */
const oneShotFire = (timer: Timer, now: number): Pick<TimerFire, 'outcome' | 'event'> => ({
	outcome: { firedAt: now, nextFireAt: null },
	event: {
		type: 'timer_fired',
		integrationIdn: 'system',
		connectorIdn: 'timer',
		payload: { timerId: timer.id },
	},
});

const scenarios: Scenarios = {
	async open() {
		return 'opened';
	},

	async upsertActor(store, { keys }) {
		const results = [];
		for (let i = 0; i < keys; i++) {
			const result = await store.upsertActor({
				integrationIdn: 'twilio',
				connectorIdn: 'sms',
				externalId: `+1555${i}`,
			});
			results.push({
				actorId: result.actor.id,
				personaId: result.persona.id,
				actorCreated: result.actorCreated,
				personaCreated: result.personaCreated,
			});
		}
		return results;
	},

	async claimTimers(store, { batch }) {
		const claimed: string[] = [];
		for (;;) {
			const now = Date.now();
			const claims = await store.claimDueTimers(now, batch, 60_000);
			if (claims.length === 0) return claimed;
			for (const { timer, leaseToken } of claims) {
				const [fired] = await store.fireTimers([
					{ timerId: timer.id, leaseToken, ...oneShotFire(timer, now) },
				]);
				if (fired === null) throw new Error(`The lease on ${timer.id} was lost`);
				claimed.push(timer.id);
			}
		}
	},

	async fireDueTimers(store, { batch }) {
		const fired: string[] = [];
		for (;;) {
			const now = Date.now();
			const batchFired = await store.fireDueTimers(now, batch, (timer) => oneShotFire(timer, now));
			if (batchFired.length === 0) return fired;
			fired.push(...batchFired.map(({ timer }) => timer.id));
		}
	},

	async flagCas(store, { sessionIds }) {
		const won: boolean[] = [];
		for (const id of sessionIds)
			won.push(await store.compareAndSetSessionFlag(id, 'botInProgress', false, true));
		return won;
	},

	async lease(store, { sessionIds }) {
		const tokens: Array<string | null> = [];
		for (const id of sessionIds) {
			const lease = await store.acquireSessionLease(id, 'botInProgress', 60_000);
			tokens.push(lease?.token ?? null);
		}
		return tokens;
	},

	async publish(store, { count }) {
		const seqs: number[] = [];
		for (let i = 0; i < count; i++) {
			const event = await store.publishEvent({
				type: 'user_message',
				integrationIdn: 'twilio',
				connectorIdn: 'sms',
				payload: { pid: process.pid, i },
			});
			seqs.push(event.seq);
		}
		return seqs;
	},

	async readAll(store, { count, limit, withinMs }) {
		const seqs: number[] = [];
		const deadline = Date.now() + withinMs;
		while (seqs.length < count && Date.now() < deadline) {
			const events = await store.readEvents('reader', { limit, after: seqs.at(-1) });
			seqs.push(...events.map((event) => event.seq));
			if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
		}
		return seqs;
	},
};

/** One command per stdin line; one JSON reply per stdout line, in order. */
async function serve(): Promise<void> {
	process.stdout.write('ready\n');
	const lines = createInterface({ input: process.stdin });
	for await (const line of lines) {
		const command = JSON.parse(line) as RaceCommand;
		try {
			const result = await runScenario(command);
			process.stdout.write(`${JSON.stringify({ result })}\n`);
		} catch (error) {
			const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
			process.stdout.write(`${JSON.stringify({ error: message })}\n`);
		}
	}
}

/** Every command opens the store anew, so opening (and migrating) races too. */
async function runScenario({ location, scenario, args }: RaceCommand): Promise<unknown> {
	// The parent typed args by scenario when it built the command.
	const run = scenarios[scenario] as (store: SessionStore, args: unknown) => Promise<unknown>;
	const store = await openStore(location);
	try {
		return await run(store, args);
	} finally {
		await store.close();
	}
}

void serve();
