import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { optionalHttpUrl } from '../shared/commands/arguments';
import { toNodeError } from '../shared/commands/errors';
import { leaveTurnAnswer } from '../shared/commands/twilio_voice/callSession';
import { readTransferTarget } from '../shared/commands/twilio_voice/callControl';
import { getStore } from '../shared/store';
import type { JsonObject } from '../shared/store/types';
import { createTwilioClient } from '../shared/transport/twilio';
import { turnTwiml, type AfterSpeaking, type ListenOptions } from '../shared/twiml/voice';

type Action = 'listen' | 'hangup' | 'transfer';

interface ReplyOptions {
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
	action: Action,
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

/**
 * Answers the turn of the Call Trigger that started the workflow with TwiML
 * built by the `twilio` package. The answer goes through the store to the
 * trigger that holds Twilio's request; one that comes after the trigger gave
 * up (the fallback phrase was said) is spoken into the live call instead.
 */
// Not a tool: it answers the call turn that started its own workflow, which an AI agent calling tools does not have.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ReplyToCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reply to Call',
		name: 'replyToCall',
		icon: {
			light: 'file:../../icons/callTrigger.svg',
			dark: 'file:../../icons/callTrigger.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{"then " + $parameter["afterSpeaking"]}}',
		description:
			'Say a reply to the caller of a Call Trigger, then listen again, hang up or transfer',
		defaults: { name: 'Reply to Call' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'agentTwilioApi', required: true }],
		properties: [
			{
				displayName:
					"The caller hears nothing until this node runs: Twilio waits at most 15 seconds per turn, and after the Call Trigger's Reply Timeout the caller hears its Fallback Phrase. A later reply is still spoken into the call.",
				name: 'timeoutNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Text to Say',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '={{ $json.output }}',
				description:
					"What the caller hears; the default is an AI Agent's output. Empty: say nothing.",
			},
			{
				displayName: 'Then',
				name: 'afterSpeaking',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Listen for the Caller',
						value: 'listen',
						description: 'The next thing the caller says (or silence) comes to the Call Trigger',
					},
					{ name: 'Hang Up', value: 'hangup' },
					{
						name: 'Transfer the Call',
						value: 'transfer',
						description: 'Dial another party; this conversation ends',
					},
				],
				default: 'listen',
			},
			{
				displayName: 'Transfer To',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. +16507000000',
				description:
					'An E.164 number, a SIP address (sip:…) or a Voice SDK client (client:identity)',
				displayOptions: { show: { afterSpeaking: ['transfer'] } },
			},
			{
				displayName: 'Wait for Transfer (Seconds)',
				name: 'waitForTransferSeconds',
				type: 'number',
				typeOptions: { minValue: 5, maxValue: 600 },
				default: 30,
				description: 'How long the new party may ring',
				displayOptions: { show: { afterSpeaking: ['transfer'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Finish On Key',
						name: 'finishOnKey',
						type: 'string',
						default: '#',
						description: 'When listening: the key that ends DTMF input',
					},
					{
						displayName: 'Hints',
						name: 'hints',
						type: 'string',
						default: '',
						placeholder: 'e.g. appointment, cancel, agent',
						description: 'When listening: words and phrases to expect, comma-separated',
					},
					{
						displayName: 'Listen For',
						name: 'input',
						type: 'multiOptions',
						options: [
							{ name: 'Keys (DTMF)', value: 'dtmf' },
							{ name: 'Speech', value: 'speech' },
						],
						default: ['speech', 'dtmf'],
					},
					{
						displayName: 'Listen Language',
						name: 'listenLanguage',
						type: 'string',
						default: '',
						placeholder: 'e.g. en-US',
						description: 'Language the caller speaks (speech recognition)',
					},
					{
						displayName: 'Listen Timeout (Seconds)',
						name: 'listenTimeout',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 60 },
						default: 5,
						description: 'Seconds of silence before the turn ends with no input',
					},
					{
						displayName: 'Play Audio URL',
						name: 'playUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/chime.mp3',
						description: 'Audio played after the text',
					},
					{
						displayName: 'Speech Model',
						name: 'speechModel',
						type: 'string',
						default: '',
						placeholder: 'e.g. phone_call',
						description: "Twilio's speech recognition model",
					},
					{
						displayName: 'Speech Timeout',
						name: 'speechTimeout',
						type: 'string',
						default: 'auto',
						description: 'Seconds of silence that end an utterance, or auto',
					},
					{
						displayName: 'Voice',
						name: 'voice',
						type: 'string',
						default: '',
						placeholder: 'e.g. Polly.Joanna',
						description: 'Voice the text is said in',
					},
					{
						displayName: 'Voice Language',
						name: 'language',
						type: 'string',
						default: '',
						placeholder: 'e.g. en-US',
						description: 'Language the text is said in',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const turn = pendingTurn(this);
		const text = String(this.getNodeParameter('text', 0, '') ?? '').trim();
		const action = this.getNodeParameter('afterSpeaking', 0) as Action;
		const options = this.getNodeParameter('options', 0, {}) as ReplyOptions;
		const store = await getStore();
		const session = await store.getSession(turn.sessionId);
		if (session === null)
			throw new NodeOperationError(
				this.getNode(),
				`The call session ${turn.sessionId} is gone from the store`,
				{ itemIndex: 0 },
			);
		const conversationUrl =
			typeof session.state.conversationUrl === 'string' ? session.state.conversationUrl : undefined;
		let twiml: string;
		try {
			const playUrl = optionalHttpUrl({ playUrl: options.playUrl ?? '' }, 'playUrl');
			twiml = turnTwiml({
				text,
				speech: { voice: options.voice || undefined, language: options.language || undefined },
				playUrl,
				then: afterSpeaking(this, action, options, conversationUrl),
			});
		} catch (error) {
			throw toNodeError(this, error, 0);
		}

		const inTime = await leaveTurnAnswer(store, session, { turn: turn.turn, twiml }, text);
		let delivery: JsonObject = { deliveredBy: 'webhook' };
		if (!inTime) {
			// The caller already heard the fallback phrase: speak the answer into the live call.
			try {
				const client = await createTwilioClient(this, 0);
				await client.request({
					method: 'POST',
					path: `/2010-04-01/Accounts/{AccountSid}/Calls/${turn.callSid}.json`,
					form: { Twiml: twiml },
				});
				delivery = { deliveredBy: 'rest', late: true };
			} catch (error) {
				delivery = {
					deliveredBy: 'none',
					late: true,
					error: error instanceof Error ? error.message : String(error),
				};
			}
		}
		return [
			items.map((item, index) => ({
				json:
					index === 0
						? {
								...item.json,
								reply: { callSid: turn.callSid, turn: turn.turn, twiml, ...delivery },
							}
						: item.json,
				pairedItem: { item: index },
			})),
		];
	}
}
