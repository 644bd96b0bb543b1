/**
 * Issue 15's queue-mode scenarios on one cluster (test/support/n8n/queueCluster.ts):
 * every process has its own user folder, so whatever two processes share goes
 * through the PostgreSQL store. Each scenario checks what the workflows put
 * out, what reached the stand-in servers, the store, and n8n's own
 * execution_entity, where a trigger's deduplication key (`<consumer>:<event>`)
 * shows one execution per fire. Which worker ran an execution comes from the
 * workers' logs.
 */
import { openStore, resolveStoreLocation } from '../../nodes/shared/store';
import type { SessionStore, StoredEvent } from '../../nodes/shared/store/types';
import { QueueCluster } from '../support/n8n/queueCluster';
import {
	countByWorker,
	eventually,
	executionsOfEvents,
	executionsOfWorkflow,
	firedEvents,
	observerKey,
	postJson,
	recordedFires,
	setTimers,
	timerBatch,
	timersOf,
	waitForFires,
	type ExecutionRow,
	type RecordedFire,
} from '../support/queueScenarios';
import { SimulatedCall } from '../support/twilioCall';
import { TwilioServer } from '../support/twilioServer';
import { incomingMessageParams, postTwilioWebhook } from '../support/twilioWebhooks';
import { MAIN_WHATSAPP, SALES_ASSISTANT, WtsChatServer } from '../support/wtsChatServer';
import { readUntil, recordedArguments, workflowFrom } from '../support/workflows';

