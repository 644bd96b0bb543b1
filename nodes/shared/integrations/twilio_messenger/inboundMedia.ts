/**
 * The SMS Trigger's Download Media option: an incoming message's files as
 * the item's binary data (media0, media1 …), each entry of smsMedia naming
 * its field. A file that cannot be fetched keeps its URL and says why; the
 * user's message still starts the workflow.
 */
import type { IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { downloadTwilioMedia } from '../twilio/media';

export async function downloadMedia(
	functions: IWebhookFunctions,
	item: JsonObject,
): Promise<IBinaryKeyData | undefined> {
	const media = Array.isArray(item.smsMedia) ? (item.smsMedia as JsonObject[]) : [];
	const binary: IBinaryKeyData = {};
	await Promise.all(
		media.map(async (entry, index) => {
			const url = String(entry.mediaURL);
			try {
				const file = await downloadTwilioMedia(functions, url);
				const field = `media${index}`;
				const fileName = new URL(url).pathname.split('/').pop() || field;
				binary[field] = await functions.helpers.prepareBinaryData(
					file.data,
					fileName,
					file.contentType ?? (entry.mediaContentType as string | null) ?? undefined,
				);
				entry.binaryPropertyName = field;
			} catch (error) {
				entry.downloadError = error instanceof Error ? error.message : String(error);
				functions.logger.warn(
					`${functions.getNode().name} could not download ${url}: ${entry.downloadError}`,
				);
			}
		}),
	);
	return Object.keys(binary).length === 0 ? undefined : binary;
}
