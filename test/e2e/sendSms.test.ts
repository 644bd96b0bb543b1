import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SqliteStore } from '../../nodes/shared/store/sqlite';
import {
	outputOf,
	readRunData,
	residentBytes,
	type OutputItem,
	type WorkflowJson,
} from '../support/n8n';
import { useTwilioN8n } from '../support/twilioE2e';
import {
	capConcurrency,
	defaultTwilioHandler,
	randomFaults,
	type MessageState,
	type RandomFaultTally,
	type TwilioRequest,
	type TwilioServer,
} from '../support/twilioServer';
import { storedActor } from '../store/reads';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-the-test-server';
const CREDENTIAL_ID = 'e2eTwilioSms0001';
const MESSAGING_SERVICE = 'MG0123456789abcdef0123456789abcdef';

function workflowFrom(file: string): WorkflowJson {
	const text = readFileSync(join(__dirname, 'workflows', file), 'utf8')
		.split('__TWILIO_CREDENTIAL__')
		.join(CREDENTIAL_ID);
	return JSON.parse(text) as WorkflowJson;
}

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
	onError?: string;
}

/** send-sms-many.json with these items, under its own id; `stopOnError` drops Continue On Fail, `sendingRate` paces it. */
function manyWorkflow(
	id: string,
	messages: Array<Record<string, unknown>>,
	options: { stopOnError?: boolean; sendingRate?: number } = {},
): WorkflowJson {
	const workflow = workflowFrom('send-sms-many.json');
	const nodes = workflow.nodes as unknown as WorkflowNode[];
	const items = nodes.find((node) => node.name === 'Messages');
	const send = nodes.find((node) => node.name === 'Send SMS/MMS');
	if (!items || !send) throw new Error('send-sms-many.json lost a node');
	items.parameters.jsonOutput = JSON.stringify({ messages });
	if (options.stopOnError) delete send.onError;
	if (options.sendingRate !== undefined) send.parameters.sendingRate = options.sendingRate;
	return { ...workflow, id, name: `${String(workflow.name)} ${id}` };
}

/** A distinct recipient per item, so each message can be traced back to its item. */
const recipient = (index: number) => `+1650${String(7_100_000 + index)}`;

/**
 * What a run under random faults must show: one output item per input item,
 * paired; a sent item's message exists once, to its own recipient; a failed
 * item's message exists only if Twilio created it and then answered 5xx;
 * only 429s are sent again; and the failures are exactly the 5xx answers and
 * the items still throttled after every retry.
 */
function expectEachSentOnceOrFailed(
	twilio: TwilioServer,
	output: OutputItem[],
	faults: RandomFaultTally,
	options: { count: number; firstRequest: number; recipient: (index: number) => string },
): { sent: number; failed: number; exhausted: number; requests: number } {
	const { count, recipient } = options;
	expect(output.map((item) => item.pairedItem)).toEqual(
		Array.from({ length: count }, (_, item) => ({ item })),
	);
	const sent = output.filter((item) => item.json.messageSid !== undefined);
	const failed = output.filter((item) => item.json.error !== undefined);
	expect(sent.length + failed.length).toBe(count);
	const messagesByRecipient = new Map<string, MessageState[]>();
	for (const message of twilio.messages.values())
		messagesByRecipient.set(message.to, [...(messagesByRecipient.get(message.to) ?? []), message]);
	const createdButFailed = new Set(faults.createdButFailed);
	for (const [index, item] of output.entries()) {
		const found = messagesByRecipient.get(recipient(index)) ?? [];
		if (item.json.messageSid !== undefined) {
			expect(item.json.to).toBe(recipient(index));
			expect(found.map((message) => message.sid)).toEqual([item.json.messageSid]);
		} else {
			expect(found.length).toBeLessThanOrEqual(1);
			if (found.length === 1) expect(createdButFailed.has(found[0].sid)).toBe(true);
		}
	}

	// 429 is sent again, a 5xx never (it may have been processed): per recipient, only 429s before the last answer.
	const requests = twilio.requests
		.slice(options.firstRequest)
		.filter((request) => request.operationId === 'CreateMessage');
	const byRecipient = new Map<string, number[]>();
	for (const request of requests)
		byRecipient.set(String(request.form.To), [
			...(byRecipient.get(String(request.form.To)) ?? []),
			request.status ?? 0,
		]);
	expect(byRecipient.size).toBe(count);
	for (const statuses of byRecipient.values())
		expect(statuses.slice(0, -1).every((status) => status === 429)).toBe(true);

	expect(faults.passed).toBe(sent.length);
	expect(faults.throttled).toBeGreaterThan(count * 0.3 * 0.8);
	expect(faults.failedBefore + faults.createdButFailed.length).toBeGreaterThan(0);
	const fiveXx = faults.failedBefore + faults.createdButFailed.length;
	const exhausted = [...byRecipient.values()].filter((statuses) => statuses.at(-1) === 429).length;
	expect(failed.length).toBe(fiveXx + exhausted);
	expect(failed.every((item) => /Twilio error 20(429|500|502)/.test(String(item.json.error)))).toBe(
		true,
	);
	return { sent: sent.length, failed: failed.length, exhausted, requests: requests.length };
}

