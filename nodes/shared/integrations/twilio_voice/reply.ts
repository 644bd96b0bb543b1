/**
 * Reply to Call: the answer to the turn of the Call Trigger that started the
 * workflow, as TwiML. It goes through the store to the trigger that holds
 * Twilio's request; one that comes after the trigger gave up (the fallback
 * phrase was said) is spoken into the live call instead.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionalHttpUrl } from '../../commands/arguments';
import { toNodeError } from '../../commands/errors';
import { getStore } from '../../store';
import type { JsonObject } from '../../store/types';
import { createTwilioClient } from '../../transport/twilio';
import { updateCall } from './api';
import { readTransferTarget } from './callArguments';
import { conversationUrlOf, leaveTurnAnswer } from './session';
import { turnTwiml, type AfterSpeaking, type ListenOptions } from './twiml';

export type ReplyAction = 'listen' | 'hangup' | 'transfer';

export interface ReplyOptions {
	finishOnKey?: string;
	hints?: string;
	input?: Array<'speech' | 'dtmf'>;
	language?: string;
	listenLanguage?: string;
	listenTimeout?: number;
	playUrl?: string;
	speechModel?: string;
	speechTimeout?: string;
	voice?: string;
}

interface PendingTurn {
	sessionId: string;
	callSid: string;
	turn: number;
}

const CALL_TRIGGER_TYPE = /(^|\.)callTrigger$/;

/** The turn this workflow answers: the output of the Call Trigger that started it. */
function pendingTurn(functions: IExecuteFunctions): PendingTurn {
	const trigger = functions
		.getParentNodes(functions.getNode().name)
		.find((parent) => CALL_TRIGGER_TYPE.test(parent.type));
	if (trigger === undefined) {
		throw new NodeOperationError(
			functions.getNode(),
			'Reply to Call answers a Call Trigger, and none comes before it',
			{
				description:
					'Start the workflow with a Call Trigger; to speak into a call from elsewhere use Send Command set_turn_message',
			},
		);
	}
	const json = functions.evaluateExpression(
		`{{ $(${JSON.stringify(trigger.name)}).first().json }}`,
		0,
	) as JsonObject | undefined;
	if (
		typeof json?.sessionId !== 'string' ||
		typeof json.callSid !== 'string' ||
		typeof json.turn !== 'number'
	) {
		throw new NodeOperationError(
			functions.getNode(),
			`The output of ${trigger.name} has no call turn to answer`,
		);
	}
	return { sessionId: json.sessionId, callSid: json.callSid, turn: json.turn };
}

function afterSpeaking(
	functions: IExecuteFunctions,
	action: ReplyAction,
	options: ReplyOptions,
	conversationUrl: string | undefined,
): AfterSpeaking {
	if (action === 'hangup') return { kind: 'hangup' };
	if (action === 'transfer') {
		return {
			kind: 'transfer',
			target: readTransferTarget({
				phoneNumber: functions.getNodeParameter('phoneNumber', 0, '') as string,
				waitForTransferSeconds: functions.getNodeParameter(
					'waitForTransferSeconds',
					0,
					30,
				) as number,
			}),
		};
	}
	const listen: ListenOptions = {
		// Explicit, so the answer also works when it reaches the call late, through the REST API.
		actionUrl: conversationUrl,
		input: options.input?.length ? options.input : undefined,
		timeout: options.listenTimeout,
		// Twilio's own default waits the full timeout after speech ends; auto answers as soon as the caller stops.
		speechTimeout: options.speechTimeout || 'auto',
		speechModel: options.speechModel || undefined,
		hints: options.hints || undefined,
		language: options.listenLanguage || undefined,
		finishOnKey: options.finishOnKey || undefined,
	};
	return { kind: 'listen', listen };
}

/** Speaks an answer the trigger no longer waits for into the live call; says how it was delivered. */
async function deliverLate(
	functions: IExecuteFunctions,
	callSid: string,
	twiml: string,
): Promise<JsonObject> {
	try {
		await updateCall(await createTwilioClient(functions, 0), callSid, { Twiml: twiml });
		return { deliveredBy: 'rest', late: true };
	} catch (error) {
		return {
			deliveredBy: 'none',
			late: true,
			error: error instanceof Error ? error.message : String(error),
		};
	}
}

/** Answers the pending turn with the node's parameters; the `reply` its first item reports. */
export async function answerCallTurn(functions: IExecuteFunctions): Promise<JsonObject> {
	const turn = pendingTurn(functions);
	const text = String(functions.getNodeParameter('text', 0, '') ?? '').trim();
	const action = functions.getNodeParameter('afterSpeaking', 0) as ReplyAction;
	const options = functions.getNodeParameter('options', 0, {}) as ReplyOptions;
	const store = await getStore();
	const session = await store.getSession(turn.sessionId);
	if (session === null)
		throw new NodeOperationError(
			functions.getNode(),
			`The call session ${turn.sessionId} is gone from the store`,
			{ itemIndex: 0 },
		);
	let twiml: string;
	try {
		const playUrl = optionalHttpUrl({ playUrl: options.playUrl ?? '' }, 'playUrl');
		twiml = turnTwiml({
			text,
			speech: { voice: options.voice || undefined, language: options.language || undefined },
			playUrl,
			then: afterSpeaking(functions, action, options, conversationUrlOf(session)),
		});
	} catch (error) {
		throw toNodeError(functions, error, 0);
	}

	const inTime = await leaveTurnAnswer(store, session, { turn: turn.turn, twiml }, text);
	// When late, the caller already heard the fallback phrase.
	const delivery = inTime
		? { deliveredBy: 'webhook' }
		: await deliverLate(functions, turn.callSid, twiml);
	return { callSid: turn.callSid, turn: turn.turn, twiml, ...delivery };
}
