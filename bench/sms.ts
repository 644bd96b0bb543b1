/**
 * Send SMS/MMS against n8n's built-in HTTP Request node posting the same
 * Twilio requests (form body To / From / Body, Basic auth from a credential),
 * and against sending one message after another (how n8n's built-in Twilio
 * node sends; it cannot be aimed at a test server). The Twilio test server
 * answers every request 50 ms late, checks it against Twilio's spec and
 * counts the messages it accepted. See contenders.ts for rounds and timing.
 */
import { startTwilioN8n } from '../test/support/twilioE2e';
import { contenderLines, measureContenders, type Contender } from './contenders';

const MESSAGES = 2_000;
/** Sequential sending takes about 50 ms a message: fewer messages and rounds keep its rate without minutes of waiting. */
const SEQUENTIAL_MESSAGES = 200;
const ROUNDS = 5;
const SEQUENTIAL_ROUNDS = 3;
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

function contenders(messagesUrl: string): Contender[] {
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
	const all = messages(MESSAGES);
	return [
		{
			name: 'HTTP Request (n8n built-in)',
			items: all,
			node: {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: messagesUrl,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpBasicAuth',
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
				credentials: { httpBasicAuth: { id: 'benchSmsBasic001', name: 'Twilio Basic (bench)' } },
			},
		},
		{ name: 'Send SMS/MMS (50 at once, default)', items: all, node: sendSms(50) },
		{ name: 'Send SMS/MMS (100 at once)', items: all, node: sendSms(100) },
		{
			name: 'Send SMS/MMS (1 at once: sequential)',
			items: messages(SEQUENTIAL_MESSAGES),
			node: sendSms(1),
			rounds: SEQUENTIAL_ROUNDS,
		},
	];
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
		const times = await measureContenders(n8n, all, {
			rounds: ROUNDS,
			idPrefix: 'benchSms',
			// Each run must have put every message through, each once, as requests Twilio's spec accepts.
			afterRun: (contender) => {
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
			},
		});
		const lines = [
			`SMS (Twilio test server answering after ${LATENCY_MS} ms; ${MESSAGES} messages, sequential ${SEQUENTIAL_MESSAGES}; median of ${ROUNDS} rounds, sequential ${SEQUENTIAL_ROUNDS}; node execution time)`,
			...contenderLines(all, times, 'msgs'),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await n8n.dispose();
		await twilio.close();
	}
}

/** `node -r ./test/support/ts-register.js bench/sms.ts` runs this part alone (after `npm run build`). */
if (require.main === module) void benchSms();
