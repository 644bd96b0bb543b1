import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { outputOf, type WorkflowJson } from '../support/n8n';
import { useTwilioN8n } from '../support/twilioE2e';
import { commandCasesWorkflow, workflowFrom } from '../support/workflows';
import { storedActor } from '../store/reads';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-the-test-server';
const CREDENTIAL_ID = 'e2eTwilioVoice01';

/** Send Command over twilio_voice, one item per case, Continue On Fail on. */
function casesWorkflow(
	id: string,
	cases: Array<Record<string, unknown>>,
	commandIdn = 'make_call',
): WorkflowJson {
	return commandCasesWorkflow({
		id,
		integrationIdn: 'twilio_voice',
		commandIdn,
		connectorIdn: 'voice_e2e',
		cases,
		credentials: { agentTwilioApi: { id: CREDENTIAL_ID, name: 'Twilio (e2e)' } },
	});
}

describe('Make Call in a real n8n, against the Twilio test server', () => {
	const env = useTwilioN8n({
		accountSid: ACCOUNT_SID,
		authToken: accountToken,
		credentialId: CREDENTIAL_ID,
	});

	const callsCreated = () =>
		env.twilio.requestsTo('POST', /\/Calls\.json$/).filter((request) => request.status === 201);

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
			Twiml:
				'<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" language="en-US">Hello &lt;Ana&gt; &amp; welcome</Say></Response>',
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
			Twiml:
				'<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello, how can I assist you today?</Say></Response>',
		});

		const output = outputOf(execution, 'Make Call');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({
			callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
			to: '+16507000001',
			personaCreated: true,
		});
		const act = outputOf(execution, 'Send Command')[0].json;
		expect(act).toMatchObject({
			integrationIdn: 'twilio_voice',
			commandIdn: 'make_call',
			status: 'sent',
			externalId: expect.stringMatching(/^CA/),
		});

		// The callee got a persona and an actor, and the act carries the call SID.
		const store = new SqliteStore(env.n8n.storePath);
		try {
			const actor = await storedActor(store, {
				integrationIdn: 'twilio_voice',
				connectorIdn: 'voice_e2e',
				externalId: '+16507000001',
			});
			expect(actor?.personaId).toBe(output[0].json.personaId);
			const [recorded] = await store.listActs({
				integrationIdn: 'twilio_voice',
				connectorIdn: 'voice_e2e',
				limit: 1,
			});
			expect(recorded.externalId).toMatch(/^CA[0-9a-f]{32}$/);
		} finally {
			await store.close();
		}
	});

	test('Hang Up completes an answered call and cancels a ringing one (also through Send Command stop_call); Get Call reads it', async () => {
		const ringing = env.twilio.addCall({
			status: 'ringing',
			direction: 'outbound-api',
			startedAt: undefined,
		});
		const workflow = workflowFrom('make-call-control.json', {
			__TWILIO_CREDENTIAL__: CREDENTIAL_ID,
			__RINGING_SID__: ringing.sid,
		});
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const placed = outputOf(execution, 'Make Call')[0].json;
		const hungUp = outputOf(execution, 'Hang Up')[0].json;
		expect(hungUp).toMatchObject({
			callSid: placed.callSid,
			requested: 'completed',
			status: 'completed',
		});
		expect(outputOf(execution, 'Get Call')[0].json).toMatchObject({
			callSid: placed.callSid,
			status: 'completed',
			to: '+16507000021',
		});
		const hangUpRequests = env.twilio.requestsTo('POST', `/Calls/${String(placed.callSid)}.json`);
		expect(hangUpRequests.map((request) => request.form)).toEqual([{ Status: 'completed' }]);

		expect(outputOf(execution, 'Stop Ringing Call')[0].json).toMatchObject({
			commandIdn: 'stop_call',
			status: 'completed',
			result: expect.objectContaining({ requested: 'canceled', status: 'canceled' }),
		});
		expect(env.twilio.calls.get(ringing.sid)?.status).toBe('canceled');
	});

	test('Transfer, Send Digits, Hold / Unhold / Remove Participant and End Conference send the TwiML and updates Twilio documents', async () => {
		const live = env.twilio.addCall({ status: 'in-progress' });
		const ivr = env.twilio.addCall({ status: 'in-progress' });
		const conference = env.twilio.addConference({ status: 'in-progress' });
		const customer = env.twilio.addParticipant(conference.sid);
		const supervisor = env.twilio.addParticipant(conference.sid, { label: 'supervisor' });
		const workflow = workflowFrom('make-call-conference.json', {
			__TWILIO_CREDENTIAL__: CREDENTIAL_ID,
			__LIVE_SID__: live.sid,
			__IVR_SID__: ivr.sid,
			__CONFERENCE_SID__: conference.sid,
			__CUSTOMER_SID__: customer.callSid,
		});
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();

		const transferTwiml =
			'<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna">Transferring you now</Say>' +
			'<Dial timeout="20"><Sip>sip:desk@example.com</Sip></Dial></Response>';
		expect(
			env.twilio.requestsTo('POST', `/Calls/${live.sid}.json`).map((request) => request.form),
		).toEqual([{ Twiml: transferTwiml }]);
		expect(outputOf(execution, 'Transfer')[0].json).toMatchObject({
			callSid: live.sid,
			transferredTo: 'sip:desk@example.com',
			twiml: transferTwiml,
		});

		expect(
			env.twilio.requestsTo('POST', `/Calls/${ivr.sid}.json`).map((request) => request.form),
		).toEqual([
			{
				Twiml:
					'<?xml version="1.0" encoding="UTF-8"?><Response><Play digits="ww1234#"/><Redirect>https://example.com/twiml/rejoin</Redirect></Response>',
			},
		]);

		const participantPath = `/Conferences/${conference.sid}/Participants/${customer.callSid}.json`;
		expect(env.twilio.requestsTo('POST', participantPath).map((request) => request.form)).toEqual([
			{ Hold: 'true', HoldUrl: 'https://example.com/hold.mp3', HoldMethod: 'POST' },
			{ Hold: 'false' },
		]);
		expect(outputOf(execution, 'Hold')[0].json).toMatchObject({
			callSid: customer.callSid,
			hold: true,
		});
		expect(outputOf(execution, 'Unhold')[0].json).toMatchObject({
			callSid: customer.callSid,
			hold: false,
		});

		// Twilio takes a participant's label where it takes its call SID.
		expect(
			env.twilio.requestsTo(
				'DELETE',
				`/Conferences/${conference.sid}/Participants/supervisor.json`,
			),
		).toHaveLength(1);
		expect(env.twilio.calls.get(supervisor.callSid)?.status).toBe('completed');
		expect(outputOf(execution, 'Remove Participant')[0].json).toEqual({
			conferenceSid: conference.sid,
			participant: 'supervisor',
			removed: true,
		});

		expect(
			env.twilio
				.requestsTo('POST', `/Conferences/${conference.sid}.json`)
				.map((request) => request.form),
		).toEqual([{ Status: 'completed' }]);
		expect(outputOf(execution, 'End Conference')[0].json).toMatchObject({
			conferenceSid: conference.sid,
			status: 'completed',
		});
		expect(env.twilio.calls.get(customer.callSid)?.status).toBe('completed');
	});

	test('Send Command transfer_call and send_digits act on live calls; a Twilio refusal surfaces with its code and link', async () => {
		const live = env.twilio.addCall({ status: 'in-progress' });
		const ringing = env.twilio.addCall({ status: 'ringing', startedAt: undefined });
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow(
					'e2eMakeCallXfer001',
					[
						{ callSid: live.sid, phoneNumber: '+16507000031', waitForTransferSeconds: '45' },
						{ callSid: ringing.sid, phoneNumber: 'client:agent_7' },
					],
					'transfer_call',
				),
			),
		);
		const [transferred, refused] = outputOf(execution, 'Send Command').map((item) => item.json);
		expect(transferred).toMatchObject({
			commandIdn: 'transfer_call',
			status: 'completed',
			externalId: live.sid,
		});
		expect(
			env.twilio.requestsTo('POST', `/Calls/${live.sid}.json`).map((request) => request.form),
		).toEqual([
			{
				Twiml:
					'<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="45"><Number>+16507000031</Number></Dial></Response>',
			},
		]);
		// The test server answers a redirect of a call that is not in progress as Twilio does: 400, code 21220.
		expect(refused).toEqual({
			error: 'Call is not in-progress. Cannot redirect. (Twilio error 21220)',
			httpCode: '400',
			description: 'https://www.twilio.com/docs/errors/21220',
		});
		expect(
			env.twilio.requestsTo('POST', `/Calls/${ringing.sid}.json`).map((request) => request.form),
		).toEqual([
			{
				Twiml:
					'<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Client>agent_7</Client></Dial></Response>',
			},
		]);

		const digits = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow(
					'e2eMakeCallDtmf001',
					[{ callSid: live.sid, digits: '9', hangUpAfter: 'true' }],
					'send_digits',
				),
			),
		);
		expect(outputOf(digits, 'Send Command')[0].json).toMatchObject({
			commandIdn: 'send_digits',
			status: 'completed',
		});
		expect(env.twilio.requestsTo('POST', `/Calls/${live.sid}.json`).at(-1)?.form).toEqual({
			Twiml: '<?xml version="1.0" encoding="UTF-8"?><Response><Play digits="9"/></Response>',
		});
	});

	test('Twilio answering 429 twice is retried with backoff: one call is placed', async () => {
		const before = callsCreated().length;
		const fault = env.twilio.inject({ method: 'POST', path: '/Calls.json', times: 2, status: 429 });
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow('e2eMakeCall429001', [
					{ phoneNumber: '+16507000009', callerId: '+16505550100', greetingPhrase: 'Hi' },
				]),
			),
		);
		expect(fault.hits).toBe(2);
		expect(outputOf(execution, 'Send Command')[0].json).toMatchObject({
			status: 'sent',
			externalId: expect.stringMatching(/^CA/),
		});
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
					{
						...base,
						greetingPhrase: undefined,
						twiml: `<Response><Say>${'a'.repeat(4000)}</Say></Response>`,
					},
					{
						...base,
						greetingPhrase: undefined,
						twiml: '<Response/>',
						twimlUrl: 'https://example.com/twiml',
					},
					{ ...base, timeout: 601 },
					{ ...base, callerId: undefined },
				]),
			),
		);
		expect(outputOf(execution, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 0\)$/,
			),
			expect.stringMatching(
				/^Argument 'sendDigits' may hold only .* \(field 'sendDigits', item 1\)$/,
			),
			expect.stringMatching(
				/^Argument 'twiml' makes TwiML of \d+ characters; Twilio takes at most 4000 \(field 'twiml', item 2\)$/,
			),
			expect.stringMatching(
				/^Argument 'twimlUrl' cannot be used together with twiml \(field 'twimlUrl', item 3\)$/,
			),
			expect.stringMatching(
				/^Argument 'timeout' must be at most 600, got 601 \(field 'timeout', item 4\)$/,
			),
			"Argument 'callerId' is required: set From (Caller ID) on the node, or Default Caller ID on the Twilio credential (field 'callerId', item 5)",
		]);
		expect(env.twilio.requests.length).toBe(before);

		const hangUps = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow('e2eMakeCallBad002', [{ callSid: '' }, { callSid: 'XX123' }], 'stop_call'),
			),
		);
		expect(outputOf(hangUps, 'Send Command').map((item) => item.json.error)).toEqual([
			"Argument 'callSid' is required (field 'callSid', item 0)",
			expect.stringMatching(
				/^Argument 'callSid' must be a call SID .* \(field 'callSid', item 1\)$/,
			),
		]);
		expect(env.twilio.requests.length).toBe(before);

		const control = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow(
					'e2eMakeCallBad003',
					[
						{ callSid: 'CA0123456789abcdef0123456789abcdef', phoneNumber: '555-0100' },
						{
							callSid: 'CA0123456789abcdef0123456789abcdef',
							phoneNumber: '+16507000031',
							waitForTransferSeconds: 2,
						},
					],
					'transfer_call',
				),
			),
		);
		expect(outputOf(control, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 0\)$/,
			),
			"Argument 'waitForTransferSeconds' must be at least 5, got 2 (field 'waitForTransferSeconds', item 1)",
		]);
		const conference = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow(
					'e2eMakeCallBad004',
					[
						{ conferenceSid: 'CA0123456789abcdef0123456789abcdef', participant: 'x' },
						{ conferenceSid: 'CF0123456789abcdef0123456789abcdef' },
						{
							conferenceSid: 'CF0123456789abcdef0123456789abcdef',
							participant: 'x',
							holdUrl: 'ftp://example.com/a.mp3',
						},
					],
					'hold_participant',
				),
			),
		);
		expect(outputOf(conference, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'conferenceSid' must be a conference SID .* \(field 'conferenceSid', item 0\)$/,
			),
			"Argument 'participant' is required (field 'participant', item 1)",
			expect.stringMatching(
				/^Argument 'holdUrl' must use http or https, got "ftp:" \(field 'holdUrl', item 2\)$/,
			),
		]);
		const dtmf = await env.n8n.execute(
			await env.n8n.importWorkflow(
				casesWorkflow(
					'e2eMakeCallBad005',
					[{ callSid: 'CA0123456789abcdef0123456789abcdef', digits: '12x' }],
					'send_digits',
				),
			),
		);
		expect(outputOf(dtmf, 'Send Command')[0].json.error).toMatch(
			/^Argument 'digits' may hold only .* \(field 'digits', item 0\)$/,
		);
		expect(env.twilio.requests.length).toBe(before);
	});
});
