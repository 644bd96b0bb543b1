import { setTimerCommand } from '../setTimerCommand';

export const setRepeatableTimer = setTimerCommand('set_repeatable_timer');
