import type { Act, JsonObject } from '../../store/types';
import { createTwilioClient, type TwilioClient } from '../../transport/twilio';
import type { CommandContext } from '../../commands/types';

/**
 * Seed 000: whoever a call or a message goes to gets a persona and an actor
 * (of the act's integration and connector) if they have none yet. Returns
 * the fields a command's result reports about them.
 */
export async function recipientOf(
	context: CommandContext,
	act: Act,
	externalId: string,
): Promise<JsonObject> {
	const { persona, actor, personaCreated } = await context.store.upsertActor({
		integrationIdn: act.integrationIdn,
		connectorIdn: act.connectorIdn,
		externalId,
		personaId: act.personaId ?? undefined,
	});
	return { personaId: persona.id, actorId: actor.id, personaCreated };
}

/** Creates a Twilio resource addressed to `to` (a call, a message), then records its recipient. */
export async function createForRecipient(
	context: CommandContext,
	act: Act,
	to: string,
	create: (client: TwilioClient) => Promise<JsonObject>,
): Promise<{ created: JsonObject; recipient: JsonObject }> {
	const created = await create(await createTwilioClient(context.functions, context.itemIndex));
	return { created, recipient: await recipientOf(context, act, to) };
}
