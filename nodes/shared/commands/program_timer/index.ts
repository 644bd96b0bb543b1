import type { IntegrationDefinition } from '../types';
import { cancelTimer, disableTimer, enableTimer, getTimer, listTimers } from './manageTimer';
import { setRepeatableTimer, setTimer } from './setTimer';

export const programTimerIntegration: IntegrationDefinition = {
	integrationIdn: 'program_timer',
	displayName: 'Program Timer',
	description: 'Persistent per-persona timers that start Timer Trigger workflows when they fire',
	commands: [
		setTimer,
		setRepeatableTimer,
		cancelTimer,
		enableTimer,
		disableTimer,
		getTimer,
		listTimers,
	],
};
