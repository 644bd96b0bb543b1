import type { IntegrationDefinition } from '../../commands/types';
import { cancelTimer } from './commands/cancel_timer.command';
import { disableTimer } from './commands/disable_timer.command';
import { enableTimer } from './commands/enable_timer.command';
import { getTimer } from './commands/get_timer.command';
import { listTimers } from './commands/list_timers.command';
import { setRepeatableTimer } from './commands/set_repeatable_timer.command';
import { setTimer } from './commands/set_timer.command';

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
