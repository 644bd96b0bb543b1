import { resolveAliases } from '../../nodes/shared/commands/schema';
import type { CommandArguments, CommandDefinition } from '../../nodes/shared/commands/types';
import { findCommand } from '../../nodes/shared/integrations/registry';
import { digitsAndBackTwiml } from '../../nodes/shared/integrations/twilio_voice/twiml';
import { TwilioServer } from '../support/twilioServer';
import { addTaskTo, addWorkerTo } from '../support/twilio/taskRouter';

const ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const TOKEN = 'dummy-token-call-control-unit';
const CALL = 'CA0123456789abcdef0123456789abcdef';
const CONFERENCE = 'CF0123456789abcdef0123456789abcdef';
const TASK = 'WT0123456789abcdef0123456789abcdef';
const WORKSPACE = 'WS0123456789abcdef0123456789abcdef';
const WORKER = 'WK0123456789abcdef0123456789abcdef';
const QUEUE = 'WQ0123456789abcdef0123456789abcdef';
const XML = '<?xml version="1.0" encoding="UTF-8"?>';

/** Validation as Send Command runs it: the seed's names resolved first. */
function validate(commandIdn: string, args: CommandArguments): unknown {
	const command: CommandDefinition = findCommand('twilio_voice', commandIdn);
	return command.validate(resolveAliases(command, args), {
		integrationIdn: 'twilio_voice',
		commandIdn,
		connectorIdn: 'voice',
		arguments: args,
	});
}

