import { timerKeyCommand } from '../timerKey';
import { timerOutcome } from '../timerOutput';

export const cancelTimer = timerKeyCommand({
	commandIdn: 'cancel_timer',
	displayName: 'Cancel Timer',
	description: 'Stop a timer for good; it stays listed as cancelled',
	async run({ store, timezone }, key) {
		await store.cancelTimer(key.personaId, key.timerName);
		return timerOutcome(await store.getTimer(key.personaId, key.timerName), timezone);
	},
});
