import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	answerProblem,
	FALLBACK_HEADER,
	guardAgentAnswer,
} from '../../nodes/AgentActionTrigger/answerGuard';
import {
	configurationProblems,
	deadlineMs,
	readFallback,
} from '../../nodes/AgentActionTrigger/configuration';

const FALLBACK = { result: { completed: false }, agent_message: 'One moment, please.' };

/** How n8n (through Express) answers: headers set one by one, then the whole body in end(). */
function answerLikeN8n(response: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	response.statusCode = status;
	response.setHeader('Content-Type', 'application/json; charset=utf-8');
	response.setHeader('Content-Length', Buffer.byteLength(text));
	response.setHeader('ETag', 'W/"n8n"');
	response.end(text);
}

describe('Agent Action Trigger keeps the agent’s time budget', () => {
	let server: Server;
	let url: string;
	let warnings: string[];
	/** What the "workflow" does with the response, per test. */
	let workflow: (response: ServerResponse) => void;
	let lateAnswerFailed: unknown;

	beforeAll(async () => {
		server = createServer((_request, response) => {
			guardAgentAnswer(response, {
				deadlineMs: 300,
				fallback: FALLBACK,
				warn: (message) => warnings.push(message),
			});
			workflow(response);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	});

	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	beforeEach(() => {
		warnings = [];
		lateAnswerFailed = undefined;
	});

	test('an answer {result, agent_message} in time reaches the agent as it is', async () => {
		const answer = { result: { booked: true }, agent_message: 'Booked' };
		workflow = (response) => setTimeout(() => answerLikeN8n(response, 200, answer), 50);
		const response = await fetch(url, { method: 'POST' });
		expect(response.status).toBe(200);
		expect(response.headers.get(FALLBACK_HEADER)).toBeNull();
		expect(await response.json()).toEqual(answer);
		expect(warnings).toEqual([]);
	});

	test('no answer by the deadline: the agent gets the fallback then, and the late answer is dropped', async () => {
		let late: Promise<void> = Promise.resolve();
		workflow = (response) => {
			late = new Promise((resolve) =>
				setTimeout(() => {
					try {
						answerLikeN8n(response, 200, { result: { booked: true } });
					} catch (error) {
						lateAnswerFailed = error;
					}
					resolve();
				}, 700),
			);
		};
		const started = Date.now();
		const response = await fetch(url, { method: 'POST' });
		const waited = Date.now() - started;
		expect(response.status).toBe(200);
		expect(response.headers.get(FALLBACK_HEADER)).toBe('deadline');
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(await response.json()).toEqual(FALLBACK);
		expect(waited).toBeGreaterThanOrEqual(290);
		expect(waited).toBeLessThan(650);
		await late;
		expect(lateAnswerFailed).toBeUndefined();
		expect(warnings).toEqual([
			'no answer within 0.3 s: the agent got the fallback answer',
			'the workflow answered after the deadline; the agent had the fallback answer',
		]);
	});

	test.each([
		[500, { message: 'Error in workflow' }, 'the answer has status 500'],
		[200, { booked: true }, 'the answer has no "result" object'],
		[200, { result: 'done' }, 'the answer has no "result" object'],
		[200, { result: {}, agent_message: 3 }, '"agent_message" is not text'],
	])('an answer %s %j is replaced by the fallback, and told', async (status, body, problem) => {
		workflow = (response) => {
			answerLikeN8n(response, status, body);
			// n8n ends a response-node answer once more on the next tick.
			process.nextTick(() => response.end());
		};
		const response = await fetch(url, { method: 'POST' });
		expect(response.status).toBe(200);
		expect(response.headers.get(FALLBACK_HEADER)).toBe('invalid-answer');
		expect(response.headers.get('etag')).toBeNull();
		expect(await response.json()).toEqual(FALLBACK);
		expect(warnings).toEqual([
			`${problem}, not {result, agent_message}: the agent got the fallback answer`,
		]);
	});

	test('answerProblem accepts a result object with or without agent_message', () => {
		expect(answerProblem(200, '{"result": {}}')).toBeUndefined();
		expect(
			answerProblem(201, '{"result": {"a": 1}, "agent_message": null, "x": 1}'),
		).toBeUndefined();
		expect(answerProblem(200, 'plain')).toBe('the answer is not JSON');
		expect(answerProblem(200, '[]')).toBe('the answer is not a JSON object');
	});
});

describe('Agent Action Trigger options: deadline and fallback', () => {
	test('the deadline defaults to 9 s and never exceeds the agent’s 10 s', () => {
		expect(deadlineMs({})).toBe(9_000);
		expect(deadlineMs({ answerDeadline: 2.5 })).toBe(2_500);
		expect(deadlineMs({ answerDeadline: 30 })).toBe(10_000);
		expect(deadlineMs({ answerDeadline: 0 })).toBe(9_000);
	});

	test('the fallback answer: a default, or the result object and message given', () => {
		expect(readFallback({}).answer).toEqual({
			result: { completed: false },
			agent_message: "Sorry, I couldn't finish that just now.",
		});
		expect(
			readFallback({ fallbackResult: '{"queued": true}', fallbackAgentMessage: ' ' }).answer,
		).toEqual({ result: { queued: true } });
		expect(readFallback({ fallbackResult: { queued: true } }).answer?.result).toEqual({
			queued: true,
		});
	});

	test('a Fallback Result that is not a JSON object stops activation', () => {
		const configuration = {
			secret: 'c2VjcmV0',
			inputSchema: '',
			responseMode: 'lastNode' as const,
			childNodes: [],
		};
		expect(configurationProblems({ ...configuration, options: { fallbackResult: '[1]' } })).toEqual(
			['Fallback Result must be a JSON object'],
		);
		expect(
			configurationProblems({ ...configuration, options: { fallbackResult: '{nope' } }),
		).toEqual([expect.stringMatching(/^Fallback Result is not valid JSON/)]);
	});
});
