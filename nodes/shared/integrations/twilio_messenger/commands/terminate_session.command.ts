import type { CommandDefinition } from '../../../commands/types';
import { MESSENGER_INTEGRATION } from '../constants';
import { findSmsSession, restartSessionTimeout, smsSessionKey } from '../session';
import {
	parties,
	partyProperties,
	readParties,
	sessionOutcome,
	type PartiesInput,
	type WithConnector,
} from '../sessionArguments';

export const terminateSession: CommandDefinition<WithConnector<PartiesInput>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'terminate_session',
	displayName: 'Terminate Session',
	description: "End the session; the user's next message starts a new one",
	properties: partyProperties,
	validate: (args, request) => ({ connectorIdn: request.connectorIdn, input: readParties(args) }),
	async run(context, { connectorIdn, input }) {
		const session = await findSmsSession(context.store, parties({ connectorIdn }, input));
		if (session === null) {
			const key = smsSessionKey(parties({ connectorIdn }, input));
			return {
				status: 'completed',
				result: { terminated: false, reason: 'no active session', externalKey: key.externalKey },
			};
		}
		const ended = await context.store.updateSession(session.id, { status: 'ended' });
		await restartSessionTimeout(context.store, ended);
		return sessionOutcome(ended, { terminated: true });
	},
};
