import { setTimerEnabled, timerKeyCommand } from '../timerKey';

export const disableTimer = timerKeyCommand({
	commandIdn: 'disable_timer',
	displayName: 'Disable Timer',
	description: 'Keep a timer with its schedule but stop it firing',
	run: async (context, key) => await setTimerEnabled(context, key, false),
});
