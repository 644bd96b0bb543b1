import type { CommandDefinition } from '../../../commands/types';
import { MESSENGER_INTEGRATION } from '../constants';
import { SMS_NO_INPUT_TURN_EVENT } from '../session';
import {
	readSessionAddress,
	requireSession,
	resolveParties,
	sessionAddressProperties,
	sessionOutcome,
	type SessionAddress,
	type WithConnector,
} from '../sessionArguments';

export const forceNoInputTurn: CommandDefinition<WithConnector<SessionAddress>> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'force_no_input_turn',
	aliases: ['smsActForceNoInputTurn'],
	displayName: 'Force No-Input Turn',
	description: 'The SMS Trigger gets a turn with text smsNoInputTurn, without the user writing',
	properties: sessionAddressProperties,
	validate: (args, request) => ({
		connectorIdn: request.connectorIdn,
		input: readSessionAddress(args),
	}),
	async check(context, { connectorIdn, input }) {
		await requireSession(context, await resolveParties(context, connectorIdn, input));
	},
	async run(context, { connectorIdn, input }) {
		const session = await requireSession(
			context,
			await resolveParties(context, connectorIdn, input),
		);
		await context.store.publishEvent({
			type: SMS_NO_INPUT_TURN_EVENT,
			integrationIdn: MESSENGER_INTEGRATION,
			connectorIdn,
			payload: { sessionId: session.id },
		});
		return sessionOutcome(session, { noInputTurn: true });
	},
};
