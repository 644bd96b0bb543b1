/**
 * Send SMS/MMS against n8n's built-in HTTP Request node posting the same
 * Twilio requests (form body To / From / Body), once with the Basic Auth
 * credential Twilio needs (the baseline) and once with no credential (the
 * account in the URL, which n8n does not look up per request), and against
 * sending one message after another (how n8n's built-in Twilio node sends;
 * it cannot be aimed at a test server). The Twilio test server answers every
 * request 50 ms late, checks it against Twilio's spec and counts the
 * messages it accepted; a second part answers at once (0 ms), where only the
 * per-item CPU cost counts. See contenders.ts for rounds and timing.
 */
import { startTwilioN8n } from '../test/support/twilioE2e';
import { contenderLines, measureContenders, median, type Contender } from './contenders';

const MESSAGES = 2_000;
/** Sequential sending takes about 50 ms a message: fewer messages and rounds keep its rate without minutes of waiting. */
const SEQUENTIAL_MESSAGES = 200;
const ROUNDS = 5;
const SEQUENTIAL_ROUNDS = 3;
const AT_ONCE_ROUNDS = 3;
/** The Twilio test server every SMS bench sends to, and the account and sender it sends as. */
export const LATENCY_MS = 50;
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'bench-auth-token-for-the-test-server';
export const FROM = '+16505550100';

function messages(count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({
		to: `+1650${String(7_000_000 + index)}`,
		text: `Your code is ${100_000 + index}`,
	}));
}

interface SmsContenders {
	/** Against the 50 ms server; the first is the baseline. */
	late: Contender[];
	/** Against the server answering at once; the first is the baseline. */
	atOnce: Contender[];
}

function contenders(messagesUrl: string): SmsContenders {
	const twilioCredential = { agentTwilioApi: { id: 'benchSmsTwilio01', name: 'Twilio (bench)' } };
	const sendSms = (concurrency: number) => ({
		type: 'n8n-nodes-agent-connectors.sendSms',
		typeVersion: 1,
		parameters: {
			operation: 'send_message',
			connectorIdn: 'bench',
			phoneNumber: '={{ $json.to }}',
			from: FROM,
			text: '={{ $json.text }}',
			options: {},
			concurrency,
		},
		credentials: twilioCredential,
	});
	const httpRequest = (url: string, basicAuth: boolean) => ({
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url,
			...(basicAuth
				? { authentication: 'genericCredentialType', genericAuthType: 'httpBasicAuth' }
				: {}),
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: {
				parameters: [
					{ name: 'To', value: '={{ $json.to }}' },
					{ name: 'From', value: FROM },
					{ name: 'Body', value: '={{ $json.text }}' },
				],
			},
			options: {},
		},
		...(basicAuth
			? { credentials: { httpBasicAuth: { id: 'benchSmsBasic001', name: 'Twilio Basic (bench)' } } }
			: {}),
	});
	// The account in the URL: Basic auth on the wire, no credential for n8n to read per request.
	const url = new URL(messagesUrl);
	url.username = ACCOUNT_SID;
	url.password = AUTH_TOKEN;
	const all = messages(MESSAGES);
	const noCredential: Contender = {
		name: 'HTTP Request, no credential, all at once',
		items: all,
		node: httpRequest(url.toString(), false),
	};
	const hundred: Contender = {
		name: 'Send SMS/MMS (100 at once)',
		items: all,
		node: sendSms(100),
	};
	return {
		late: [
			{
				name: 'HTTP Request, Basic Auth credential, all at once',
				items: all,
				node: httpRequest(messagesUrl, true),
			},
			noCredential,
			{ name: 'Send SMS/MMS (50 at once, default)', items: all, node: sendSms(50) },
			hundred,
			{
				name: 'Send SMS/MMS (1 at once: sequential)',
				items: messages(SEQUENTIAL_MESSAGES),
				node: sendSms(1),
				rounds: SEQUENTIAL_ROUNDS,
			},
		],
		atOnce: [
			{ ...noCredential, name: `${noCredential.name} (0 ms)` },
			{ ...hundred, name: `${hundred.name} (0 ms)` },
		],
	};
}

/** Milliseconds of a contender's node time per item (median round). */
function perItemMs(contender: Contender, times: Map<string, number[]>): number {
	return median(times.get(contender.name) ?? []) / contender.items.length;
}

export async function benchSms(): Promise<void> {
	const { n8n, twilio } = await startTwilioN8n({
		accountSid: ACCOUNT_SID,
		authToken: AUTH_TOKEN,
		latencyMs: LATENCY_MS,
		credentialId: 'benchSmsTwilio01',
		credentialName: 'Twilio (bench)',
		n8n: { nodes: 'install', env: { N8N_LOG_LEVEL: 'warn' } },
	});
	try {
		await n8n.importCredentials([
			{
				id: 'benchSmsBasic001',
				name: 'Twilio Basic (bench)',
				type: 'httpBasicAuth',
				data: { user: ACCOUNT_SID, password: AUTH_TOKEN },
			},
		]);
		const all = contenders(`${twilio.baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
		// Each run must have put every message through, each once, as requests Twilio's spec accepts.
		const afterRun = (contender: Contender) => {
			twilio.assertNoViolations();
			const accepted = twilio
				.requestsTo('POST', '/Messages.json')
				.filter((request) => request.status === 201).length;
			if (accepted !== contender.items.length)
				throw new Error(
					`${contender.name}: the server accepted ${accepted} messages, expected ${contender.items.length}`,
				);
			twilio.clearRecords();
			twilio.messages.clear();
		};
		const late = await measureContenders(n8n, all.late, {
			rounds: ROUNDS,
			idPrefix: 'benchSms',
			afterRun,
		});
		twilio.setLatency(0);
		const atOnce = await measureContenders(n8n, all.atOnce, {
			rounds: AT_ONCE_ROUNDS,
			idPrefix: 'benchSmsAtOnce',
			afterRun,
		});
		const wire = (inFlight: number) => ((inFlight / LATENCY_MS) * 1000).toFixed(0);
		const [floor, node] = all.atOnce;
		const lines = [
			`SMS (Twilio test server answering after ${LATENCY_MS} ms; ${MESSAGES} messages, sequential ${SEQUENTIAL_MESSAGES}; median of ${ROUNDS} rounds, sequential ${SEQUENTIAL_ROUNDS}; node execution time)`,
			`  the wire's limit at ${LATENCY_MS} ms: ${wire(50)} msgs/s at 50 in flight, ${wire(100)} msgs/s at 100`,
			...contenderLines(all.late, late, 'msgs'),
			`SMS, server answering at once (0 ms): the per-item CPU cost; median of ${AT_ONCE_ROUNDS} rounds`,
			...contenderLines(all.atOnce, atOnce, 'msgs'),
			`  per item: ${floor.name} ${perItemMs(floor, atOnce).toFixed(2)} ms, ${node.name} ${perItemMs(node, atOnce).toFixed(2)} ms`,
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await n8n.dispose();
		await twilio.close();
	}
}

/** `node -r ./test/support/ts-register.js bench/sms.ts` runs this part alone (after `npm run build`). */
if (require.main === module) void benchSms();
