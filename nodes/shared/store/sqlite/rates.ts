import { RATE_ARRIVAL_SQL, rateTakeParams, rateTakeSql } from '../sql/rates';
import { rateWait } from '../rules';
import type { RateTake } from '../types';
import type { Connection } from './connection';

const TAKE_SQL = rateTakeSql('max');

/** The take is one statement, atomic by itself; a refused one's read only says how long to wait. */
export function takeRateToken(conn: Connection, take: RateTake, now: number = Date.now()): number {
	const { params, aheadMs } = rateTakeParams(take, now);
	if (conn.get(TAKE_SQL, ...params) !== undefined) return 0;
	return rateWait(Number(conn.get(RATE_ARRIVAL_SQL, take.key)?.arrival ?? now), aheadMs, now);
}
