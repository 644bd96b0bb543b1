/**
 * Media Twilio keeps for the account (an incoming MMS's files), fetched with
 * the Twilio credential: its auth, and its Base URL in place of
 * api.twilio.com. Any other host never gets the credential.
 */
import type { IN8nHttpFullResponse, IWebhookFunctions } from 'n8n-workflow';

import { TWILIO_CREDENTIAL } from '../../transport/credentialTypes';
import { TWILIO_DEFAULT_BASE_URL, twilioServiceUrl } from '../../transport/twilio';

export interface TwilioMediaFile {
	data: Buffer;
	contentType: string | null;
}

/** Where to fetch a media URL Twilio gave: on the credential's Base URL; undefined when it is not Twilio's. */
async function mediaLocation(
	functions: IWebhookFunctions,
	mediaUrl: string,
): Promise<string | undefined> {
	if (!URL.canParse(mediaUrl)) return undefined;
	const { baseUrl } = await functions.getCredentials<{ baseUrl?: string }>(TWILIO_CREDENTIAL);
	const api = twilioServiceUrl(baseUrl, 'api');
	const url = new URL(mediaUrl);
	if (url.origin === new URL(TWILIO_DEFAULT_BASE_URL).origin || url.origin === new URL(api).origin)
		return `${api}${url.pathname}${url.search}`;
	return undefined;
}

export async function downloadTwilioMedia(
	functions: IWebhookFunctions,
	mediaUrl: string,
): Promise<TwilioMediaFile> {
	const location = await mediaLocation(functions, mediaUrl);
	if (location === undefined)
		throw new Error(`${mediaUrl} is not on Twilio's API; it was not downloaded`);
	const response = (await functions.helpers.httpRequestWithAuthentication.call(
		functions,
		TWILIO_CREDENTIAL,
		{
			method: 'GET',
			url: location,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		},
	)) as IN8nHttpFullResponse;
	if (response.statusCode >= 400)
		throw new Error(`Twilio answered ${response.statusCode} for ${mediaUrl}`);
	const contentType = response.headers['content-type'];
	return {
		data: Buffer.from(response.body as ArrayBuffer),
		contentType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : null,
	};
}
