import { timeOrderedId } from '../../store/ids';
import type { Act, JsonObject, JsonValue, SessionStore } from '../../store/types';
import type { HttpOutcome } from '../../transport/http';

export const HTTP_INTEGRATION = 'http';
export const SEND_REQUEST = 'send_request';
/** Seed 000: any completed response, whatever its status code. */
export const RESULT_SUCCESS = 'result_success';
/** Seed 000: no complete response (network failure, timeout, interruption). */
export const RESULT_ERROR = 'result_error';
export const RESULT_EVENTS = [RESULT_SUCCESS, RESULT_ERROR];

/**
 * How long after its own timeout an async request still in flight is taken
 * as interrupted (its process stopped): then a sweeper settles it as
 * result_error, so no result is silently lost.
 */
export const INTERRUPTED_AFTER_TIMEOUT_MS = 10_000;

/** What the seed's handlers read from GetAct(): passed through from the request to its result. */
export interface ResultRouting {
	targetAction: string | null;
	runSkill: string | null;
	parameters: JsonValue;
	params: JsonValue;
	request_parameters: JsonValue;
	userPersonaId: string | null;
}

export type ResponseFormat = 'raw' | 'agentAction';

function textOrNull(value: JsonValue | undefined): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** The routing fields as the act records them (see sendRequest's recordArguments). */
export function routingOf(recorded: JsonObject): ResultRouting {
	return {
		targetAction: textOrNull(recorded.targetAction),
		runSkill: textOrNull(recorded.runSkill),
		parameters: recorded.parameters ?? null,
		params: recorded.params ?? null,
		request_parameters: recorded.request_parameters ?? null,
		userPersonaId: textOrNull(recorded.userPersonaId),
	};
}

/** `{result, agent_message}` of an agent-action answer (seed 002); nulls when the answer has another shape. */
function agentAnswer(body: JsonValue): JsonObject {
	const answer = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
	return { result: answer.result ?? null, agent_message: textOrNull(answer.agent_message) };
}

/**
 * The result as every consumer sees it: the node's own output in sync mode,
 * the event HTTP Result Trigger emits in async mode, and the act's result.
 * Mirrors the seed's GetTriggeredAct() (statusCode, body, errorMessage,
 * commandActId, referenceIdn) plus GetAct()'s arguments (targetAction,
 * parameters …). `referenceIdn` identifies this one result.
 */
export function resultPayload(
	actId: string,
	routing: ResultRouting,
	outcome: HttpOutcome,
	format: ResponseFormat,
): JsonObject {
	const common = {
		commandActId: actId,
		referenceIdn: timeOrderedId(),
		...routing,
		durationMs: outcome.durationMs,
	};
	if (!outcome.completed) {
		return {
			event: RESULT_ERROR,
			statusCode: outcome.statusCode,
			headers: {},
			body: outcome.body,
			errorMessage: outcome.errorMessage,
			errorCode: outcome.errorCode,
			...common,
		};
	}
	return {
		event: RESULT_SUCCESS,
		statusCode: outcome.statusCode,
		headers: outcome.headers,
		body: outcome.body,
		errorMessage: null,
		errorCode: null,
		...(format === 'agentAction' ? agentAnswer(outcome.body) : {}),
		...common,
	};
}

export function actStatusOf(payload: JsonObject): 'completed' | 'failed' {
	return payload.event === RESULT_SUCCESS ? 'completed' : 'failed';
}

/**
 * Settles an async request's act with its result and publishes the result
 * event, in one step and only if nobody settled it before (the sweeper may
 * have taken it as interrupted). Returns whether this call settled it.
 */
export async function settleRequest(
	store: SessionStore,
	act: Act,
	payload: JsonObject,
): Promise<boolean> {
	const settled = await store.settleAct(
		act.id,
		'sent',
		{ status: actStatusOf(payload), result: payload },
		{
			type: String(payload.event),
			integrationIdn: HTTP_INTEGRATION,
			connectorIdn: act.connectorIdn,
			payload,
		},
	);
	return settled !== null;
}

/** What an async request's act holds while it is in flight. */
export interface InFlightResult {
	inFlight: true;
	/** Epoch ms after which the request counts as interrupted. */
	interruptedAfter: number;
	format: ResponseFormat;
}

export function isInFlight(result: JsonValue): result is JsonObject & InFlightResult {
	return (
		result !== null &&
		typeof result === 'object' &&
		!Array.isArray(result) &&
		result.inFlight === true
	);
}

/**
 * Settles as result_error every async request whose process stopped before
 * it ended (n8n restarted, a worker died): its act is still `sent` long after
 * its timeout. Safe to run from any number of processes at once.
 */
export async function settleInterruptedRequests(
	store: SessionStore,
	now = Date.now(),
): Promise<number> {
	const inFlight = await store.listActs({
		integrationIdn: HTTP_INTEGRATION,
		commandIdn: SEND_REQUEST,
		status: 'sent',
		limit: 1000,
	});
	let settled = 0;
	for (const act of inFlight) {
		if (!isInFlight(act.result) || act.result.interruptedAfter > now) continue;
		const outcome: HttpOutcome = {
			completed: false,
			errorMessage: 'interrupted: n8n stopped before the request completed',
			errorCode: 'INTERRUPTED',
			statusCode: null,
			body: null,
			durationMs: now - act.createdAt,
		};
		if (
			await settleRequest(
				store,
				act,
				resultPayload(act.id, routingOf(act.arguments), outcome, act.result.format),
			)
		)
			settled += 1;
	}
	return settled;
}
