import { setTimerCommand } from '../setTimerCommand';

export const setTimer = setTimerCommand('set_timer');
