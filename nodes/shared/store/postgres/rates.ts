import { RATE_ARRIVAL_SQL, rateTakeParams, rateTakeSql } from '../sql/rates';
import { rateWait } from '../rules';
import type { RateTake } from '../types';
import type { Database } from './connection';

const TAKE_SQL = rateTakeSql('GREATEST');

/** A refused take reads the arrival time apart: it only says how long to wait, so no lock is needed. */
export async function takeRateToken(
	db: Database,
	take: RateTake,
	now: number = Date.now(),
): Promise<number> {
	const { params, aheadMs } = rateTakeParams(take, now);
	if ((await db.get(TAKE_SQL, ...params)) !== undefined) return 0;
	const row = await db.get(RATE_ARRIVAL_SQL, take.key);
	return rateWait(Number(row?.arrival ?? now), aheadMs, now);
}