jest.setTimeout(600_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'dummy-auth-token-for-queue-mode';
const TWILIO_CREDENTIAL = { id: 'e2eQueueTwilio01', name: 'Twilio (e2e)' };
const WTS_TOKEN = 'dummy-wts-token-for-queue-mode';
const WTS_CREDENTIAL = { id: 'e2eQueueWtsChat1', name: 'WTS Chat (no deduplication)' };
const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * The phone conversation of callConversation.test.ts, recording which
 * execution ran each turn. The trigger waits up to 12 s for Reply to Call
 * (Twilio allows 15), so that a worker on a busy machine still answers in
 * time and every answer must come through the held request.
 */
function callWorkflow() {
	return workflowFrom('call-conversation.json', {
		'"__REPLY_TIMEOUT__"': '12',
		e2eTwilioCall001: TWILIO_CREDENTIAL.id,
		'"={{ JSON.stringify($json) }}"':
			'"={{ JSON.stringify({ ...$json, executionId: $execution.id }) }}"',
	});
}

describe('n8n queue mode: a main, two workers and a webhook processor, each with its own user folder, over PostgreSQL and Redis', () => {
	let cluster: QueueCluster;
	let twilio: TwilioServer;
	let wts: WtsChatServer;
	let store: SessionStore;

	beforeAll(async () => {
		twilio = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
		wts = await WtsChatServer.start({
			token: WTS_TOKEN,
			deduplicate: false,
			chatbots: [SALES_ASSISTANT],
			channels: [MAIN_WHATSAPP],
		});
		cluster = await QueueCluster.start({
			credentials: [
				{
					...TWILIO_CREDENTIAL,
					type: 'agentTwilioApi',
					data: {
						accountSid: ACCOUNT_SID,
						authType: 'authToken',
						authToken: AUTH_TOKEN,
						baseUrl: twilio.baseUrl,
					},
				},
				{ ...WTS_CREDENTIAL, type: 'wtsChatApi', data: { token: WTS_TOKEN, baseUrl: wts.baseUrl } },
			],
			workflows: [
				workflowFrom('queue-set-timers.json'),
				workflowFrom('queue-timer-observer.json'),
				workflowFrom('queue-sms-start-session.json'),
				workflowFrom('queue-sms-conversation.json'),
				workflowFrom('queue-chatbot-race.json'),
				callWorkflow(),
			],
		});
		for (const path of [
			'queue-set-timers',
			'queue-sms-start',
			'queue-sms',
			'queue-chatbot-race',
			'e2e-call',
		])
			await cluster.webhook.waitForWebhook(path);
		// The store as the nodes open it in every process of the cluster: from n8n's own database settings.
		store = await openStore(resolveStoreLocation(cluster.main.env));
	});

	afterAll(async () => {
		await store?.close();
		await cluster?.dispose();
		await twilio?.close();
		await wts?.close();
	});

	afterEach(() => expect(twilio.violations).toEqual([]));

	test('the nodes share one store in PostgreSQL, in its own schema, beside n8n tables', async () => {
		expect(store.backend).toBe('postgres');
		const schemas = await cluster.query<{ table_schema: string }>(
			"SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = 'execution_entity' OR table_schema = 'agent_connectors'",
		);
		expect(schemas.map((row) => row.table_schema).sort()).toEqual(['agent_connectors', 'public']);
	});

	test('1. Set Timer runs on a worker; the Timer Trigger on main fires once; the workflow it starts runs on a worker', async () => {
		const summary = await setTimers(
			cluster,
			timerBatch('q1', 'persona-q1', 1, new Date(Date.now() + 2000)),
		);
		expect(summary).toMatchObject({ set: 1, states: ['scheduled'], timerNames: ['q1_0000'] });
		const setBy = await waitForWorker(summary.executionId);
		expect(cluster.workerNames).toContain(setBy);

		const [fire] = await waitForFires(store, 'q1', 1, 60_000);
		expect(fire).toMatchObject({ timerName: 'q1_0000', personaId: 'persona-q1', fireCount: 1 });
		// Main enqueued the run (its trigger fired there); a worker took it from the queue.
		expect(cluster.main.log).toContain(`Enqueued execution ${fire.executionId} (job`);
		expect(cluster.workerNames).toContain(await waitForWorker(fire.executionId));

		const [timer] = await timersOf(store, 'persona-q1');
		expect(timer).toMatchObject({ state: 'done', fireCount: 1 });
		const events = await firedEvents(store, 'q1');
		expect(events.map((event) => event.id)).toEqual([fire.eventId]);
		// The run is recorded before n8n has saved it as done: wait for that.
		const executions = await settledExecutions(events, 1);
		expect(executions).toEqual([
			expect.objectContaining({
				id: fire.executionId,
				status: 'success',
				mode: 'trigger',
				deduplicationKey: observerKey(fire.eventId),
			}),
		]);
		expect(await waitForFires(store, 'q1', 2, 1_000)).toHaveLength(1);
	});

	test('2. 1,000 timers set from both workers fire exactly once each: one event, one execution, one recorded run', async () => {
		const fireAt = new Date(Date.now() + 5000);
		const batches = [0, 1, 2, 3].map((batch) =>
			timerBatch('q2', 'persona-q2', 250, fireAt, batch * 250),
		);
		const summaries = await Promise.all(batches.map((timers) => setTimers(cluster, timers)));
		expect(summaries.map((summary) => summary.set)).toEqual([250, 250, 250, 250]);
		const setBy = await Promise.all(summaries.map((summary) => waitForWorker(summary.executionId)));
		expect(new Set(setBy)).toEqual(new Set(cluster.workerNames));

		const fires = await waitForFires(store, 'q2', 1000, 240_000);
		expectOncePerTimer(fires, 1000);
		const timers = await timersOf(store, 'persona-q2');
		expect(timers).toHaveLength(1000);
		expect(timers.filter((timer) => timer.state === 'done' && timer.fireCount === 1)).toHaveLength(
			1000,
		);

		const events = await firedEvents(store, 'q2');
		expect(events).toHaveLength(1000);
		expect(new Set(fires.map((fire) => fire.eventId))).toEqual(
			new Set(events.map((event) => event.id)),
		);
		const executions = await settledExecutions(events, 1000);
		expect(executions.filter((execution) => execution.status === 'success')).toHaveLength(1000);
		expect(new Set(executions.map((execution) => execution.id))).toEqual(
			new Set(fires.map((fire) => fire.executionId)),
		);
		const byWorker = countByWorker(
			cluster,
			fires.map((fire) => fire.executionId),
		);
		expect(Object.keys(byWorker).sort()).toEqual([...cluster.workerNames].sort());
	});

	test('3. an SMS conversation through the webhook processor, its turns run by both workers, keeps one session and its state variables', async () => {
		const tenant = '+16505550100';
		const user = '+16507000031';
		const started = await postJson<Record<string, unknown>>(cluster.webhookUrl('queue-sms-start'), {
			tenant,
			user,
			userData: { orderId: 'A-17' },
			count: 600,
		});
		expect(started).toMatchObject({
			started: true,
			smsUserData: { orderId: 'A-17' },
			smsSessionTimeoutCount: 600,
		});

		const texts = ['hello', 'where is my order?', 'it was blue', 'thanks', 'one more thing', 'bye'];
		for (const [index, text] of texts.entries()) {
			const response = await postTwilioWebhook(
				cluster.webhookUrl('queue-sms'),
				incomingMessageParams({ accountSid: ACCOUNT_SID, from: user, to: tenant, body: text }),
				{ authToken: AUTH_TOKEN },
			);
			expect(response.status).toBe(200);
			expect(await response.text()).toBe(`${XML}<Response/>`);
			// The next turn comes once this one has answered, so it sees the count this one stored.
			const answered = await eventually(() => repliesTo(user).length > index, 60_000);
			expect(answered).toBe(true);
		}
		expect(repliesTo(user).map((request) => request.form)).toEqual(
			texts.map((text, index) => ({
				To: user,
				From: tenant,
				Body: `Order A-17, turn ${index + 1}: ${text}`,
				// Sent on the SMS Trigger's connector: the main registered it with the public webhook URL.
				StatusCallback: cluster.webhookUrl('queue-sms'),
			})),
		);

		const turns = await readUntil(() => recordedArguments(store, 'queue_sms_runs'), texts.length);
		expect(turns.map((turn) => turn.text)).toEqual(texts);
		// One session in the store, and the SMS session ID the workflow sees stays the same.
		expect(new Set(turns.map((turn) => turn.sessionId)).size).toBe(1);
		expect(new Set(turns.map((turn) => turn.smsSessionID)).size).toBe(1);
		expect(turns.map((turn) => turn.smsSessionTimeoutCount)).toEqual(
			texts.map((_, index) => 600 + index),
		);
		for (const turn of turns) expect(turn.smsUserData).toEqual({ orderId: 'A-17' });
		const byWorker = countByWorker(
			cluster,
			turns.map((turn) => String(turn.executionId)),
		);
		expect(Object.keys(byWorker).sort()).toEqual([...cluster.workerNames].sort());
		for (const turn of turns)
			expect(cluster.webhook.log).toContain(`Enqueued execution ${String(turn.executionId)} (job`);

		const session = await store.findSession({
			channel: 'sms',
			integrationIdn: 'twilio_messenger',
			connectorIdn: 'queue_sms',
			externalKey: `${tenant}|${user}`,
		});
		expect(session).toMatchObject({
			id: turns[0].sessionId,
			status: 'active',
			timeoutSeconds: 600 + texts.length,
		});
	});

	test('4. a phone conversation: the Call Trigger holds Twilio on the webhook processor while Reply to Call answers on a worker', async () => {
		const live = twilio.addCall({
			status: 'in-progress',
			direction: 'inbound',
			from: '+16507000041',
			to: '+16505550100',
		});
		const url = cluster.webhookUrl('e2e-call');
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid: live.sid,
				from: '+16507000041',
				to: '+16505550100',
				direction: 'inbound',
			},
			AUTH_TOKEN,
			{ url, events: ['completed'] },
		);
		const listen = (said: string) =>
			`${XML}<Response><Gather input="speech dtmf" action="${url}" method="POST" actionOnEmptyResult="true" timeout="4" speechTimeout="auto" hints="table, booking"><Say voice="Polly.Joanna">${said}</Say></Gather></Response>`;
		await call.connect(url);
		await call.speak('I would like to book a table');
		await call.speak('for two people tonight');
		await call.press('0');
		expect(call.documents).toEqual([
			listen('Hello, this is the test line. How can I help?'),
			listen('You said: I would like to book a table. Turn 2, 2 utterances so far.'),
			listen('You said: for two people tonight. Turn 3, 4 utterances so far.'),
			`${XML}<Response><Say>Transferring you to a person.</Say><Dial timeout="20"><Number>+16507000099</Number></Dial></Response>`,
		]);
		// Every answer came back through the held request: none was late and spoken through the REST API.
		expect(twilio.requestsTo('POST', `/Calls/${live.sid}.json`)).toEqual([]);

		const events = await readUntil(
			async () =>
				(await recordedArguments(store, 'call_runs')).filter((event) => event.callSid === live.sid),
			5,
		);
		expect(events.map((event) => event.event)).toEqual([
			'call_started',
			'user_message',
			'user_message',
			'dtmf',
			'call_ended',
		]);
		const answered = events
			.filter((event) => event.awaitingReply === true)
			.map((event) => String(event.executionId));
		expect(answered).toHaveLength(4);
		for (const executionId of answered) {
			expect(cluster.workerNames).toContain(await waitForWorker(executionId));
			expect(cluster.webhook.log).toContain(`Enqueued execution ${executionId} (job`);
		}
		const session = await store.getSession(String(events[0].sessionId));
		expect(session).toMatchObject({ channel: 'call', externalKey: live.sid, status: 'ended' });
	});

	test('5. Skip If In Progress: 100 executions for one contact, spread over both workers, start the chatbot once', async () => {
		const contact = '5511966665555';
		const before = new Set(
			(await executionsOfWorkflow(cluster, 'e2eQueueWtsRace1')).map((execution) => execution.id),
		);
		const answers = await wts.raceWhileStartsAreHeld(
			Array.from(
				{ length: 100 },
				() => () =>
					postJson<Record<string, unknown>>(cluster.webhookUrl('queue-chatbot-race'), {
						to: contact,
					}),
			),
		);
		expect(wts.starts.filter((start) => start.contact === contact)).toHaveLength(1);
		expect(answers.filter((answer) => answer.skipped === true)).toHaveLength(99);
		expect(answers.filter((answer) => answer.status === 'IN_PROGRESS')).toHaveLength(1);

		const executions = (await executionsOfWorkflow(cluster, 'e2eQueueWtsRace1')).filter(
			(execution) => !before.has(execution.id),
		);
		expect(executions).toHaveLength(100);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		const byWorker = countByWorker(
			cluster,
			executions.map((execution) => execution.id),
		);
		expect(Object.keys(byWorker).sort()).toEqual([...cluster.workerNames].sort());
	});

	test('6a. kill -9 of a worker while 500 timers are delivered: every timer fires once, each fire is one execution, none runs twice', async () => {
		await startDelivery('q6', 'persona-q6', 500);
		const victim = cluster.workerNames[0];
		await cluster.kill(victim);
		const startedBefore = startedBy(victim);
		const finishedBefore = new Set(
			[...cluster.member(victim).instance.log.matchAll(/Worker finished execution (\d+)/g)].map(
				(match) => match[1],
			),
		);
		const cutShort = startedBefore.filter((id) => !finishedBefore.has(id));
		await cluster.restart(victim);

		const events = await eventuallyAllFired('q6', 'persona-q6', 500);
		const executions = await settledExecutions(events, 500);
		const fires = await waitForFires(store, 'q6', successes(executions).length, 60_000);
		expectOncePerTimer(fires, fires.length);
		// The kill cut runs short on the victim; only those (at most its 5 slots) are listed as
		// failed, and none of them ran again on the other worker.
		expect(cutShort.length).toBeGreaterThan(0);
		const failed = executions.filter((execution) => execution.status !== 'success');
		expect(failed.length).toBeLessThanOrEqual(5);
		const survivor = cluster.workerNames.find((name) => name !== victim);
		expect(failed.filter((execution) => cluster.ranBy(execution.id) === survivor)).toEqual([]);
		expect(fires.length).toBeGreaterThanOrEqual(500 - failed.length);
		// The restarted worker took its share of the rest.
		expect(startedBy(victim).length).toBeGreaterThan(startedBefore.length);
	});

	test('6b. a PostgreSQL restart while timers are delivered: no timer lost or fired twice, and every process reconnects', async () => {
		const tenant = '+16505550100';
		const user = '+16507000061';
		await postJson(cluster.webhookUrl('queue-sms-start'), {
			tenant,
			user,
			userData: { orderId: 'B-2' },
			count: 600,
		});
		await startDelivery('q7', 'persona-q7', 300);
		const ranBeforeRestart = new Set(cluster.executionsByWorker().keys());
		await cluster.restartPostgres();

		// Every process reconnects: timers set after the restart fire through main, each worker
		// records fires in the store again, and the webhook processor takes an SMS turn in a
		// session from before the restart.
		const fireAt = new Date(Date.now() + 1000);
		expect((await setTimers(cluster, timerBatch('q8', 'persona-q8', 10, fireAt))).set).toBe(10);
		expectOncePerTimer(await waitForFires(store, 'q8', 10, 120_000), 10);
		await postTwilioWebhook(
			cluster.webhookUrl('queue-sms'),
			incomingMessageParams({
				accountSid: ACCOUNT_SID,
				from: user,
				to: tenant,
				body: 'still there?',
			}),
			{ authToken: AUTH_TOKEN },
		);
		expect(await eventually(() => repliesTo(user).length > 0, 60_000)).toBe(true);
		expect(repliesTo(user).map((request) => request.form.Body)).toEqual([
			'Order B-2, turn 1: still there?',
		]);

		// Every timer fired once, and n8n has one execution for each fire.
		const events = await eventuallyAllFired('q7', 'persona-q7', 300);
		const eventIds = events.map((event) => event.id);
		expect(
			await eventually(
				async () => (await executionsOfEvents(cluster, eventIds)).length === 300,
				120_000,
			),
		).toBe(true);
		// n8n 2.40.7 leaves a run it could not record while its database was down unfinished
		// ('new' or 'running'), and its main waits for it forever. A restarted main hands those
		// fires to n8n again under the same key: n8n runs the ones it never started and marks the
		// others crashed. Nothing runs twice.
		await cluster.stop('main');
		await cluster.restart('main');
		const executions = await settledExecutions(events, 300);
		const fires = await waitForFires(store, 'q7', successes(executions).length, 60_000);
		expectOncePerTimer(fires, fires.length);
		const recordedAfterRestart = [...fires, ...(await recordedFires(store, 'q8'))]
			.map((fire) => fire.executionId)
			.filter((id) => !ranBeforeRestart.has(id));
		expect(Object.keys(countByWorker(cluster, recordedAfterRestart)).sort()).toEqual(
			[...cluster.workerNames].sort(),
		);
		const recordedBy = new Set(fires.map((fire) => fire.executionId));
		expect(successes(executions).filter((execution) => !recordedBy.has(execution.id))).toEqual([]);
		// What did not succeed was in flight when PostgreSQL went away: at most Max Runs at Once.
		expect(executions.length - successes(executions).length).toBeLessThanOrEqual(100);
	});

	/** Sets one-shot timers due in 3 s on a worker, and waits until the observer has recorded a tenth of their fires. */
	async function startDelivery(prefix: string, personaId: string, count: number): Promise<void> {
		const summary = await setTimers(
			cluster,
			timerBatch(prefix, personaId, count, new Date(Date.now() + 3000)),
		);
		expect(summary.set).toBe(count);
		const underWay = await eventually(
			async () => (await recordedFiresCount(prefix)) >= count / 10,
			120_000,
		);
		expect(underWay).toBe(true);
	}

	/** The executions a worker has taken from the queue so far. */
	function startedBy(worker: string): string[] {
		return [...cluster.executionsByWorker()]
			.filter(([, name]) => name === worker)
			.map(([id]) => id);
	}

	function successes(executions: ExecutionRow[]): ExecutionRow[] {
		return executions.filter((execution) => execution.status === 'success');
	}

	/** The worker that took this execution, once its log line has come through. */
	async function waitForWorker(executionId: string): Promise<string | undefined> {
		await eventually(() => cluster.ranBy(executionId) !== undefined, 10_000);
		return cluster.ranBy(executionId);
	}

	function repliesTo(user: string) {
		return twilio
			.requestsTo('POST', '/Messages.json')
			.filter((request) => request.form.To === user);
	}

	async function recordedFiresCount(prefix: string): Promise<number> {
		return (await waitForFires(store, prefix, 0, 0)).length;
	}

	/** Every timer named <prefix>_… has fired (it is done) and its one event is in the outbox. */
	async function eventuallyAllFired(prefix: string, personaId: string, count: number) {
		const done = await eventually(
			async () =>
				(await timersOf(store, personaId)).filter((timer) => timer.state === 'done').length ===
				count,
			240_000,
		);
		expect(done).toBe(true);
		const timers = await timersOf(store, personaId);
		expect(timers.filter((timer) => timer.fireCount === 1)).toHaveLength(count);
		const events = await firedEvents(store, prefix);
		expect(events).toHaveLength(count);
		expect(new Set(events.map((event) => event.payload.timerName)).size).toBe(count);
		return events;
	}

	/** Waits until each event has its execution and every one has ended; one execution per event. */
	async function settledExecutions(events: StoredEvent[], count: number): Promise<ExecutionRow[]> {
		const eventIds = events.map((event) => event.id);
		let executions = await executionsOfEvents(cluster, eventIds);
		await eventually(async () => {
			executions = await executionsOfEvents(cluster, eventIds);
			return (
				executions.length === count &&
				executions.every((execution) => FINAL_STATUSES.includes(execution.status))
			);
		}, 240_000);
		expect(executions).toHaveLength(count);
		expect(executions.filter((execution) => !FINAL_STATUSES.includes(execution.status))).toEqual(
			[],
		);
		return executions;
	}

	/** No timer was recorded twice, and the expected number were recorded. */
	function expectOncePerTimer(fires: RecordedFire[], count: number): void {
		expect(fires).toHaveLength(count);
		expect(new Set(fires.map((fire) => fire.timerName)).size).toBe(count);
		expect(new Set(fires.map((fire) => fire.executionId)).size).toBe(count);
		expect(fires.every((fire) => fire.fireCount === 1)).toBe(true);
	}
});
