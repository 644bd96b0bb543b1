import { jsonArgument } from '../../../commands/arguments';
import type { CommandDefinition } from '../../../commands/types';
import type { JsonValue } from '../../../store/types';
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

interface StartSessionInput extends PartiesInput {
	userData?: JsonValue;
	timeoutSeconds?: number | null;
}

export const startSession: CommandDefinition<WithConnector<StartSessionInput>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'start_session',
	displayName: 'Start Session',
	description:
		'Open an SMS session from your side, with user data every turn carries (smsUserData)',
	properties: [
		...partyProperties,
		{
			displayName: 'User Data (JSON)',
			name: 'userData',
			type: 'json',
			default: '{}',
			description: 'Passed verbatim with every turn of the session (smsUserData)',
		},
		// Optional here: a session may start without a timeout.
		{ ...timeoutProperty, default: 0, required: false },
	],
	validate(args, request) {
		const userData = jsonArgument(args, 'userData');
		return {
			connectorIdn: request.connectorIdn,
			input: { ...readParties(args), userData, timeoutSeconds: readTimeout(args, 'count', false) },
		};
	},
	async run(context, { connectorIdn, input }) {
		const { session, started } = await openSmsSession(
			context.store,
			parties({ connectorIdn }, input),
			{
				userData: input.userData,
				timeoutSeconds: input.timeoutSeconds,
			},
		);
		await restartSessionTimeout(context.store, session);
		return sessionOutcome(session, { started });
	},
};
