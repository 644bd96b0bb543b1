import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { openCallSession } from '../../nodes/shared/integrations/twilio_voice/session';
import { outputOf, type WorkflowJson } from '../support/n8n';
import { defaultTwilioHandler } from '../support/twilioServer';
import { addActivityTo, addTaskTo, addWorkerTo, taskRouterOf } from '../support/twilio/taskRouter';
import type { TwilioServer } from '../support/twilio/server';
import { useTwilioN8n } from '../support/twilioE2e';
import { commandCasesWorkflow, manualTriggerNode } from '../support/workflows';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const CREDENTIAL_ID = 'e2eTwilioCtl00001';
const CREDENTIALS = { agentTwilioApi: { id: CREDENTIAL_ID, name: 'Twilio (e2e)' } };
const WORKSPACE = 'WS0123456789abcdef0123456789abcdef';
const WORKFLOW = 'WW0123456789abcdef0123456789abcdef';
const QUEUE = 'WQ0123456789abcdef0123456789abcdef';
const CALLER_ID = '+16505550100';
const XML = '<?xml version="1.0" encoding="UTF-8"?>';

type Node = WorkflowJson['nodes'][number];

/** Manual Trigger → the Make Call nodes one after another, each with its operation's fields. */
function makeCallChain(id: string, steps: Array<[string, string, Record<string, unknown>]>) {
	const nodeId = (index: number) => `8c1d2e3f-00cc-4000-8000-${String(index).padStart(12, '0')}`;
	const nodes: Node[] = [
		manualTriggerNode(nodeId(0)),
		...steps.map(([name, operation, parameters], index) => ({
			id: nodeId(index + 1),
			name,
			type: 'n8n-nodes-agent-connectors.makeCall',
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters: { connectorIdn: 'voice_cc', operation, ...parameters },
			credentials: CREDENTIALS,
		})),
	];
	const names = nodes.map((node) => String(node.name));
	const connections = Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: names[index + 1], type: 'main', index: 0 }]] },
			]),
	);
	return {
		id,
		name: `E2E: call control ${id}`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** Send Command with each case's `command` as the command ID: the seed's action names. */
function seedCasesWorkflow(id: string, cases: Array<Record<string, unknown>>): WorkflowJson {
	return commandCasesWorkflow({
		id,
		integrationIdn: 'twilio_voice',
		commandIdn: '={{ $json.command }}',
		connectorIdn: 'voice_cc',
		cases,
		credentials: CREDENTIALS,
	});
}

/** Who is in a conference now: call SID → held. */
function members(twilio: TwilioServer, conferenceSid: string): Record<string, boolean> {
	return Object.fromEntries(
		[...(twilio.participants.get(conferenceSid)?.values() ?? [])].map((p) => [p.callSid, p.hold]),
	);
}

function formsTo(twilio: TwilioServer, method: string, path: string) {
	return twilio.requestsTo(method, path).map((request) => request.form);
}

describe('call and task control in a real n8n: conferences, warm transfers, TaskRouter tasks and workers', () => {
	const env = useTwilioN8n({
		accountSid: ACCOUNT_SID,
		authToken: 'dummy-token-call-control',
		credentialId: CREDENTIAL_ID,
	});
	const conferenceSnapshots: Array<{ operation: string; members: Record<string, boolean> }> = [];

	beforeAll(() => {
		// The membership of every conference a participant joins or leaves, right after it did.
		for (const operation of ['CreateParticipant', 'DeleteParticipant']) {
			const builtIn = defaultTwilioHandler(operation);
			env.twilio.handle(operation, async (context) => {
				const reply = await builtIn(context);
				conferenceSnapshots.push({
					operation,
					members: members(context.server, context.pathParams.ConferenceSid ?? ''),
				});
				return reply;
			});
		}
	});

	test('the Make Call node mutes, holds and unholds by call SID alone, plays digits and rejoins, redirects, warm-transfers start to end and cancels, transfers and ends tasks, sets a worker activity and queues an outbound call', async () => {
		const twilio = env.twilio;
		const available = addActivityTo(twilio, { workspaceSid: WORKSPACE, friendlyName: 'Available' });
		addActivityTo(twilio, { workspaceSid: WORKSPACE, friendlyName: 'Offline', available: false });
		const worker = addWorkerTo(twilio, { workspaceSid: WORKSPACE, friendlyName: 'Ana' });
		// A conference in progress that is not the caller's, so the lookup goes past one.
		const other = twilio.addConference({ friendlyName: 'WTother' });
		const ivr = twilio.addParticipant(other.sid, { muted: true });
		twilio.addParticipant(other.sid);
		const conference = twilio.addConference({ friendlyName: 'WTcaller' });
		const caller = twilio.addParticipant(conference.sid);
		const agent = twilio.addParticipant(conference.sid, {
			label: 'agent',
			endConferenceOnExit: true,
		});
		const second = twilio.addConference({ friendlyName: 'WTsecond' });
		const caller2 = twilio.addParticipant(second.sid);
		const agent2 = twilio.addParticipant(second.sid, { endConferenceOnExit: true });
		const plain = twilio.addCall({ status: 'in-progress' });
		const attributes = {
			call_sid: caller.callSid,
			conference: { sid: conference.sid },
			name: 'Ana',
		};
		const task = addTaskTo(twilio, {
			workspaceSid: WORKSPACE,
			attributes: JSON.stringify(attributes),
			priority: 5,
		});
		const task2 = addTaskTo(twilio, {
			workspaceSid: WORKSPACE,
			attributes: '{"kept":1,"tier":"basic"}',
		});

		const workflow = makeCallChain('e2eCallCtlTyped01', [
			['Mute', 'mute_participant', { participant: caller.callSid, muted: true }],
			[
				'Hold',
				'hold_participant',
				{
					participant: caller.callSid,
					options: { holdUrl: 'https://example.com/hold.mp3', holdMethod: 'POST' },
				},
			],
			['Unhold', 'unhold_participant', { participant: caller.callSid }],
			['Send Digits', 'send_digits', { callSid: ivr.callSid, digits: 'ww1234#' }],
			[
				'Redirect',
				'redirect_call',
				{ callSid: plain.sid, twimlUrl: 'https://example.com/next', options: { method: 'GET' } },
			],
			[
				'Start Warm Transfer',
				'start_warm_transfer',
				{
					callSid: caller.callSid,
					phoneNumber: '+16507000055',
					options: { callerId: CALLER_ID, holdCaller: true },
				},
			],
			['Complete Warm Transfer', 'complete_warm_transfer', { participant: agent.callSid }],
			[
				'Start Second Transfer',
				'start_warm_transfer',
				{
					conferenceSid: second.sid,
					phoneNumber: '+16507000066',
					options: { callerId: CALLER_ID },
				},
			],
			[
				'Cancel Transfer',
				'cancel_transfer',
				{ transferKind: 'conference', participant: '={{ $json.transferCallSid }}' },
			],
			[
				'Transfer Task',
				'transfer_task',
				{
					taskSid: task.sid,
					workspaceSid: WORKSPACE,
					targetSid: worker.sid,
					options: { mode: 'COLD', workflowSid: WORKFLOW },
				},
			],
			[
				'Set Task Attributes',
				'set_task_attributes',
				{
					taskSid: task2.sid,
					workspaceSid: WORKSPACE,
					attributes: '{"tier":"vip"}',
					mergeExisting: true,
				},
			],
			[
				'Complete Task',
				'complete_task',
				{ taskSid: task.sid, workspaceSid: WORKSPACE, reason: 'Resolved' },
			],
			['Wrap Up Task', 'wrap_up_task', { taskSid: task2.sid, workspaceSid: WORKSPACE }],
			[
				'Set Worker Activity',
				'set_worker_activity',
				{ workerSid: worker.sid, workspaceSid: WORKSPACE, activityName: 'Available' },
			],
			[
				'Queue Outbound Call',
				'make_call',
				{
					phoneNumber: '+16507000077',
					callerId: CALLER_ID,
					options: {
						queueSid: QUEUE,
						workspaceSid: WORKSPACE,
						taskAttributes: '{"campaign":"renewals"}',
					},
				},
			],
		]);
		const execution = await env.n8n.execute(await env.n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();
		const out = (name: string) => outputOf(execution, name)[0].json;

		// Mute, hold and unhold found the caller's conference from its call SID.
		expect(
			formsTo(
				twilio,
				'POST',
				`/Conferences/${conference.sid}/Participants/${caller.callSid}.json`,
			).slice(0, 3),
		).toEqual([
			{ Muted: 'true' },
			{ Hold: 'true', HoldUrl: 'https://example.com/hold.mp3', HoldMethod: 'POST' },
			{ Hold: 'false' },
		]);
		expect(out('Mute')).toMatchObject({
			conferenceSid: conference.sid,
			callSid: caller.callSid,
			muted: true,
		});
		expect(out('Unhold')).toMatchObject({ conferenceSid: conference.sid, hold: false });

		// The tones, then back into the conference, muted as it was: the IVR leg is a participant again.
		const digitsTwiml = `${XML}<Response><Play digits="ww1234#"/><Dial><Conference muted="true" beep="false" startConferenceOnEnter="true" endConferenceOnExit="false">WTother</Conference></Dial></Response>`;
		expect(formsTo(twilio, 'POST', `/Calls/${ivr.callSid}.json`)).toEqual([{ Twiml: digitsTwiml }]);
		expect(out('Send Digits')).toMatchObject({ continuedBy: 'conference', twiml: digitsTwiml });
		expect(twilio.participant(other.sid, ivr.callSid)?.muted).toBe(true);
		expect(twilio.calls.get(ivr.callSid)?.status).toBe('in-progress');

		expect(formsTo(twilio, 'POST', `/Calls/${plain.sid}.json`)).toEqual([
			{ Url: 'https://example.com/next', Method: 'GET' },
		]);
		expect(out('Redirect')).toMatchObject({ callSid: plain.sid, url: 'https://example.com/next' });

		// Warm transfer: the target joins while the agent stays (the caller on hold), then the agent leaves; the caller and target go on.
		const started = out('Start Warm Transfer');
		const target = String(started.transferCallSid);
		expect(started).toMatchObject({
			conferenceSid: conference.sid,
			label: 'transfer',
			callerHeld: true,
		});
		expect(formsTo(twilio, 'POST', `/Conferences/${conference.sid}/Participants.json`)).toEqual([
			{
				From: CALLER_ID,
				To: '+16507000055',
				Label: 'transfer',
				EarlyMedia: 'true',
				EndConferenceOnExit: 'false',
			},
		]);
		const [joined, agentLeft] = conferenceSnapshots.filter(
			(snapshot) => caller.callSid in snapshot.members || agent.callSid in snapshot.members,
		);
		expect(joined).toEqual({
			operation: 'CreateParticipant',
			members: { [caller.callSid]: false, [agent.callSid]: false, [target]: false },
		});
		expect(agentLeft).toEqual({
			operation: 'DeleteParticipant',
			members: { [caller.callSid]: false, [target]: false },
		});
		expect(
			formsTo(twilio, 'POST', `/Conferences/${conference.sid}/Participants/${agent.callSid}.json`),
		).toEqual([{ EndConferenceOnExit: 'false' }]);
		expect(out('Complete Warm Transfer')).toEqual({
			conferenceSid: conference.sid,
			agentRemoved: agent.callSid,
			unheld: [caller.callSid],
			remaining: [caller.callSid, target],
		});
		expect(twilio.conferences.get(conference.sid)?.status).toBe('in-progress');
		expect(twilio.calls.get(agent.callSid)?.status).toBe('completed');
		expect(twilio.calls.get(caller.callSid)?.status).toBe('in-progress');

		// A canceled transfer: the target is dropped, the agent and the caller stay.
		const canceled = out('Cancel Transfer');
		expect(canceled).toMatchObject({ conferenceSid: second.sid, unheld: [] });
		expect(members(twilio, second.sid)).toEqual({
			[caller2.callSid]: false,
			[agent2.callSid]: false,
		});
		expect(twilio.calls.get(String(canceled.targetRemoved))?.status).toBe('completed');

		// Task transfer to a worker: a new task carrying the call, routed to the worker; the old one to wrap-up, then completed.
		const tasks = taskRouterOf(twilio).tasks;
		const transferred = out('Transfer Task');
		const created = tasks.get(String((transferred.newTask as { taskSid: string }).taskSid));
		expect(twilio.requestsFor('CreateTask')[0].form).toEqual({
			Attributes: JSON.stringify({
				...attributes,
				transferTargetType: 'worker',
				transferTargetSid: worker.sid,
				transferMode: 'COLD',
				transferredFromTaskSid: task.sid,
			}),
			RoutingTarget: worker.sid,
			WorkflowSid: WORKFLOW,
			TaskChannel: 'voice',
			Priority: '5',
		});
		expect(created).toMatchObject({ routingTarget: worker.sid, assignmentStatus: 'pending' });
		expect(transferred).toMatchObject({
			targetKind: 'worker',
			previousTask: { assignmentStatus: 'wrapping' },
		});
		expect(formsTo(twilio, 'POST', `/Tasks/${task.sid}`)).toEqual([
			{ AssignmentStatus: 'wrapping' },
			{ AssignmentStatus: 'completed', Reason: 'Resolved' },
		]);
		expect(tasks.get(task.sid)).toMatchObject({
			assignmentStatus: 'completed',
			reason: 'Resolved',
		});
		expect(out('Set Task Attributes')).toMatchObject({ attributes: { kept: 1, tier: 'vip' } });
		expect(tasks.get(task2.sid)).toMatchObject({
			assignmentStatus: 'wrapping',
			attributes: '{"kept":1,"tier":"vip"}',
		});
		expect(out('Wrap Up Task')).toMatchObject({ taskSid: task2.sid, assignmentStatus: 'wrapping' });

		expect(twilio.requestsFor('ListActivity')[0].query).toEqual({ FriendlyName: 'Available' });
		expect(worker.updates).toEqual([{ ActivitySid: available.sid }]);
		expect(out('Set Worker Activity')).toMatchObject({
			workerSid: worker.sid,
			activityName: 'Available',
			available: true,
		});

		// Queued outbound: no call is placed here; a voice task for an agent of the queue carries the number.
		const queued = out('Queue Outbound Call');
		expect(queued).toMatchObject({
			callSid: null,
			queueSid: QUEUE,
			to: '+16507000077',
			personaCreated: true,
		});
		expect(twilio.requestsFor('CreateTask')[1].form).toEqual({
			RoutingTarget: QUEUE,
			TaskChannel: 'voice',
			Attributes: JSON.stringify({
				campaign: 'renewals',
				type: 'outbound',
				direction: 'outbound',
				name: '+16507000077',
				outbound_to: '+16507000077',
				from: CALLER_ID,
			}),
		});
		expect(twilio.requestsTo('POST', /\/Calls\.json$/)).toHaveLength(0);
	});

	test('Send Command takes the seed action and argument names: ToggleMute, HoldCall, TransferTask, CancelTransfer, RedirectCallTask, SendDTMFDigits, EndVoiceTask, task, activity and worker attribute actions, StartOutboundCall with a queue', async () => {
		const twilio = env.twilio;
		const offline = addActivityTo(twilio, {
			workspaceSid: WORKSPACE,
			friendlyName: 'Break',
			available: false,
		});
		const worker = addWorkerTo(twilio, { workspaceSid: WORKSPACE });
		const conference = twilio.addConference({ friendlyName: 'WTseed' });
		const muted = twilio.addParticipant(conference.sid);
		const held = twilio.addParticipant(conference.sid);
		const live = twilio.addCall({ status: 'in-progress' });
		const lonely = twilio.addCall({ status: 'in-progress' });
		const conversing = twilio.addCall({ status: 'in-progress' });
		const redirected = twilio.addCall({ status: 'in-progress' });
		const conversationUrl = 'https://n8n.example.com/webhook/call';
		const store = new SqliteStore(env.n8n.storePath);
		try {
			await openCallSession(
				store,
				{
					connectorIdn: 'voice_cc',
					callSid: conversing.sid,
					from: '+16507000001',
					to: CALLER_ID,
					direction: 'inbound',
				},
				conversationUrl,
			);
		} finally {
			await store.close();
		}
		const task = (status: 'assigned' | 'pending', attributes: object = {}) =>
			addTaskTo(twilio, {
				workspaceSid: WORKSPACE,
				assignmentStatus: status,
				attributes: JSON.stringify(attributes),
			});
		const warm = task('assigned', { call_sid: held.callSid });
		const cold = task('assigned', { call_sid: live.sid });
		const pendingTransfer = task('pending');
		const attributed = task('assigned', { a: 1 });
		const done = task('assigned');
		const wrapped = task('assigned');
		const consult = task('assigned', {
			call_sid: muted.callSid,
			conference: { sid: conference.sid },
		});
		const hangUp = task('assigned', { call_sid: twilio.addCall({ status: 'in-progress' }).sid });
		const callOver = task('assigned', { call_sid: twilio.addCall({ status: 'completed' }).sid });
		const skilled = addWorkerTo(twilio, {
			workspaceSid: WORKSPACE,
			attributes: '{"skills":["en"],"desk":3}',
		});

		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				seedCasesWorkflow('e2eCallCtlSeed001', [
					{ command: 'ToggleMute', participantCallSid: muted.callSid },
					{
						command: 'HoldCall',
						participantCallSid: held.callSid,
						holdMusicUrl: 'https://example.com/m.mp3',
						holdMusicMethod: 'GET',
					},
					{
						command: 'TransferTask',
						sid: warm.sid,
						workspaceSid: WORKSPACE,
						targetSid: QUEUE,
						options: { mode: 'WARM' },
					},
					{
						command: 'TransferTask',
						sid: cold.sid,
						workspaceSid: WORKSPACE,
						targetSid: '+16507000088',
					},
					{ command: 'CancelTransfer', sid: pendingTransfer.sid, workspaceSid: WORKSPACE },
					{
						command: 'RedirectCallTask',
						callSid: redirected.sid,
						twiMLUrl: 'https://example.com/flow',
					},
					{ command: 'SendDTMFDigits', callSid: conversing.sid, digits: '5' },
					{ command: 'SendDTMFDigits', callSid: lonely.sid, digits: '5' },
					{
						command: 'SetTaskAttributes',
						sid: attributed.sid,
						workspaceSid: WORKSPACE,
						attributes: { b: 2 },
						mergeExisting: 'false',
					},
					{ command: 'CompleteTask', sid: done.sid, workspaceSid: WORKSPACE },
					{ command: 'WrapupTask', sid: wrapped.sid, workspaceSid: WORKSPACE },
					{
						command: 'SetWorkerActivity',
						workerSid: worker.sid,
						workspaceSid: WORKSPACE,
						activitySid: offline.sid,
						rejectPendingReservations: 'true',
					},
					{
						command: 'StartOutboundCall',
						destination: '+16507000099',
						queueSid: QUEUE,
						workspaceSid: WORKSPACE,
					},
					{
						command: 'TransferTask',
						sid: consult.sid,
						workspaceSid: WORKSPACE,
						targetSid: '+16507000044',
						callerId: CALLER_ID,
						options: { mode: 'WARM' },
					},
					{ command: 'EndVoiceTask', sid: hangUp.sid, workspaceSid: WORKSPACE },
					{ command: 'EndVoiceTask', sid: callOver.sid, workspaceSid: WORKSPACE },
					{
						command: 'SetWorkerAttributes',
						workerSid: skilled.sid,
						workspaceSid: WORKSPACE,
						attributes: '{"skills":["en","es"]}',
						mergeExisting: 'true',
					},
				]),
			),
		);
		const items = outputOf(execution, 'Send Command').map((item) => item.json);
		expect(items.map((item) => item.error ?? item.commandIdn)).toEqual([
			'mute_participant',
			'hold_participant',
			'transfer_task',
			'transfer_task',
			'cancel_transfer',
			'redirect_call',
			'send_digits',
			expect.stringMatching(
				/^Argument 'continueUrl' is required: call CA\w+ is neither a Call Trigger conversation of connector voice_cc nor in a conference in progress.* \(field 'continueUrl', item 7\)$/,
			),
			'set_task_attributes',
			'complete_task',
			'wrap_up_task',
			'set_worker_activity',
			'make_call',
			'transfer_task',
			'end_voice_task',
			'end_voice_task',
			'set_worker_attributes',
		]);
		expect(twilio.participant(conference.sid, muted.callSid)?.muted).toBe(true);
		expect(twilio.participant(conference.sid, held.callSid)).toMatchObject({
			hold: true,
			holdUrl: 'https://example.com/m.mp3',
			holdMethod: 'GET',
		});
		const tasks = taskRouterOf(twilio).tasks;
		expect(items[2].result).toMatchObject({
			mode: 'WARM',
			targetKind: 'queue',
			previousTask: { assignmentStatus: 'assigned' },
		});
		expect(
			tasks.get(String((items[2].result as { newTask: { taskSid: string } }).newTask.taskSid)),
		).toMatchObject({ routingTarget: QUEUE, taskQueueSid: QUEUE });
		expect(formsTo(twilio, 'POST', `/Calls/${live.sid}.json`)).toEqual([
			{ Twiml: `${XML}<Response><Dial><Number>+16507000088</Number></Dial></Response>` },
		]);
		expect(tasks.get(cold.sid)?.assignmentStatus).toBe('wrapping');
		expect(tasks.get(pendingTransfer.sid)).toMatchObject({
			assignmentStatus: 'canceled',
			reason: 'Transfer canceled',
		});
		expect(formsTo(twilio, 'POST', `/Calls/${redirected.sid}.json`)).toEqual([
			{ Url: 'https://example.com/flow' },
		]);
		// In a Call Trigger conversation the tones are followed by listening again, at the Call Trigger.
		expect(formsTo(twilio, 'POST', `/Calls/${conversing.sid}.json`)).toEqual([
			{
				Twiml: `${XML}<Response><Play digits="5"/><Gather input="speech dtmf" action="${conversationUrl}" method="POST" actionOnEmptyResult="true"/></Response>`,
			},
		]);
		expect(twilio.requestsTo('POST', `/Calls/${lonely.sid}.json`)).toHaveLength(0);
		expect(tasks.get(attributed.sid)?.attributes).toBe('{"b":2}');
		expect(tasks.get(done.sid)).toMatchObject({
			assignmentStatus: 'completed',
			reason: 'Completed',
		});
		expect(tasks.get(wrapped.sid)?.assignmentStatus).toBe('wrapping');
		expect(worker.updates).toEqual([
			{ ActivitySid: offline.sid, RejectPendingReservations: 'true' },
		]);
		// A warm transfer to a number: the number joins the task's conference; the task stays the agent's.
		const consulted = items[13].result as Record<string, unknown>;
		expect(consulted).toMatchObject({
			mode: 'WARM',
			targetKind: 'number',
			conferenceSid: conference.sid,
		});
		expect(formsTo(twilio, 'POST', `/Conferences/${conference.sid}/Participants.json`)).toEqual([
			{
				From: CALLER_ID,
				To: '+16507000044',
				Label: 'transfer',
				EarlyMedia: 'true',
				EndConferenceOnExit: 'false',
			},
		]);
		expect(twilio.participant(conference.sid, String(consulted.transferCallSid))?.label).toBe(
			'transfer',
		);
		expect(tasks.get(consult.sid)?.assignmentStatus).toBe('assigned');
		// End Voice Task hangs up a live call and leaves the task; with the call over it wraps the task up.
		expect(items[14].result).toMatchObject({ ended: 'call', call: { status: 'completed' } });
		expect(tasks.get(hangUp.sid)?.assignmentStatus).toBe('assigned');
		expect(items[15].result).toMatchObject({
			ended: 'task',
			task: { assignmentStatus: 'wrapping' },
		});
		expect(skilled.attributes).toBe('{"skills":["en","es"],"desk":3}');
		expect(items[16].result).toMatchObject({
			workerSid: skilled.sid,
			attributes: { skills: ['en', 'es'], desk: 3 },
		});
		expect(items[12].result).toMatchObject({
			queueSid: QUEUE,
			to: '+16507000099',
			task: { attributes: { outbound_to: '+16507000099' } },
		});
	});

	test('bad input names the field and the item, and nothing reaches Twilio', async () => {
		const before = env.twilio.requests.length;
		const task = 'WT0123456789abcdef0123456789abcdef';
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				seedCasesWorkflow('e2eCallCtlBad0001', [
					{ command: 'mute_participant', participant: 'agent' },
					{
						command: 'TransferTask',
						sid: 'WR0123456789abcdef0123456789abcdef',
						workspaceSid: WORKSPACE,
						targetSid: QUEUE,
					},
					{ command: 'transfer_task', taskSid: task, workspaceSid: 'WS1', targetSid: QUEUE },
					{
						command: 'transfer_task',
						taskSid: task,
						workspaceSid: WORKSPACE,
						targetSid: 'WA0123456789abcdef0123456789abcdef',
					},
					{
						command: 'transfer_task',
						taskSid: task,
						workspaceSid: WORKSPACE,
						targetSid: QUEUE,
						options: { mode: 'HOT' },
					},
					{
						command: 'set_task_attributes',
						taskSid: task,
						workspaceSid: WORKSPACE,
						attributes: '[1]',
					},
					{
						command: 'set_worker_activity',
						workerSid: 'WK0123456789abcdef0123456789abcdef',
						workspaceSid: WORKSPACE,
					},
					{ command: 'redirect_call', callSid: 'CA0123456789abcdef0123456789abcdef' },
					{ command: 'start_warm_transfer', phoneNumber: '+16507000055' },
					{
						command: 'send_digits',
						callSid: 'CA0123456789abcdef0123456789abcdef',
						digits: '1',
						continueUrl: 'https://example.com/x',
						hangUpAfter: 'true',
					},
					{ command: 'make_call', phoneNumber: '+16507000077', queueSid: QUEUE },
					{
						command: 'make_call',
						phoneNumber: '+16507000077',
						queueSid: QUEUE,
						workspaceSid: WORKSPACE,
						greetingPhrase: 'Hi',
					},
				]),
			),
		);
		expect(outputOf(execution, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'conferenceSid' is required when the participant is a label \("agent"\), not a call SID \(field 'conferenceSid', item 0\)$/,
			),
			expect.stringMatching(
				/^Argument 'taskSid' must be a TaskRouter task SID .* \(field 'taskSid', item 1\)$/,
			),
			expect.stringMatching(
				/^Argument 'workspaceSid' must be a TaskRouter workspace SID .* \(field 'workspaceSid', item 2\)$/,
			),
			expect.stringMatching(
				/^Argument 'targetSid' must be a worker \(WK…\) or queue \(WQ…\) SID, or a number.* \(field 'targetSid', item 3\)$/,
			),
			"Argument 'mode' must be COLD or WARM, got \"HOT\" (field 'mode', item 4)",
			"Argument 'attributes' must be a JSON object (field 'attributes', item 5)",
			"Argument 'activityName' is required unless activitySid is given (field 'activityName', item 6)",
			"Argument 'twiml' is required unless twimlUrl is given (field 'twiml', item 7)",
			"Argument 'callSid' is required unless conferenceSid is given (field 'callSid', item 8)",
			"Argument 'hangUpAfter' cannot be used together with continueUrl (field 'hangUpAfter', item 9)",
			"Argument 'workspaceSid' is required (field 'workspaceSid', item 10)",
			"Argument 'greetingPhrase' cannot be used with queueSid: the agent who takes the task places the call (field 'greetingPhrase', item 11)",
		]);
		expect(env.twilio.requests.length).toBe(before);
	});
});
