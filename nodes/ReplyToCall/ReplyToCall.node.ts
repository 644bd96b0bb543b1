import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { transferToProperty } from '../shared/integrations/twilio_voice/callArguments';
import { answerCallTurn } from '../shared/integrations/twilio_voice/reply';

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
			{ ...transferToProperty, displayOptions: { show: { afterSpeaking: ['transfer'] } } },
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
		const reply = await answerCallTurn(this);
		return [
			items.map((item, index) => ({
				json: index === 0 ? { ...item.json, reply } : item.json,
				pairedItem: { item: index },
			})),
		];
	}
}
