import type { CommandDefinition } from '../../../commands/types';
import { MESSENGER_INTEGRATION } from '../constants';
import { endSmsSessionId, findSmsSession, restartSessionTimeout, smsSessionKey } from '../session';
import {
	readSessionAddress,
	resolveParties,
	sessionAddressProperties,
	sessionOutcome,
	type SessionAddress,
	type WithConnector,
} from '../sessionArguments';

export const terminateSession: CommandDefinition<WithConnector<SessionAddress>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'terminate_session',
	aliases: ['terminateSession'],
	displayName: 'Terminate Session',
	description: "End the session; the user's next message starts a new one",
	properties: sessionAddressProperties,
	validate: (args, request) => ({
		connectorIdn: request.connectorIdn,
		input: readSessionAddress(args),
	}),
	async check(context, { connectorIdn, input }) {
		await resolveParties(context, connectorIdn, input);
	},
	async run(context, { connectorIdn, input }) {
		const parties = await resolveParties(context, connectorIdn, input);
		const session = await findSmsSession(context.store, parties);
		if (session === null) {
			return {
				status: 'completed',
				result: {
					terminated: false,
					reason: 'no active session',
					externalKey: smsSessionKey(parties).externalKey,
				},
			};
		}
		const ended = await context.store.updateSession(session.id, { status: 'ended' });
		await restartSessionTimeout(context.store, ended);
		await endSmsSessionId(context.store, ended);
		return sessionOutcome(ended, { terminated: true });
	},
};
