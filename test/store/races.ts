/**
 * The contract across processes: several OS processes (processes.ts) race
 * on one store at the same moment, as n8n's main instance and workers do,
 * and every promise of the store still holds. Each backend that processes
 * share (SQLite on one host, PostgreSQL across hosts) runs this with its own
 * places; what only one backend can show goes in `backendTests`.
 */

import type { SessionStore, StoreLocation } from '../../nodes/shared/store';
import { ProcessPool } from './processes';

export const PROCESSES = 4;

/** A new, empty store: where the processes find it, and how this process opens it. */
export interface RacePlace {
	location: StoreLocation;
	open(): Promise<SessionStore>;
	/** The rows of a table, counted past the store. */
	count(table: string): Promise<number>;
}

export function describeRaces(
	name: string,
	fresh: () => RacePlace,
	backendTests: (pool: () => ProcessPool) => void = () => undefined,
): void {
	describe(`${name} with ${PROCESSES} processes on one store`, () => {
		let pool: ProcessPool;

		// Loading TypeScript in several processes at once takes seconds on a small machine.
		beforeAll(async () => {
			pool = await ProcessPool.start(PROCESSES);
		}, 30_000);

		afterAll(async () => {
			await pool.stop();
		});

		/** A fresh place, with what `work` writes there first. */
		async function seeded(work: (store: SessionStore) => Promise<void>): Promise<RacePlace> {
			const place = fresh();
			const store = await place.open();
			await work(store);
			await store.close();
			return place;
		}

		/** A place with `count` sessions; their ids, in order. */
		async function withSessions(count: number) {
			const sessionIds: string[] = [];
			const place = await seeded(async (store) => {
				for (let i = 0; i < count; i++) {
					const key = {
						channel: 'sms',
						integrationIdn: 'i',
						connectorIdn: 'c',
						externalKey: `k${i}`,
					};
					sessionIds.push((await store.upsertSession(key)).id);
				}
			});
			return { place, sessionIds };
		}

		backendTests(() => pool);

		it('racing upsertActor for the same keys creates one actor and one persona per key', async () => {
			const place = fresh();
			const keys = 25;
			const results = await pool.race(place.location, 'upsertActor', { keys });
			for (let key = 0; key < keys; key++) {
				const outcomes = results.map((perProcess) => perProcess[key]);
				expect(new Set(outcomes.map((o) => o.actorId)).size).toBe(1);
				expect(new Set(outcomes.map((o) => o.personaId)).size).toBe(1);
				expect(outcomes.filter((o) => o.actorCreated)).toHaveLength(1);
				expect(outcomes.filter((o) => o.personaCreated)).toHaveLength(1);
			}
			// No persona was left behind by a process that lost a race.
			await expect(place.count('actors')).resolves.toBe(keys);
			await expect(place.count('personas')).resolves.toBe(keys);
		});

		it.each(['claimTimers', 'fireDueTimers'] as const)(
			'racing %s hands every due timer to exactly one process, which fires it once',
			async (scenario) => {
				const timers = 200;
				const place = await seeded(async (store) => {
					const now = Date.now();
					await store.putTimers(
						Array.from({ length: timers }, (_, i) => ({
							personaId: `p${i % 10}`,
							timerName: `t${i}`,
							integrationIdn: 'system',
							connectorIdn: 'timer',
							eventIdn: 'due',
							nextFireAt: now - 1000 + i,
							intervalSeconds: null,
							repeatable: false,
							enabled: true,
						})),
					);
				});

				const claimed = (await pool.race(place.location, scenario, { batch: 5 })).flat();
				expect(claimed).toHaveLength(timers);
				expect(new Set(claimed).size).toBe(timers);

				const check = await place.open();
				const all = await check.listTimers({ limit: 1000 });
				expect(all.every((t) => t.state === 'done' && t.fireCount === 1)).toBe(true);
				await expect(check.readEvents('all', { limit: 1000 })).resolves.toHaveLength(timers);
				await check.close();
			},
		);

		it('racing compareAndSetSessionFlag(false → true) lets exactly one process win per session', async () => {
			const { place, sessionIds } = await withSessions(20);
			const results = await pool.race(place.location, 'flagCas', { sessionIds });
			sessionIds.forEach((_, i) => {
				expect(results.filter((won) => won[i])).toHaveLength(1);
			});
		});

		it("racing acquireSessionLease lets exactly one process take a session's lease, one per session", async () => {
			const { place, sessionIds } = await withSessions(20);

			// One session: every process goes for the same lease at once.
			const single = await pool.race(place.location, 'lease', {
				sessionIds: sessionIds.slice(0, 1),
			});
			expect(single.filter(([token]) => token !== null)).toHaveLength(1);

			// N sessions: N winners, one per session, and each holds the token it was given.
			const rest = sessionIds.slice(1);
			const results = await pool.race(place.location, 'lease', { sessionIds: rest });
			const check = await place.open();
			for (const [i, id] of rest.entries()) {
				const winners = results.map((tokens) => tokens[i]).filter((token) => token !== null);
				expect(winners).toHaveLength(1);
				await expect(
					check.releaseSessionLease(id, 'botInProgress', winners[0] ?? ''),
				).resolves.toBe(true);
			}
			await check.close();
		});

		it('racing publishEvent gives unique, gap-free seqs in publishing order', async () => {
			const place = fresh();
			const count = 50;
			const results = await pool.race(place.location, 'publish', { count });
			const seqs = results.flat().sort((a, b) => a - b);
			expect(seqs).toEqual(Array.from({ length: PROCESSES * count }, (_, i) => i + 1));
			for (const perProcess of results)
				expect(perProcess).toEqual([...perProcess].sort((a, b) => a - b));

			const check = await place.open();
			const events = await check.readEvents('all', { limit: 1000 });
			expect(events.map((e) => e.seq)).toEqual(seqs);
			await check.close();
		});

		it('a reader reading while the other processes publish gets every event once, in seq order, skipping none', async () => {
			// Opened first, so the reader does not race the publishers to create it.
			const place = await seeded(async () => undefined);
			const publishers = PROCESSES - 1;
			const count = 150;
			const reading = pool.run(0, place.location, 'readAll', {
				count: publishers * count,
				limit: 7,
				withinMs: 60_000,
			});
			await Promise.all(
				Array.from({ length: publishers }, (_, i) =>
					pool.run(i + 1, place.location, 'publish', { count }),
				),
			);
			await expect(reading).resolves.toEqual(
				Array.from({ length: publishers * count }, (_, i) => i + 1),
			);
		}, 60_000);
	});
}
