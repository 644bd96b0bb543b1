import { rateBounds, rateWait } from '../rules';
import type { RateTake } from '../types';
import type { MemoryState } from './state';

export function takeRateToken(
	state: MemoryState,
	take: RateTake,
	now: number = Date.now(),
): number {
	const { intervalMs, aheadMs } = rateBounds(take);
	const arrival = Math.max(state.rates.get(take.key) ?? now, now);
	if (arrival - now > aheadMs) return rateWait(arrival, aheadMs, now);
	state.rates.set(take.key, arrival + intervalMs);
	return 0;
}
