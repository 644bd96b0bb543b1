/** The rates role's statements; SQLite and PostgreSQL differ only in the name of the two-value maximum. */

import { rateBounds } from '../rules';
import type { RateTake } from '../types';
import type { SqlValue } from './rows';

/**
 * Grants a take in one statement: a new key starts its bucket, an existing
 * one moves on by one interval only while its arrival time is close enough
 * to now (rules.ts rateBounds); no row comes back when refused.
 */
export function rateTakeSql(greatest: 'max' | 'GREATEST'): string {
	return `INSERT INTO send_rates (key, arrival) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET arrival = ${greatest}(send_rates.arrival, ?) + ?
	WHERE ${greatest}(send_rates.arrival, ?) <= ?
	RETURNING arrival`;
}

export const RATE_ARRIVAL_SQL = 'SELECT arrival FROM send_rates WHERE key = ?';

/** The take statement's values, and how far ahead a refused take's arrival time may be. */
export function rateTakeParams(
	take: RateTake,
	now: number,
): { params: SqlValue[]; aheadMs: number } {
	const { intervalMs, aheadMs } = rateBounds(take);
	return {
		params: [take.key, now + intervalMs, now, intervalMs, now, now + aheadMs],
		aheadMs,
	};
}
