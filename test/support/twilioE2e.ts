/**
 * A real n8n with an Agent Connectors Twilio API credential aimed at a fresh
 * Twilio test server: what every Twilio end-to-end test and benchmark needs.
 */
import { N8nInstance, type N8nInstanceOptions } from './n8n';
import { TwilioServer, type TwilioServerOptions } from './twilioServer';

export interface TwilioN8nOptions extends TwilioServerOptions {
	credentialId: string;
	credentialName?: string;
	n8n?: N8nInstanceOptions;
}

export interface TwilioN8n {
	n8n: N8nInstance;
	twilio: TwilioServer;
}

export async function startTwilioN8n(options: TwilioN8nOptions): Promise<TwilioN8n> {
	const {
		credentialId,
		credentialName = 'Twilio (e2e)',
		n8n: n8nOptions,
		...serverOptions
	} = options;
	const twilio = await TwilioServer.start(serverOptions);
	const n8n = await N8nInstance.create(n8nOptions);
	await n8n.importCredentials([
		{
			id: credentialId,
			name: credentialName,
			type: 'agentTwilioApi',
			data: {
				accountSid: options.accountSid,
				authType: 'authToken',
				authToken: options.authToken,
				baseUrl: twilio.baseUrl,
			},
		},
	]);
	return { n8n, twilio };
}

/**
 * For a Jest `describe`: starts both before its tests, ends them after, and
 * fails every test that sent a request Twilio's OpenAPI spec refuses.
 * Read `n8n` and `twilio` from the returned object inside the tests.
 */
export function useTwilioN8n(options: TwilioN8nOptions): TwilioN8n {
	const current = {} as TwilioN8n;
	beforeAll(async () => {
		Object.assign(current, await startTwilioN8n(options));
	});
	afterAll(async () => {
		await current.n8n?.dispose();
		await current.twilio?.close();
	});
	afterEach(() => {
		expect(current.twilio.violations).toEqual([]);
	});
	return current;
}
