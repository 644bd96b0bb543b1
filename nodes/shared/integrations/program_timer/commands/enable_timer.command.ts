import { setTimerEnabled, timerKeyCommand } from '../timerKey';

export const enableTimer = timerKeyCommand({
	commandIdn: 'enable_timer',
	displayName: 'Enable Timer',
	description: 'Arm a disabled timer again on its schedule',
	run: async (context, key) => await setTimerEnabled(context, key, true),
});
