/**
 * The one-item forms callers use, written once over the batch primitives each
 * backend implements, so that no backend can give them a meaning of its own.
 */

import type { PutTimerInput, Timer } from './types';

export abstract class StoreConveniences {
	abstract putTimers(inputs: PutTimerInput[]): Promise<Timer[]>;

	async putTimer(input: PutTimerInput): Promise<Timer> {
		const [timer] = await this.putTimers([input]);
		return timer;
	}
}
