import type { ServerResponse } from 'node:http';

import type {
	FunctionsBase,
	IHookFunctions,
	INodeProperties,
	IWebhookDescription,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { lazyModule } from '../../lazyModule';
import {
	registerWebhookListener,
	unregisterWebhookListener,
} from '../../triggers/connectorListener';
import { TWILIO_CREDENTIAL } from '../../transport/credentialTypes';
import { setUpTwilioWebhook, tearDownTwilioWebhook } from './webhookSetup';

type ValidateRequest = (
	authToken: string,
	signature: string,
	url: string,
	params: Record<string, unknown>,
) => boolean;
const webhooks = lazyModule<{ validateRequest: ValidateRequest }>('twilio/lib/webhooks/webhooks');

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * The token Twilio signs webhooks with: the account's Auth Token, which an
 * API-key credential keeps in a field of its own. Undefined when missing.
 */
export async function twilioWebhookAuthToken(
	functions: FunctionsBase,
): Promise<string | undefined> {
	try {
		const credential = await functions.getCredentials<{
			authType?: string;
			authToken?: string;
			webhookAuthToken?: string;
		}>(TWILIO_CREDENTIAL);
		const token =
			credential.authType === 'apiKey' ? credential.webhookAuthToken : credential.authToken;
		return token ? token : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks `X-Twilio-Signature` with the `twilio` package (HMAC over the public
 * URL and the sorted form fields), loaded on first use only.
 */
export function isSignedByTwilio(
	authToken: string,
	signature: string | undefined,
	url: string,
	params: Record<string, unknown>,
): boolean {
	if (signature === undefined || signature === '') return false;
	return webhooks().validateRequest(authToken, signature, url, params);
}

/**
 * The URL Twilio signed: the one it was given, i.e. n8n's public webhook URL
 * (or the node's Public URL option, behind a proxy) with the query it called.
 */
export function signedWebhookUrl(functions: IWebhookFunctions, publicUrl?: string): string {
	const base = publicUrl?.trim() || functions.getWebhookResourceUrl('default') || '';
	const requestUrl = functions.getRequestObject().url ?? '';
	const query = requestUrl.includes('?') ? requestUrl.slice(requestUrl.indexOf('?')) : '';
	return base.includes('?') ? base : `${base}${query}`;
}

export function answerTwiml(response: ServerResponse, twiml: string): void {
	response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
	response.end(twiml);
}

/**
 * Whether the request is Twilio's; when not, it has been answered 403 and
 * nothing may run. The form fields are what the signature covers.
 */
export async function acceptTwilioWebhook(
	functions: IWebhookFunctions,
	params: Record<string, unknown>,
	publicUrl?: string,
): Promise<boolean> {
	const response = functions.getResponseObject();
	const authToken = await twilioWebhookAuthToken(functions);
	const signature = functions.getRequestObject().headers[TWILIO_SIGNATURE_HEADER];
	const problem =
		authToken === undefined
			? 'The signature cannot be checked'
			: !isSignedByTwilio(
						authToken,
						typeof signature === 'string' ? signature : undefined,
						signedWebhookUrl(functions, publicUrl),
						params,
				  )
				? 'Invalid X-Twilio-Signature'
				: undefined;
	if (problem === undefined) return true;
	if (authToken === undefined) {
		functions.logger.warn(
			`${functions.getNode().name} refused a request: its Twilio credential has no Auth Token to check signatures with`,
		);
	}
	response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
	response.end(problem);
	return false;
}

/**
 * webhookMethods of a trigger Twilio calls. checkExists says false, so every
 * activation and test listener checks that signatures can be verified; the
 * URL is set in Twilio's console, by Make Call, or on activation when the
 * trigger sets up its number's webhook itself (webhookSetup.ts). An active trigger registers its URL under its connector, for
 * the commands on that connector (triggers/connectorListener.ts).
 */
export const twilioSignedWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return false;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			if ((await twilioWebhookAuthToken(this)) === undefined) {
				throw new NodeOperationError(
					this.getNode(),
					'The Twilio credential has no Auth Token to check X-Twilio-Signature with',
					{
						description:
							"With API key authentication, fill in the credential's 'Auth Token (for Webhook Signatures)'. Until then every request would be refused.",
					},
				);
			}
			await setUpTwilioWebhook(this);
			await registerWebhookListener(this);
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			await unregisterWebhookListener(this);
			await tearDownTwilioWebhook(this);
			return true;
		},
	},
};

/** The webhook of a Twilio trigger: Twilio POSTs to the node's Path and gets its answer from the node. */
export function twilioTriggerWebhooks(): IWebhookDescription[] {
	return [
		{
			name: 'default',
			httpMethod: 'POST',
			path: '={{$parameter["path"]}}',
			isFullPath: true,
			responseMode: 'onReceived',
		},
	];
}

/** The Path field of a Twilio trigger, with its own default. */
export function twilioWebhookPathProperty(
	defaultPath: string,
	placeholder: string,
): INodeProperties {
	return {
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: defaultPath,
		required: true,
		placeholder,
		description: 'The last part of the URL Twilio calls; every active workflow needs its own',
	};
}

/** The option every Twilio trigger has: the URL Twilio signs, when a proxy rewrites it. */
export const publicUrlOption: INodeProperties = {
	displayName: 'Public URL',
	name: 'publicUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/twilio',
	description:
		"The exact URL Twilio calls, when n8n sits behind a proxy that changes it (the signature covers the URL). Empty: n8n's webhook URL (set WEBHOOK_URL to n8n's public address).",
};

/**
 * A Twilio webhook's form fields and the node's options, once its signature
 * is verified; undefined when it was refused (answered 403, nothing may run).
 */
export async function receiveTwilioWebhook<Options extends { publicUrl?: string }>(
	functions: IWebhookFunctions,
): Promise<{ params: Record<string, unknown>; options: Options } | undefined> {
	const options = functions.getNodeParameter('options', {}) as Options;
	const params = functions.getBodyData() as Record<string, unknown>;
	return (await acceptTwilioWebhook(functions, params, options.publicUrl))
		? { params, options }
		: undefined;
}
