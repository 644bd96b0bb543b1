/** The built-in handler of each operation the stand-in keeps resources for. */
import { ACCOUNT_HANDLERS } from './account';
import { CALL_HANDLERS } from './calls';
import { CONFERENCE_LIFE_HANDLERS } from './conferenceLife';
import { CONFERENCE_HANDLERS } from './conferences';
import { CONVERSATION_HANDLERS } from './conversations';
import { MESSAGE_HANDLERS } from './messages';
import { NUMBER_HANDLERS } from './numbers';
import { TASKROUTER_HANDLERS } from './taskRouter';
import type { TwilioHandler } from './types';

export const DEFAULT_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	...ACCOUNT_HANDLERS,
	...CALL_HANDLERS,
	...MESSAGE_HANDLERS,
	...CONFERENCE_HANDLERS,
	...CONFERENCE_LIFE_HANDLERS,
	...CONVERSATION_HANDLERS,
	...NUMBER_HANDLERS,
	...TASKROUTER_HANDLERS,
};

/** The built-in handler of an operation, e.g. to put it back after `handle` replaced it. */
export function defaultTwilioHandler(operationId: string): TwilioHandler {
	const handler = DEFAULT_HANDLERS[operationId];
	if (handler === undefined)
		throw new Error(`The test server has no built-in handler for ${operationId}`);
	return handler;
}
