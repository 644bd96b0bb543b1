import { timerKeyCommand } from '../timerKey';
import { timerOutcome } from '../timerOutput';

export const getTimer = timerKeyCommand({
	commandIdn: 'get_timer',
	displayName: 'Get Timer',
	description: 'Read a timer: its next fire, fire count and state',
	run: async ({ store, timezone }, key) =>
		timerOutcome(await store.getTimer(key.personaId, key.timerName), timezone),
});
