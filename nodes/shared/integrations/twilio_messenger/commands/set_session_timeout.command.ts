import type { CommandDefinition } from '../../../commands/types';
import { MESSENGER_INTEGRATION } from '../constants';
import { openSmsSession, restartSessionTimeout } from '../session';
import {
	readSessionAddress,
	readTimeout,
	resolveParties,
	sessionAddressProperties,
	sessionOutcome,
	timeoutProperty,
	type SessionAddress,
	type WithConnector,
} from '../sessionArguments';

export const setSessionTimeout: CommandDefinition<
	WithConnector<{ address: SessionAddress; timeoutSeconds: number | null }>
> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'set_session_timeout',
	aliases: ['setSessionTimeoutCount'],
	displayName: 'Set Session Timeout',
	description: 'After this many silent seconds the SMS Trigger gets smsResponseTimeout',
	properties: [...sessionAddressProperties, timeoutProperty],
	validate(args, request) {
		return {
			connectorIdn: request.connectorIdn,
			input: {
				address: readSessionAddress(args),
				timeoutSeconds: readTimeout(args, 'count', true) ?? null,
			},
		};
	},
	async check(context, { connectorIdn, input }) {
		await resolveParties(context, connectorIdn, input.address);
	},
	async run(context, { connectorIdn, input }) {
		const parties = await resolveParties(context, connectorIdn, input.address);
		const { session } = await openSmsSession(context.store, parties, {
			timeoutSeconds: input.timeoutSeconds,
		});
		await restartSessionTimeout(context.store, session);
		return sessionOutcome(session);
	},
};