/** The most of these requests from `sender` that reached the server within any one second. */
function busiestSecond(requests: TwilioRequest[], sender: string): number {
	const times = requests
		.filter((request) => request.form.From === sender)
		.map((request) => request.receivedAt)
		.sort((a, b) => a - b);
	let busiest = 0;
	for (let start = 0, end = 0; start < times.length; start++) {
		while (end < times.length && times[end] < times[start] + 1000) end++;
		busiest = Math.max(busiest, end - start);
	}
	return busiest;
}

describe('Send SMS/MMS in a real n8n, against the Twilio test server', () => {
	const env = useTwilioN8n({
		accountSid: ACCOUNT_SID,
		authToken: accountToken,
		credentialId: CREDENTIAL_ID,
	});

	const created = () =>
		env.twilio.requestsTo('POST', /\/Messages\.json$/).filter((request) => request.status === 201);

	const messagesTo = (to: string): MessageState[] =>
		[...env.twilio.messages.values()].filter((message) => message.to === to);

	test('text, MMS, a WhatsApp content template and a scheduled message are sent as Twilio expects; Send Command send_message sends the same', async () => {
		const before = Date.now();
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(workflowFrom('send-sms.json')),
		);
		expect(execution.error).toBeUndefined();

		const forms = created().map((request) => request.form);
		const byTo = (to: string) => forms.find((form) => form.To === to);
		const common = { StatusCallback: 'https://example.com/sms-status', ValidityPeriod: '600' };
		expect(byTo('+16507000101')).toEqual({
			To: '+16507000101',
			From: '+16505550100',
			Body: 'Hello Ana,\nyour order has shipped.',
			...common,
		});
		expect(byTo('+16507000102')).toEqual({
			To: '+16507000102',
			From: '+16505550100',
			Body: 'Your receipt',
			MediaUrl: ['https://example.com/receipt.png', 'https://example.com/map.jpg'],
			...common,
		});
		expect(byTo('whatsapp:+16507000103')).toEqual({
			To: 'whatsapp:+16507000103',
			From: 'whatsapp:+16505550100',
			ContentSid: 'HX0123456789abcdef0123456789abcdef',
			ContentVariables: '{"1":"Ana","2":"12:30"}',
			...common,
		});
		const scheduled = byTo('+16507000104');
		expect(scheduled).toMatchObject({
			To: '+16507000104',
			MessagingServiceSid: MESSAGING_SERVICE,
			ScheduleType: 'fixed',
			...common,
		});
		expect(scheduled?.From).toBeUndefined();
		// One day ahead, sent as UTC.
		const sendAt = Date.parse(String(scheduled?.SendAt));
		expect(String(scheduled?.SendAt)).toMatch(/Z$/);
		expect(sendAt - before).toBeGreaterThan(23.9 * 3600_000);
		expect(sendAt - before).toBeLessThan(24.1 * 3600_000);
		expect(byTo('+16507000000')).toEqual({
			To: '+16507000000',
			From: '+16505550100',
			Body: 'Hello, how can I assist you today?',
		});

		const output = outputOf(execution, 'Send SMS/MMS');
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(
			output.map((item) => [
				item.json.to,
				String(item.json.messageSid).slice(0, 2),
				item.json.status,
			]),
		).toEqual([
			['+16507000101', 'SM', 'queued'],
			['+16507000102', 'MM', 'queued'],
			['whatsapp:+16507000103', 'SM', 'queued'],
			['+16507000104', 'SM', 'scheduled'],
		]);
		expect(output[1].json).toMatchObject({ numMedia: '2', personaCreated: true });
		expect(output[3].json).toMatchObject({
			messagingServiceSid: MESSAGING_SERVICE,
			sendAt: scheduled?.SendAt,
		});
		for (const item of output)
			expect(env.twilio.messages.get(String(item.json.messageSid))?.to).toBe(item.json.to);

		const act = outputOf(execution, 'Send Command')[0].json;
		expect(act).toMatchObject({
			integrationIdn: 'twilio_messenger',
			commandIdn: 'send_message',
			connectorIdn: 'sms_connector',
			status: 'sent',
			externalId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
			result: expect.objectContaining({ to: '+16507000000', status: 'queued' }),
		});

		// The recipient got a persona and an actor; the act carries the message SID.
		const store = new SqliteStore(env.n8n.storePath);
		try {
			const actor = await storedActor(store, {
				integrationIdn: 'twilio_messenger',
				connectorIdn: 'sms_e2e',
				externalId: '+16507000102',
			});
			expect(actor?.personaId).toBe(output[1].json.personaId);
			const acts = await store.listActs({
				integrationIdn: 'twilio_messenger',
				connectorIdn: 'sms_e2e',
			});
			expect(acts.map((recorded) => recorded.externalId).sort()).toEqual(
				output.map((item) => item.json.messageSid).sort(),
			);
		} finally {
			await store.close();
		}
	});

	test('bad input names the field and the item, and nothing reaches Twilio', async () => {
		const before = env.twilio.requests.length;
		const good = { phoneNumber: '+16507000201', from: '+16505550100', text: 'Hi' };
		const tooMany = Array.from({ length: 11 }, (_, index) => `https://example.com/${index}.jpg`);
		const cases = [
			{ ...good, phoneNumber: '6507000201' },
			{ ...good, mediaUrl: tooMany },
			{ ...good, mediaUrl: 'https://example.com/a.jpg, ftp://example.com/b.jpg' },
			{ ...good, text: 'x'.repeat(1601) },
			{ ...good, text: '' },
			{ ...good, from: '', messagingServiceSid: '' },
			{ ...good, sendAt: '2030-01-01T10:00:00Z' },
			{ ...good, from: '', messagingServiceSid: MESSAGING_SERVICE, sendAt: '2020-01-01T10:00:00Z' },
			{ ...good, validityPeriod: 36001 },
		];
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(manyWorkflow('e2eSendSmsBad001', cases)),
		);
		expect(outputOf(execution, 'Send SMS/MMS').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 0\)$/,
			),
			"Argument 'mediaUrl' has 11 URLs; Twilio takes at most 10 per message (field 'mediaUrl', item 1)",
			"Argument 'mediaUrl' (URL 2) must use http or https, got \"ftp:\" (field 'mediaUrl', item 2)",
			"Argument 'text' has 1601 characters; Twilio takes at most 1600 (field 'text', item 3)",
			"Argument 'text' is required unless mediaUrl or contentSid give the message (field 'text', item 4)",
			"Argument 'from' is required unless a messagingServiceSid picks the sender: set From (or Messaging Service SID) on the node, or Default From on the Twilio credential (field 'from', item 5)",
			expect.stringMatching(
				/^Argument 'sendAt' needs a messagingServiceSid: .* \(field 'sendAt', item 6\)$/,
			),
			expect.stringMatching(
				/^Argument 'sendAt' must be 15 minutes to 35 days ahead, .* \(field 'sendAt', item 7\)$/,
			),
			"Argument 'validityPeriod' must be at most 36000, got 36001 (field 'validityPeriod', item 8)",
		]);
		expect(env.twilio.requests.length).toBe(before);

		// Without Continue On Fail one bad item stops the node before any item is sent.
		const stopped = await env.n8n.execute(
			await env.n8n.importWorkflow(
				manyWorkflow('e2eSendSmsBad002', [good, { ...good, phoneNumber: '+0' }, good], {
					stopOnError: true,
				}),
			),
		);
		expect(stopped.error?.message).toMatch(
			/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 1\)$/,
		);
		expect(env.twilio.requests.length).toBe(before);
	});

	test('Twilio answering 429 twice is retried with backoff: the message is sent once', async () => {
		const fault = env.twilio.inject({
			method: 'POST',
			path: '/Messages.json',
			times: 2,
			status: 429,
		});
		const execution = await env.n8n.execute(
			await env.n8n.importWorkflow(
				manyWorkflow('e2eSendSms429001', [
					{ phoneNumber: '+16507000301', from: '+16505550100', text: 'Hi' },
				]),
			),
		);
		expect(fault.hits).toBe(2);
		expect(
			env.twilio
				.requestsTo('POST', '/Messages.json')
				.filter((request) => request.form.To === '+16507000301')
				.map((request) => request.status),
		).toEqual([429, 429, 201]);
		expect(outputOf(execution, 'Send SMS/MMS')[0].json).toMatchObject({
			messageSid: expect.stringMatching(/^SM/),
		});
		expect(messagesTo('+16507000301')).toHaveLength(1);
	});

	test('500 items at 50 a second with 30 % of answers 429 and some 5xx: every accepted message exactly once, every failure an error item, nothing lost, no second above rate + burst', async () => {
		const COUNT = 500;
		const RATE = 50;
		const faults = randomFaults('CreateMessage', {
			throttled: 0.3,
			failedBefore: 0.03,
			failedAfter: 0.02,
			seed: 6,
		});
		env.twilio.handle('CreateMessage', faults.handler);
		const before = env.twilio.requests.length;
		try {
			const messages = Array.from({ length: COUNT }, (_, index) => ({
				phoneNumber: recipient(index),
				from: '+16505550100',
				text: `Message ${index}`,
			}));
			const execution = await env.n8n.execute(
				await env.n8n.importWorkflow(
					manyWorkflow('e2eSendSmsMany500', messages, { sendingRate: RATE }),
				),
			);
			expect(execution.error).toBeUndefined();
			// Here n8n could send faster than the rate: the pace binds. Burst: a tenth of the rate.
			const busiest = busiestSecond(env.twilio.requests.slice(before), '+16505550100');
			expect(busiest).toBeLessThanOrEqual(RATE + RATE / 10);

			const { sent, failed, exhausted, requests } = expectEachSentOnceOrFailed(
				env.twilio,
				outputOf(execution, 'Send SMS/MMS'),
				faults.tally,
				{ count: COUNT, firstRequest: before, recipient },
			);
			const tally = faults.tally;

			process.stdout.write(
				`Send SMS/MMS reliability: ${COUNT} items at ${RATE}/s, ${requests} requests (busiest second ${busiest}): ${tally.throttled} answered 429, ` +
					`${tally.failedBefore} 500 before processing, ${tally.createdButFailed.length} 502 after processing; ` +
					`${sent} sent, ${failed} error items (${exhausted} still 429 after every retry), ` +
					`${env.twilio.messages.size} messages on the server\n`,
			);

			// Every item's act is recorded with its outcome.
			const store = new SqliteStore(env.n8n.storePath);
			try {
				const acts = await store.listActs({
					integrationIdn: 'twilio_messenger',
					connectorIdn: 'sms_e2e',
					limit: 10_000,
				});
				const ofRun = acts.filter((act) => String(act.arguments.phoneNumber).startsWith('+16507'));
				const inRun = ofRun.filter(
					(act) => Number(String(act.arguments.phoneNumber).slice(5)) >= 7_100_000,
				);
				expect(inRun.filter((act) => act.status === 'sent')).toHaveLength(sent);
				expect(inRun.filter((act) => act.status === 'failed')).toHaveLength(failed);
			} finally {
				await store.close();
			}
		} finally {
			env.twilio.handle('CreateMessage', defaultTwilioHandler('CreateMessage'));
		}
	});

	test('a 10,000-message campaign as two concurrent runs of one sender at 200 a second, against 30 % 429, 5 % 5xx and a cap of 100 at once: each message accepted once or its item failed, no second of the sender above rate + burst', async () => {
		const COUNT = 10_000;
		const RUNS = 2;
		const PER_RUN = COUNT / RUNS;
		const RATE = 200;
		const BURST = 20; // The documented burst: a tenth of the rate.
		const SENDER = '+16505550100';
		const campaignRecipient = (index: number) => `+1652${String(7_000_000 + index)}`;
		const faults = randomFaults('CreateMessage', {
			throttled: 0.3,
			failedBefore: 0.03,
			failedAfter: 0.02,
			seed: 19,
		});
		const cap = capConcurrency(faults.handler, 100, 20);
		// Each run's n8n process: its memory when the first and the last of its messages arrive.
		const rss = new Map<number, { first: number; last: number; peak: number }>();
		env.twilio.handle('CreateMessage', async (context) => {
			for (const [pid, seen] of rss) {
				const bytes = residentBytes(pid);
				if (bytes === undefined) continue;
				if (seen.first === 0) seen.first = bytes;
				seen.last = bytes;
				seen.peak = Math.max(seen.peak, bytes);
			}
			return await cap.handler(context);
		});
		env.twilio.clearRecords();
		env.twilio.messages.clear();
		const started = Date.now();
		try {
			const ids = await env.n8n.importWorkflows(
				Array.from({ length: RUNS }, (_, run) => {
					const workflow = manyWorkflow(
						`e2eSmsCampaign0${run}`,
						Array.from({ length: PER_RUN }, (_, item) => ({
							phoneNumber: campaignRecipient(run * PER_RUN + item),
							from: SENDER,
							text: `Campaign message ${run * PER_RUN + item}`,
						})),
					);
					const send = (workflow.nodes as unknown as WorkflowNode[]).find(
						(node) => node.name === 'Send SMS/MMS',
					);
					if (!send) throw new Error('send-sms-many.json lost its Send SMS/MMS node');
					send.parameters = {
						operation: 'send_message',
						connectorIdn: 'sms_campaign',
						phoneNumber: '={{ $json.phoneNumber }}',
						from: '={{ $json.from }}',
						text: '={{ $json.text }}',
						options: {},
						concurrency: 100,
						sendingRate: RATE,
					};
					return workflow;
				}),
			);
			// Two n8n processes at once on one store: together they would send faster than the rate, so the shared pace binds.
			// Their runs are read from n8n's database: printed, thousands of items are cut off when the command exits.
			await Promise.all(
				ids.map(
					async (id) =>
						await env.n8n.cli(['execute', `--id=${id}`], {
							timeoutMs: 600_000,
							onSpawn: (pid) => rss.set(pid, { first: 0, last: 0, peak: 0 }),
						}),
				),
			);
			const executions = env.n8n.executions();
			const output = ids.flatMap((id, run) => {
				const execution = executions.find((candidate) => candidate.workflowId === id);
				expect(execution?.status).toBe('success');
				const items = readRunData(env.n8n.databasePath, execution?.id ?? '')['Send SMS/MMS'][0].data
					?.main[0];
				expect(items?.map((item) => item.pairedItem)).toEqual(
					Array.from({ length: PER_RUN }, (_, item) => ({ item })),
				);
				// As one campaign: the second run's items follow the first's.
				return (items ?? []).map((item, index) => ({
					...item,
					pairedItem: { item: run * PER_RUN + index },
				}));
			});

			const { sent, failed, exhausted, requests } = expectEachSentOnceOrFailed(
				env.twilio,
				output,
				faults.tally,
				{ count: COUNT, firstRequest: 0, recipient: campaignRecipient },
			);
			expect(cap.tally.peak).toBeLessThanOrEqual(100);

			// No one-second window at the server holds more of the sender's requests (a 429 too) than rate + burst.
			const busiest = busiestSecond(env.twilio.requests, SENDER);
			expect(busiest).toBeLessThanOrEqual(RATE + BURST);

			const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
			process.stdout.write(
				`Send SMS/MMS campaign: ${COUNT} items in ${RUNS} concurrent runs from one sender at ${RATE}/s (burst ${BURST}), ${requests} requests in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
					`${faults.tally.throttled} random 429, ${cap.tally.capped} 429 over the cap (peak ${cap.tally.peak} at once), ` +
					`${faults.tally.failedBefore} 500, ${faults.tally.createdButFailed.length} 502 after processing; ` +
					`${sent} sent, ${failed} error items (${exhausted} still 429 after every retry); ` +
					`busiest second of the sender: ${busiest} requests; n8n RSS per run at its first / last message (peak): ` +
					`${[...rss.values()].map((seen) => `${mib(seen.first)} / ${mib(seen.last)} (${mib(seen.peak)}) MiB`).join(', ')}\n`,
			);
			expect([...rss.values()].every((seen) => seen.first > 0)).toBe(true);
		} finally {
			env.twilio.handle('CreateMessage', defaultTwilioHandler('CreateMessage'));
		}
	});
});
