import type { IDataObject, IHookFunctions, INode } from 'n8n-workflow';

import {
	setUpTwilioWebhook,
	tearDownTwilioWebhook,
} from '../../nodes/shared/integrations/twilio/webhookSetup';
import { fakeRequestHelper } from '../support/fakeRequestHelper';
import { addPhoneNumber, phoneNumberOf, TwilioServer } from '../support/twilioServer';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'dummy-auth-token-for-setup-units';
const NUMBER = '+16505550100';
const OTHER_NUMBER = '+16505550199';
const HERE = 'https://n8n.example.com/webhook/sms';
const OLD = 'https://old.example.com/sms';

interface Host {
	functions: IHookFunctions;
	/** The node's webhook data, as n8n keeps it between activation and deactivation. */
	data: IDataObject;
	logs: string[];
}

describe('automatic webhook setup of the SMS Trigger', () => {
	let twilio: TwilioServer;
	let baseUrl: string;

	beforeEach(async () => {
		twilio = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
		baseUrl = twilio.baseUrl;
	});

	afterEach(async () => {
		await twilio.close();
	});

	/** An SMS Trigger's hook functions: its parameters, its mode, one webhook data kept across calls. */
	function smsTrigger(
		parameters: Record<string, unknown>,
		mode: 'trigger' | 'manual' = 'trigger',
		data: IDataObject = {},
	): Host {
		const logs: string[] = [];
		const credentials = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl };
		const node: INode = {
			id: 'sms-node',
			name: 'SMS Trigger',
			type: 'n8n-nodes-agent-connectors.smsTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const all: Record<string, unknown> = {
			autoSetup: true,
			setupTarget: 'number',
			setupPhoneNumber: { __rl: true, mode: 'list', value: NUMBER },
			...parameters,
		};
		const log = (message: string) => logs.push(message);
		const functions = {
			getNode: () => node,
			getMode: () => mode,
			getNodeParameter: (name: string, fallback?: unknown) => all[name] ?? fallback,
			getNodeWebhookUrl: () => HERE,
			getWorkflowStaticData: () => data,
			getCredentials: async () => credentials,
			helpers: { httpRequestWithAuthentication: fakeRequestHelper(credentials) },
			logger: { info: log, warn: log, error: log },
		} as unknown as IHookFunctions;
		return { functions, data, logs };
	}

	test('the test listener and a trigger with the setup off change nothing at Twilio', async () => {
		addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: OLD });
		await setUpTwilioWebhook(smsTrigger({}, 'manual').functions);
		await setUpTwilioWebhook(smsTrigger({ autoSetup: false }).functions);
		await tearDownTwilioWebhook(smsTrigger({}, 'manual', { twilioWebhookSetup: {} }).functions);
		expect(twilio.requests).toEqual([]);
	});

	test('a number the account does not have fails the activation, naming the field, before anything changes', async () => {
		addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: OLD });
		const host = smsTrigger({ setupPhoneNumber: OTHER_NUMBER });
		await expect(setUpTwilioWebhook(host.functions)).rejects.toThrow(
			`Phone Number ${OTHER_NUMBER} is not a number of this Twilio account`,
		);
		await expect(
			setUpTwilioWebhook(smsTrigger({ setupPhoneNumber: { __rl: true, value: '' } }).functions),
		).rejects.toThrow('Phone Number is empty');
		expect(twilio.requestsFor('UpdateIncomingPhoneNumber')).toEqual([]);
		expect(host.data).toEqual({});
	});

	test('activating again with the number already pointing here keeps what it replaced the first time', async () => {
		const number = addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: OLD });
		const data: IDataObject = {};
		await setUpTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		await setUpTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		expect(number.updates).toEqual([{ SmsUrl: HERE, SmsMethod: 'POST' }]);
		await tearDownTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		expect(number).toMatchObject({ smsUrl: OLD, smsMethod: 'POST' });
		expect(data).toEqual({});
	});

	test('a number that pointed here before activation is left pointing here on deactivation', async () => {
		const number = addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: HERE });
		const host = smsTrigger({});
		await setUpTwilioWebhook(host.functions);
		await tearDownTwilioWebhook(smsTrigger({}, 'trigger', host.data).functions);
		expect(number.smsUrl).toBe(HERE);
		expect(number.updates).toHaveLength(1);
	});

	test('when the trigger now names another number, the earlier one is put back first', async () => {
		const first = addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: OLD });
		const second = addPhoneNumber(twilio, {
			phoneNumber: OTHER_NUMBER,
			smsUrl: 'https://second.example.com/sms',
		});
		const data: IDataObject = {};
		await setUpTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		await setUpTwilioWebhook(
			smsTrigger({ setupPhoneNumber: OTHER_NUMBER }, 'trigger', data).functions,
		);
		expect(first.smsUrl).toBe(OLD);
		expect(second.smsUrl).toBe(HERE);
		await tearDownTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		expect(phoneNumberOf(twilio, OTHER_NUMBER)?.smsUrl).toBe('https://second.example.com/sms');
	});

	test('a deactivation that cannot reach Twilio is logged and keeps the record for the next activation', async () => {
		const number = addPhoneNumber(twilio, { phoneNumber: NUMBER, smsUrl: OLD });
		const data: IDataObject = {};
		await setUpTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		twilio.inject({ path: '/IncomingPhoneNumbers/', status: 500 });
		const failing = smsTrigger({}, 'trigger', data);
		await expect(tearDownTwilioWebhook(failing.functions)).resolves.toBeUndefined();
		expect(failing.logs.join('\n')).toContain(
			`SMS Trigger could not put the webhook of number ${NUMBER} back`,
		);
		expect(number.smsUrl).toBe(HERE);
		await setUpTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		await tearDownTwilioWebhook(smsTrigger({}, 'trigger', data).functions);
		expect(number.smsUrl).toBe(OLD);
		expect(twilio.violations).toEqual([]);
	});
});
