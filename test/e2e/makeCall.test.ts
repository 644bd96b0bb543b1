import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { outputOf, type WorkflowJson } from '../support/n8n';
import { useTwilioN8n } from '../support/twilioE2e';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-the-test-server';
const CREDENTIAL_ID = 'e2eTwilioVoice01';

function workflowFrom(file: string, replacements: Record<string, string>): WorkflowJson {
	let text = readFileSync(join(__dirname, 'workflows', file), 'utf8');
	for (const [placeholder, value] of Object.entries(replacements)) text = text.split(placeholder).join(value);
	return JSON.parse(text) as WorkflowJson;
}

/** One Make Call node fed by a list of argument objects, Continue On Fail on: one item per case. */
function casesWorkflow(id: string, cases: Array<Record<string, unknown>>, commandIdn = 'make_call'): WorkflowJson {
	return {
		id,
		name: `E2E: Make Call cases ${id}`,
		nodes: [
			{ id: '8c1d2e3f-0002-4000-8000-000000000001', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '8c1d2e3f-0002-4000-8000-000000000002',
				name: 'Cases',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ cases }), options: {} },
			},
			{ id: '8c1d2e3f-0002-4000-8000-000000000003', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0], parameters: { fieldToSplitOut: 'cases', options: {} } },
			{
				id: '8c1d2e3f-0002-4000-8000-000000000004',
				name: 'Send Command',
				type: 'n8n-nodes-agent-connectors.sendCommand',
				typeVersion: 1,
				position: [660, 0],
				continueOnFail: true,
				parameters: {
					integrationIdn: 'twilio_voice',
					commandIdn,
					connectorIdn: 'voice_e2e',
					argumentsMode: 'json',
					argumentsJson: '={{ JSON.stringify($json) }}',
				},
				credentials: { agentTwilioApi: { id: CREDENTIAL_ID, name: 'Twilio (e2e)' } },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Cases', type: 'main', index: 0 }]] },
			Cases: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Send Command', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe('Make Call in a real n8n, against the Twilio test server', () => {
	const env = useTwilioN8n({ accountSid: ACCOUNT_SID, authToken: accountToken, credentialId: CREDENTIAL_ID });

	const callsCreated = () => env.twilio.requestsTo('POST', /\/Calls\.json$/).filter((request) => request.status === 201);

	test('a call with a greeting sends TwiML built by the twilio package; the queue variant enqueues a task; Send Command places the same call', async () => {
		const workflow = workflowFrom('make-call.json', { __TWILIO_CREDENTIAL__: CREDENTIAL_ID });
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const calls = callsCreated();
		expect(calls).toHaveLength(3);
		const [greeting, queued, viaCommand] = calls.map((request) => request.form);
		expect(greeting).toEqual({
			To: '+16507000001',
			From: '+16505550100',
			Twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" language="en-US">Hello &lt;Ana&gt; &amp; welcome</Say></Response>',
			Timeout: '30',
			Record: 'true',
			StatusCallback: 'https://example.com/status',
			StatusCallbackEvent: ['initiated', 'answered', 'completed'],
		});
		expect(queued.Twiml).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" language="en-US">Please hold for an agent</Say>' +
				'<Enqueue workflowSid="WW0123456789abcdef0123456789abcdef"><Task>{"type":"outbound","outbound_to":"+16507000002"}</Task></Enqueue></Response>',
		);
		expect(viaCommand).toEqual({
			To: '+16507000003',
			From: '+16505550100',
			Twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello, how can I assist you today?</Say></Response>',
		});

		const output = outputOf(execution, 'Make Call');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({ callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/), to: '+16507000001', personaCreated: true });
		const act = outputOf(execution, 'Send Command')[0].json;
		expect(act).toMatchObject({ integrationIdn: 'twilio_voice', commandIdn: 'make_call', status: 'sent', externalId: expect.stringMatching(/^CA/) });

		// The callee got a persona and an actor, and the act carries the call SID.
		const store = new SqliteStore(env.n8n.storePath);
		try {
			const actor = await store.getActor({ integrationIdn: 'twilio_voice', connectorIdn: 'voice_e2e', externalId: '+16507000001' });
			expect(actor?.personaId).toBe(output[0].json.personaId);
			const [recorded] = await store.listActs({ integrationIdn: 'twilio_voice', connectorIdn: 'voice_e2e', limit: 1 });
			expect(recorded.externalId).toMatch(/^CA[0-9a-f]{32}$/);
		} finally {
			await store.close();
		}
	});

	test('Hang Up completes an answered call and cancels a ringing one (also through Send Command stop_call); Get Call reads it', async () => {
		const ringing = env.twilio.addCall({ status: 'ringing', direction: 'outbound-api', startedAt: undefined });
		const workflow = workflowFrom('make-call-control.json', { __TWILIO_CREDENTIAL__: CREDENTIAL_ID, __RINGING_SID__: ringing.sid });
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const placed = outputOf(execution, 'Make Call')[0].json;
		const hungUp = outputOf(execution, 'Hang Up')[0].json;
		expect(hungUp).toMatchObject({ callSid: placed.callSid, requested: 'completed', status: 'completed' });
		expect(outputOf(execution, 'Get Call')[0].json).toMatchObject({ callSid: placed.callSid, status: 'completed', to: '+16507000021' });
		const hangUpRequests = env.twilio.requestsTo('POST', `/Calls/${String(placed.callSid)}.json`);
		expect(hangUpRequests.map((request) => request.form)).toEqual([{ Status: 'completed' }]);

		expect(outputOf(execution, 'Stop Ringing Call')[0].json).toMatchObject({
			commandIdn: 'stop_call',
			status: 'completed',
			result: expect.objectContaining({ requested: 'canceled', status: 'canceled' }),
		});
		expect(env.twilio.calls.get(ringing.sid)?.status).toBe('canceled');
	});

	test('Twilio answering 429 twice is retried with backoff: one call is placed', async () => {
		const before = callsCreated().length;
		const fault = env.twilio.inject({ method: 'POST', path: '/Calls.json', times: 2, status: 429 });
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(casesWorkflow('e2eMakeCall429001', [{ phoneNumber: '+16507000009', callerId: '+16505550100', greetingPhrase: 'Hi' }])),
		);
		expect(fault.hits).toBe(2);
		expect(outputOf(execution, 'Send Command')[0].json).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^CA/) });
		expect(callsCreated().length - before).toBe(1);
	});

	test('bad input names the field and the item, and nothing reaches Twilio', async () => {
		const before = env.twilio.requests.length;
		const base = { phoneNumber: '+16507000001', callerId: '+16505550100', greetingPhrase: 'Hi' };
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow('e2eMakeCallBad001', [
					{ ...base, phoneNumber: '6507000001' },
					{ ...base, sendDigits: '12x4' },
					{ ...base, greetingPhrase: undefined, twiml: `<Response><Say>${'a'.repeat(4000)}</Say></Response>` },
					{ ...base, greetingPhrase: undefined, twiml: '<Response/>', twimlUrl: 'https://example.com/twiml' },
					{ ...base, timeout: 601 },
					{ ...base, callerId: undefined },
				]),
			),
		);
		expect(outputOf(execution, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 0\)$/),
			expect.stringMatching(/^Argument 'sendDigits' may hold only .* \(field 'sendDigits', item 1\)$/),
			expect.stringMatching(/^Argument 'twiml' makes TwiML of \d+ characters; Twilio takes at most 4000 \(field 'twiml', item 2\)$/),
			expect.stringMatching(/^Argument 'twimlUrl' cannot be used together with twiml \(field 'twimlUrl', item 3\)$/),
			expect.stringMatching(/^Argument 'timeout' must be at most 600, got 601 \(field 'timeout', item 4\)$/),
			expect.stringMatching(/^Argument 'callerId' is required \(field 'callerId', item 5\)$/),
		]);
		expect(env.twilio.requests.length).toBe(before);

		const hangUps = await env.n8n.execute(await env.n8n.importWorkflow(casesWorkflow('e2eMakeCallBad002', [{ callSid: '' }, { callSid: 'XX123' }], 'stop_call')));
		expect(outputOf(hangUps, 'Send Command').map((item) => item.json.error)).toEqual([
			"Argument 'callSid' is required (field 'callSid', item 0)",
			expect.stringMatching(/^Argument 'callSid' must be a call SID .* \(field 'callSid', item 1\)$/),
		]);
		expect(env.twilio.requests.length).toBe(before);
	});
});