describe('call and task control arguments', () => {
	test.each([
		[
			'mute_participant',
			{ participant: 'agent' },
			/^Argument 'conferenceSid' is required when the participant is a label/,
		],
		[
			'hold_participant',
			{ participant: CALL, conferenceSid: CALL },
			/^Argument 'conferenceSid' must be a conference SID/,
		],
		[
			'hold_participant',
			{ participant: CALL, holdMusicMethod: 'PUT' },
			/^Argument 'holdMethod' must be GET or POST/,
		],
		[
			'HoldCall',
			{ participantCallSid: CALL, holdUrl: 'ftp://x/a.mp3' },
			/^Argument 'holdUrl' must use http or https/,
		],
		[
			'mute_participant',
			{ participant: CALL, muted: 'yes' },
			/^Argument 'muted' must be "true" or "false"/,
		],
		[
			'start_warm_transfer',
			{ phoneNumber: '+16507000055' },
			/^Argument 'callSid' is required unless conferenceSid is given/,
		],
		[
			'start_warm_transfer',
			{ callSid: 'CA1', phoneNumber: '+16507000055' },
			/^Argument 'callSid' must be a call SID/,
		],
		[
			'start_warm_transfer',
			{ conferenceSid: CONFERENCE, phoneNumber: '+16507000055', holdCaller: 'true' },
			/^Argument 'callSid' is required to hold the caller/,
		],
		[
			'start_warm_transfer',
			{ callSid: CALL, phoneNumber: '650' },
			/^Argument 'phoneNumber' must be an E\.164 number/,
		],
		[
			'start_warm_transfer',
			{ callSid: CALL, phoneNumber: '+16507000055', waitForTransferSeconds: 3 },
			/^Argument 'waitForTransferSeconds' must be at least 5/,
		],
		[
			'complete_warm_transfer',
			{ participant: 'agent' },
			/^Argument 'conferenceSid' is required when the participant is a label/,
		],
		['cancel_transfer', {}, /^Argument 'participant' is required/],
		[
			'cancel_transfer',
			{ transferKind: 'task', taskSid: TASK },
			/^Argument 'workspaceSid' is required/,
		],
		[
			'cancel_transfer',
			{ transferKind: 'queue' },
			/^Argument 'transferKind' must be conference or task/,
		],
		[
			'TransferTask',
			{ sid: 'WR0123456789abcdef0123456789abcdef', workspaceSid: WORKSPACE, targetSid: QUEUE },
			/^Argument 'taskSid' must be a TaskRouter task SID/,
		],
		[
			'transfer_task',
			{ taskSid: TASK, workspaceSid: WORKSPACE, targetSid: 'WA0123456789abcdef0123456789abcdef' },
			/^Argument 'targetSid' must be a worker \(WK…\) or queue \(WQ…\) SID, or a number/,
		],
		[
			'transfer_task',
			{ taskSid: TASK, workspaceSid: WORKSPACE, targetSid: 'someone' },
			/^Argument 'targetSid' must be a worker .* an E\.164 number/,
		],
		[
			'transfer_task',
			{ taskSid: TASK, workspaceSid: WORKSPACE, targetSid: WORKER, workflowSid: 'WW1' },
			/^Argument 'workflowSid' must be a TaskRouter workflow SID/,
		],
		[
			'transfer_task',
			{ taskSid: TASK, workspaceSid: WORKSPACE, targetSid: WORKER, options: { mode: 'warmish' } },
			/^Argument 'mode' must be COLD or WARM, got "WARMISH"/,
		],
		[
			'set_task_attributes',
			{ taskSid: TASK, workspaceSid: WORKSPACE, attributes: '{"a":' },
			/^Argument 'attributes' is not valid JSON/,
		],
		[
			'set_task_attributes',
			{ taskSid: TASK, workspaceSid: WORKSPACE, attributes: '"text"' },
			/^Argument 'attributes' must be a JSON object/,
		],
		[
			'SetWorkerAttributes',
			{ workerSid: WORKER, workspaceSid: WORKSPACE },
			/^Argument 'attributes' is required/,
		],
		[
			'EndVoiceTask',
			{ sid: 'WR0123456789abcdef0123456789abcdef', workspaceSid: WORKSPACE },
			/^Argument 'taskSid' must be a TaskRouter task SID/,
		],
		[
			'complete_task',
			{ taskSid: TASK, workspaceSid: 'WS' },
			/^Argument 'workspaceSid' must be a TaskRouter workspace SID/,
		],
		[
			'WrapupTask',
			{ sid: CALL, workspaceSid: WORKSPACE },
			/^Argument 'taskSid' must be a TaskRouter task SID/,
		],
		[
			'set_worker_activity',
			{ workerSid: TASK, workspaceSid: WORKSPACE, activityName: 'Available' },
			/^Argument 'workerSid' must be a TaskRouter worker SID/,
		],
		[
			'set_worker_activity',
			{ workerSid: WORKER, workspaceSid: WORKSPACE, activitySid: 'WA1' },
			/^Argument 'activitySid' must be a TaskRouter activity SID/,
		],
		[
			'SetActivity',
			{
				workerSid: WORKER,
				workspaceSid: WORKSPACE,
				activitySid: 'WA0123456789abcdef0123456789abcdef',
				activityName: 'Available',
			},
			/^Argument 'activitySid' cannot be used together with activityName/,
		],
		[
			'redirect_call',
			{ callSid: CALL, twiml: '<Response/>', twimlUrl: 'https://example.com/t' },
			/^Argument 'twimlUrl' cannot be used together with twiml/,
		],
		[
			'RedirectCallTask',
			{ callSid: CALL, twiMLUrl: 'example.com/t' },
			/^Argument 'twimlUrl' is not a valid URL/,
		],
		[
			'redirect_call',
			{ callSid: CALL, twiml: `<Response>${'a'.repeat(4000)}</Response>` },
			/^Argument 'twiml' has 4021 characters; Twilio takes at most 4000/,
		],
		[
			'redirect_call',
			{ callSid: CALL, twimlUrl: 'https://example.com/t', method: 'PUT' },
			/^Argument 'method' must be GET or POST/,
		],
		[
			'send_digits',
			{ callSid: CALL, digits: '1', continueUrl: 'https://example.com/t', hangUpAfter: true },
			/^Argument 'hangUpAfter' cannot be used together with continueUrl/,
		],
		[
			'StartOutboundCall',
			{ destination: '+16507000077', queueSid: 'WQ1', workspaceSid: WORKSPACE },
			/^Argument 'queueSid' must be a TaskRouter queue SID/,
		],
		[
			'make_call',
			{
				phoneNumber: '+16507000077',
				queueSid: QUEUE,
				workspaceSid: WORKSPACE,
				twiml: '<Response/>',
			},
			/^Argument 'twiml' cannot be used with queueSid/,
		],
		[
			'make_call',
			{
				phoneNumber: '+16507000077',
				queueSid: QUEUE,
				workspaceSid: WORKSPACE,
				taskAttributes: '[]',
			},
			/^Argument 'taskAttributes' must be a JSON object/,
		],
	] as Array<[string, CommandArguments, RegExp]>)(
		'%s %j is refused',
		(commandIdn, args, message) => {
			expect(() => validate(commandIdn, args)).toThrow(message);
		},
	);

	test('the seed names reach the same arguments as the fields', () => {
		expect(findCommand('twilio_voice', 'HangupCall').commandIdn).toBe('stop_call');
		// Key / value arguments are strings: the seed's options object arrives as JSON text.
		expect(
			validate('TransferTask', {
				sid: TASK,
				workspaceSid: WORKSPACE,
				targetSid: WORKER,
				options: '{"mode": "WARM"}',
			}),
		).toMatchObject({ mode: 'WARM' });
		expect(findCommand('twilio_voice', 'EndConferenceForAll').commandIdn).toBe('end_conference');
		expect(
			validate('HoldCall', {
				participantCallSid: CALL,
				holdMusicUrl: 'https://example.com/m.mp3',
				holdMusicMethod: 'post',
			}),
		).toEqual({
			participant: CALL,
			form: { Hold: 'true', HoldUrl: 'https://example.com/m.mp3', HoldMethod: 'POST' },
		});
		// The fields' own names work as well.
		expect(
			validate('hold_participant', {
				participant: CALL,
				conferenceSid: CONFERENCE,
				holdUrl: 'https://example.com/m.mp3',
				holdMethod: 'GET',
			}),
		).toEqual({
			conferenceSid: CONFERENCE,
			participant: CALL,
			form: { Hold: 'true', HoldUrl: 'https://example.com/m.mp3', HoldMethod: 'GET' },
		});
		expect(validate('ToggleMute', { targetSid: CALL })).toEqual({
			participant: CALL,
			muted: undefined,
		});
		expect(
			validate('TransferTask', {
				sid: TASK,
				workspaceSid: WORKSPACE,
				targetSid: QUEUE,
				options: { mode: 'warm' },
			}),
		).toEqual({
			task: { workspaceSid: WORKSPACE, taskSid: TASK },
			mode: 'WARM',
			target: { kind: 'queue', sid: QUEUE, workflowSid: undefined },
		});
		expect(
			validate('transfer_task', {
				taskSid: TASK,
				workspaceSid: WORKSPACE,
				targetSid: 'client:desk',
			}),
		).toMatchObject({
			mode: 'COLD',
			target: {
				kind: 'number',
				cold: { twiml: `${XML}<Response><Dial><Client>desk</Client></Dial></Response>` },
				warm: { destination: 'client:desk', label: 'transfer' },
			},
		});
		expect(validate('CancelTransfer', { sid: TASK, workspaceSid: WORKSPACE })).toEqual({
			kind: 'task',
			task: { workspaceSid: WORKSPACE, taskSid: TASK },
			reason: 'Transfer canceled',
		});
		expect(
			validate('RedirectCallTask', { callSid: CALL, twiMLUrl: 'https://example.com/t' }),
		).toEqual({
			callSid: CALL,
			form: { Url: 'https://example.com/t', Method: undefined },
		});
	});

	test('after the tones a call listens again or rejoins its conference as it was', () => {
		expect(
			digitsAndBackTwiml('12#', {
				kind: 'listen',
				actionUrl: 'https://n8n.example.com/webhook/call',
			}),
		).toBe(
			`${XML}<Response><Play digits="12#"/><Gather input="speech dtmf" action="https://n8n.example.com/webhook/call" method="POST" actionOnEmptyResult="true"/></Response>`,
		);
		expect(
			digitsAndBackTwiml('9', {
				kind: 'conference',
				name: 'WT1 & co',
				muted: false,
				endConferenceOnExit: true,
			}),
		).toBe(
			`${XML}<Response><Play digits="9"/><Dial><Conference muted="false" beep="false" startConferenceOnEnter="true" endConferenceOnExit="true">WT1 &amp; co</Conference></Dial></Response>`,
		);
	});
});

