/** The Twilio Messaging request this integration makes, below the account root the transport owns. */
import type { JsonObject } from '../../store/types';
import { accountPath, type TwilioClient, type TwilioFormValue } from '../../transport/twilio';

export async function createMessage(
	client: TwilioClient,
	form: Record<string, TwilioFormValue>,
	pace?: () => Promise<void>,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: accountPath('/Messages.json'),
		form,
		beforeEachAttempt: pace,
	});
}
