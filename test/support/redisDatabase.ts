/**
 * A Redis database (index 1–15) for one test file alone, so that n8n queues
 * of test runs happening at the same time on one machine never share jobs.
 * The claim is a key set with NX in the database itself; it expires on its
 * own, so a run that died cannot hold a database forever.
 */
import { randomUUID } from 'node:crypto';

import { RedisConnection } from './redis';

const LOCK_KEY = 'agent-connectors-e2e:claim';
/** Every key a test cluster makes starts with this (its Bull and n8n prefixes do). */
export const CLUSTER_NAME_PREFIX = 'agent-connectors-e2e';
const CLAIM_SECONDS = 2 * 60 * 60;

export interface ClaimedRedisDatabase {
	index: number;
	/** Empties the database (the claim goes with it), if the claim is still this one. */
	release(): Promise<void>;
}

/** Claims the first database that is free: unclaimed, and holding nothing but leftovers of an earlier test run. */
export async function claimRedisDatabase(): Promise<ClaimedRedisDatabase> {
	const token = randomUUID();
	const redis = await RedisConnection.open();
	try {
		// Index 0 is where everything else on the machine goes by default.
		for (let index = 1; index <= 15; index++) {
			await redis.command('SELECT', index);
			if ((await redis.command('SET', LOCK_KEY, token, 'NX', 'EX', CLAIM_SECONDS)) !== 'OK')
				continue;
			if (await holdsOnlyTestLeftovers(redis)) {
				await redis.command('FLUSHDB');
				await redis.command('SET', LOCK_KEY, token, 'EX', CLAIM_SECONDS);
				return { index, release: () => releaseDatabase(index, token) };
			}
			// Someone uses it without claiming it: leave it to them.
			await redis.command('DEL', LOCK_KEY);
		}
	} finally {
		await redis.close();
	}
	throw new Error('No free Redis database among 1–15 for the queue-mode tests');
}

async function holdsOnlyTestLeftovers(redis: RedisConnection): Promise<boolean> {
	const keys = (await redis.command('KEYS', '*')) as string[];
	return keys.every((key) => key === LOCK_KEY || key.startsWith(CLUSTER_NAME_PREFIX));
}

async function releaseDatabase(index: number, token: string): Promise<void> {
	const redis = await RedisConnection.open();
	try {
		await redis.command('SELECT', index);
		if ((await redis.command('GET', LOCK_KEY)) === token) await redis.command('FLUSHDB');
	} finally {
		await redis.close();
	}
}