describe('the Twilio stand-in keeps TaskRouter tasks and workers and conference lives as Twilio does', () => {
	let server: TwilioServer;
	beforeEach(async () => {
		server = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: TOKEN });
	});
	afterEach(async () => await server.close());

	async function send(method: string, path: string, form?: Record<string, string>) {
		const response = await fetch(`${server.baseUrl}${path}`, {
			method,
			headers: {
				authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString('base64')}`,
				...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			},
			body: form ? new URLSearchParams(form).toString() : undefined,
		});
		const text = await response.text();
		const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
		const request = server.requests.at(-1);
		const operation = server.operation(request?.operationId ?? '');
		// The spec's enum is not nullable, yet its description says: "When a conference is in progress, will be `null`".
		const schemaErrors = (operation?.responseErrors(response.status, body) ?? []).filter(
			(error) => !/reason_conference_ended: Instance (type "null"|does not match any)/.test(error),
		);
		return { status: response.status, body, schemaErrors };
	}

	test('tasks move only along their lifecycle, need a reason to end, and answer in the spec shape', async () => {
		const task = addTaskTo(server, { workspaceSid: WORKSPACE, assignmentStatus: 'pending' });
		const path = `/v1/Workspaces/${WORKSPACE}/Tasks/${task.sid}`;
		const fetched = await send('GET', path);
		expect(fetched).toMatchObject({
			status: 200,
			schemaErrors: [],
			body: { sid: task.sid, assignment_status: 'pending' },
		});
		expect(await send('POST', path, { AssignmentStatus: 'wrapping' })).toMatchObject({
			status: 400,
		});
		expect(await send('POST', path, { AssignmentStatus: 'canceled' })).toMatchObject({
			status: 400,
		});
		expect(
			await send('POST', path, { AssignmentStatus: 'canceled', Reason: 'gone' }),
		).toMatchObject({
			status: 200,
			schemaErrors: [],
			body: { assignment_status: 'canceled', reason: 'gone' },
		});
		expect(
			(await send('GET', `/v1/Workspaces/${'WS' + 'f'.repeat(32)}/Tasks/${task.sid}`)).status,
		).toBe(404);
		const created = await send('POST', `/v1/Workspaces/${WORKSPACE}/Tasks`, {
			RoutingTarget: WORKER,
			Attributes: '{}',
		});
		expect(created).toMatchObject({ status: 400 });
		const worker = addWorkerTo(server, { workspaceSid: WORKSPACE });
		expect(
			await send('POST', `/v1/Workspaces/${WORKSPACE}/Tasks`, {
				RoutingTarget: worker.sid,
				Attributes: '{"a":1}',
			}),
		).toMatchObject({
			status: 201,
			schemaErrors: [],
			body: { routing_target: worker.sid, assignment_status: 'pending', attributes: '{"a":1}' },
		});
		expect(
			await send('POST', `/v1/Workspaces/${WORKSPACE}/Workers/${worker.sid}`, {
				ActivitySid: 'WA' + '0'.repeat(32),
			}),
		).toMatchObject({ status: 400 });
		expect(server.violations).toEqual([]);
	});

	test('a participant dialed in joins; the conference ends when one with endConferenceOnExit leaves, or the last one', async () => {
		const conference = server.addConference({ friendlyName: 'WTlife' });
		const agent = server.addParticipant(conference.sid, { endConferenceOnExit: true });
		const base = `/2010-04-01/Accounts/${ACCOUNT_SID}/Conferences`;
		const added = await send('POST', `${base}/${conference.sid}/Participants.json`, {
			From: '+16505550100',
			To: '+16507000055',
			Label: 'transfer',
		});
		expect(added).toMatchObject({
			status: 201,
			schemaErrors: [],
			body: { label: 'transfer', conference_sid: conference.sid },
		});
		const listed = await send('GET', `${base}.json?Status=in-progress`);
		expect(listed).toMatchObject({ status: 200, schemaErrors: [] });
		expect((listed.body.conferences as Array<{ sid: string }>).map((item) => item.sid)).toEqual([
			conference.sid,
		]);
		const participants = await send('GET', `${base}/${conference.sid}/Participants.json`);
		expect(participants.schemaErrors).toEqual([]);
		expect((participants.body.participants as unknown[]).length).toBe(2);
		expect(
			(await send('DELETE', `${base}/${conference.sid}/Participants/${agent.callSid}.json`)).status,
		).toBe(204);
		expect(server.conferences.get(conference.sid)).toMatchObject({
			status: 'completed',
			reasonEnded: 'participant-with-end-conference-on-exit-kicked',
		});
		expect(server.calls.get(String(added.body.call_sid))?.status).toBe('completed');
		expect(server.violations).toEqual([]);
	});
});
