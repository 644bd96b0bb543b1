import type { CommandDefinition } from '../../../commands/types';
import { MESSENGER_INTEGRATION } from '../constants';
import { openSmsSession, restartSessionTimeout } from '../session';
import {
	parties,
	partyProperties,
	readParties,
	readTimeout,
	sessionOutcome,
	timeoutProperty,
	type PartiesInput,
	type WithConnector,
} from '../sessionArguments';

export const setSessionTimeout: CommandDefinition<
	WithConnector<PartiesInput & { timeoutSeconds: number | null }>
> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'set_session_timeout',
	displayName: 'Set Session Timeout',
	description: 'After this many silent seconds the SMS Trigger gets smsResponseTimeout',
	properties: [...partyProperties, timeoutProperty],
	validate(args, request) {
		return {
			connectorIdn: request.connectorIdn,
			input: { ...readParties(args), timeoutSeconds: readTimeout(args, 'count', true) ?? null },
		};
	},
	async run(context, { connectorIdn, input }) {
		const { session } = await openSmsSession(context.store, parties({ connectorIdn }, input), {
			timeoutSeconds: input.timeoutSeconds,
		});
		await restartSessionTimeout(context.store, session);
		return sessionOutcome(session);
	},
};
