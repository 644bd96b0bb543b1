import { freePort, outputOf } from '../support/n8n';
import { startTwilioN8n, type TwilioN8n } from '../support/twilioE2e';
import {
	addContentTemplate,
	addMessagingService,
	addPhoneNumber,
	messagingServiceOf,
	phoneNumberOf,
} from '../support/twilioServer';
import { workflowFrom } from '../support/workflows';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const CREDENTIAL_ID = 'e2eTwilioSetup01';
const CREDENTIALS = { agentTwilioApi: { id: CREDENTIAL_ID, name: 'Twilio (e2e)' } };
const SUPPORT = '+16505550100';
const SALES = '+16505550111';
const FRONT_DESK = '+16505550122';
const NOTIFICATIONS = `MG${'0'.repeat(30)}10`;
const ORDER_SHIPPED = `HX${'0'.repeat(31)}1`;
const OLD = {
	sms: 'https://old.example.com/sms',
	voice: 'https://old.example.com/voice',
	status: 'https://old.example.com/status',
	inbound: 'https://old.example.com/inbound',
};

/** Waits until `done` holds: n8n (de)activates a workflow's webhooks after answering the editor. */
async function until(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

interface Picked {
	name: string;
	value: string;
	url?: string;
}

describe('Twilio pickers and automatic webhook setup in a real n8n', () => {
	let env: TwilioN8n;
	let webhookBase: string;

	beforeAll(async () => {
		const port = await freePort();
		webhookBase = `http://127.0.0.1:${port}/webhook`;
		env = await startTwilioN8n({
			accountSid: ACCOUNT_SID,
			authToken: 'dummy-auth-token-for-the-setup-test',
			credentialId: CREDENTIAL_ID,
			n8n: { port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } },
		});
		const { twilio } = env;
		addPhoneNumber(twilio, {
			phoneNumber: SUPPORT,
			friendlyName: 'Support line',
			smsUrl: OLD.sms,
			smsMethod: 'GET',
			voiceUrl: OLD.voice,
			statusCallback: OLD.status,
		});
		addPhoneNumber(twilio, {
			phoneNumber: SALES,
			friendlyName: 'Sales texts',
			capabilities: { voice: false, sms: true, mms: true, fax: false },
		});
		addPhoneNumber(twilio, {
			phoneNumber: FRONT_DESK,
			friendlyName: 'Front desk',
			capabilities: { voice: true, sms: false, mms: false, fax: false },
		});
		addMessagingService(twilio, {
			sid: NOTIFICATIONS,
			friendlyName: 'Notifications',
			inboundRequestUrl: OLD.inbound,
		});
		// More than a page of services: the picker pages through them.
		for (let index = 1; index <= 50; index++)
			addMessagingService(twilio, { friendlyName: `Campaign ${String(index).padStart(2, '0')}` });
		addContentTemplate(twilio, { sid: ORDER_SHIPPED, friendlyName: 'Order shipped' });
		addContentTemplate(twilio, { friendlyName: 'Appointment reminder' });
		await env.n8n.start();
		await env.n8n.setupOwner();
	});

	afterAll(async () => {
		await env?.n8n.dispose();
		await env?.twilio.close();
	});

	afterEach(() => expect(env.twilio.violations).toEqual([]));

	/** What the editor asks n8n when a picker opens or its search box changes. */
	const pick = async (
		node: 'sendSms' | 'makeCall' | 'smsTrigger',
		path: string,
		methodName: string,
		filter?: string,
		paginationToken?: string,
	): Promise<{ results: Picked[]; paginationToken?: string }> => {
		const response = await env.n8n.request(
			'/rest/dynamic-node-parameters/resource-locator-results',
			{
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					path,
					methodName,
					filter,
					paginationToken,
					nodeTypeAndVersion: { name: `n8n-nodes-agent-connectors.${node}`, version: 1 },
					currentNodeParameters: { connectorIdn: 'setup_e2e' },
					credentials: CREDENTIALS,
				}),
			},
		);
		expect(response.status).toBe(200);
		return ((await response.json()) as { data: { results: Picked[]; paginationToken?: string } })
			.data;
	};
	const names = (page: { results: Picked[] }) => page.results.map((result) => result.name);

	test("the pickers list the account's numbers, Messaging Services (a page at a time) and Content templates", async () => {
		const senders = await pick('sendSms', 'from', 'searchMessagingNumbers');
		expect(names(senders)).toEqual(['Support line (+16505550100)', 'Sales texts (+16505550111)']);
		expect(senders.results[1]).toEqual({
			name: 'Sales texts (+16505550111)',
			value: SALES,
			url: expect.stringMatching(/^https:\/\/console\.twilio\.com\/.*\/PN[0-9a-f]{32}\/configure$/),
		});
		expect(senders.paginationToken).toBeUndefined();
		expect(names(await pick('sendSms', 'from', 'searchMessagingNumbers', 'sales'))).toEqual([
			'Sales texts (+16505550111)',
		]);
		// Digits search Twilio for a part of the number.
		expect(names(await pick('makeCall', 'callerId', 'searchVoiceNumbers', '555 0122'))).toEqual([
			'Front desk (+16505550122)',
		]);
		expect(
			env.twilio
				.requestsFor('ListIncomingPhoneNumber')
				.map((request) => request.query.PhoneNumber)
				.filter(Boolean),
		).toEqual(['5550122']);
		expect(names(await pick('makeCall', 'callerId', 'searchVoiceNumbers'))).toEqual([
			'Support line (+16505550100)',
			'Front desk (+16505550122)',
		]);

		const firstPage = await pick('sendSms', 'messagingServiceSid', 'searchMessagingServices');
		expect(firstPage.results).toHaveLength(50);
		expect(firstPage.results[0]).toEqual({
			name: `Notifications (${NOTIFICATIONS})`,
			value: NOTIFICATIONS,
			url: `https://console.twilio.com/us1/develop/sms/services/${NOTIFICATIONS}`,
		});
		expect(firstPage.paginationToken).toBeDefined();
		const secondPage = await pick(
			'sendSms',
			'messagingServiceSid',
			'searchMessagingServices',
			undefined,
			firstPage.paginationToken,
		);
		expect(names(secondPage)).toEqual([expect.stringMatching(/^Campaign 50 \(MG[0-9a-f]{32}\)$/)]);
		expect(secondPage.paginationToken).toBeUndefined();
		// Twilio's next-page link names its own host; the page is asked of the credential's Base URL.
		expect(env.twilio.requestsTo('GET', '/v1/Services').map((request) => request.query)).toEqual([
			{ PageSize: '50' },
			{ PageSize: '50', Page: '1', PageToken: 'PT1' },
		]);
		expect(
			names(
				await pick('smsTrigger', 'setupMessagingServiceSid', 'searchMessagingServices', 'notif'),
			),
		).toEqual([`Notifications (${NOTIFICATIONS})`]);

		expect(await pick('sendSms', 'options.contentSid', 'searchContentTemplates', 'order')).toEqual({
			results: [{ name: `Order shipped (${ORDER_SHIPPED})`, value: ORDER_SHIPPED }],
		});
		expect(names(await pick('sendSms', 'options.contentSid', 'searchContentTemplates'))).toEqual([
			`Order shipped (${ORDER_SHIPPED})`,
			expect.stringMatching(/^Appointment reminder \(HX[0-9a-f]{32}\)$/),
		]);
	});

	test('picked values send like the plain strings an older workflow keeps in the same fields', async () => {
		env.twilio.clearRecords();
		const workflow = workflowFrom('twilio-pickers-send.json', {
			__TWILIO_CREDENTIAL__: CREDENTIAL_ID,
		});
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const messages = env.twilio.requestsFor('CreateMessage').map((request) => request.form);
		const message = {
			To: '+16507000001',
			From: SALES,
			MessagingServiceSid: NOTIFICATIONS,
			ContentSid: ORDER_SHIPPED,
			ContentVariables: '{"1":"Ana"}',
		};
		expect(messages).toEqual([expect.objectContaining(message), expect.objectContaining(message)]);
		for (const node of ['Send SMS (picked)', 'Send SMS (older workflow)'])
			expect(outputOf(execution, node)[0].json).toMatchObject({
				from: SALES,
				messagingServiceSid: NOTIFICATIONS,
			});

		const calls = env.twilio.requestsFor('CreateCall').map((request) => request.form);
		expect(calls.map(({ To, From }) => ({ To, From }))).toEqual(
			expect.arrayContaining([
				{ To: '+16507000002', From: FRONT_DESK },
				{ To: '+16507000003', From: SUPPORT },
			]),
		);
		expect(outputOf(execution, 'Make Call (picked)')[0].json).toMatchObject({ from: FRONT_DESK });
		expect(outputOf(execution, 'Make Call (older workflow)')[0].json).toMatchObject({
			from: SUPPORT,
		});
	});

	test("activation points the number and the Messaging Service at the triggers, deactivation puts the old webhooks back, but not over someone else's", async () => {
		const { n8n, twilio } = env;
		const workflowId = await n8n.importWorkflow(
			workflowFrom('twilio-setup-triggers.json', { __TWILIO_CREDENTIAL__: CREDENTIAL_ID }),
		);
		await n8n.activateRunning(workflowId);

		const support = phoneNumberOf(twilio, SUPPORT)!;
		const notifications = messagingServiceOf(twilio, NOTIFICATIONS)!;
		const pointedHere = {
			smsUrl: `${webhookBase}/setup-sms`,
			smsMethod: 'POST',
			voiceUrl: `${webhookBase}/setup-call`,
			voiceMethod: 'POST',
			statusCallback: `${webhookBase}/setup-call`,
			statusCallbackMethod: 'POST',
		};
		await until(
			() => support.updates.length === 2 && notifications.updates.length === 1,
			'the webhook setup on activation',
		);
		expect(support).toMatchObject(pointedHere);
		expect(notifications).toMatchObject({
			inboundRequestUrl: `${webhookBase}/setup-sms-service`,
			inboundMethod: 'POST',
		});
		// Each trigger changes only the fields it owns.
		expect(support.updates).toEqual(
			expect.arrayContaining([
				{ SmsUrl: pointedHere.smsUrl, SmsMethod: 'POST' },
				{
					VoiceUrl: pointedHere.voiceUrl,
					VoiceMethod: 'POST',
					StatusCallback: pointedHere.statusCallback,
					StatusCallbackMethod: 'POST',
				},
			]),
		);
		expect(n8n.log).toContain(
			`replaces the webhook of number ${SUPPORT}: it pointed at ${OLD.sms}; that URL is put back when the workflow is deactivated`,
		);

		// Someone points the service elsewhere while the workflow is active. n8n deactivates from the
		// workflow as its database holds it: what each trigger replaced comes back from there.
		notifications.inboundRequestUrl = 'https://someone-else.example.com/inbound';
		const response = await n8n.request(`/rest/workflows/${workflowId}/deactivate`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(200);
		await until(
			() =>
				support.updates.length === 4 && n8n.log.includes('left the webhook of Messaging Service'),
			'the webhooks put back on deactivation',
		);

		expect(support).toMatchObject({
			smsUrl: OLD.sms,
			smsMethod: 'GET',
			voiceUrl: OLD.voice,
			voiceMethod: 'POST',
			statusCallback: OLD.status,
			statusCallbackMethod: 'POST',
		});
		expect(notifications.inboundRequestUrl).toBe('https://someone-else.example.com/inbound');
		expect(notifications.updates).toHaveLength(1);
		expect(n8n.log).toContain(
			'left the webhook of Messaging Service Notifications alone: it points at https://someone-else.example.com/inbound now',
		);
	});
});
