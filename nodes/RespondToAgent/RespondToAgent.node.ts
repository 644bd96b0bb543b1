import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

/** Parses the Result field: a JSON object, given as an object or as JSON text. */
function resultObject(functions: IExecuteFunctions, value: unknown): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = value.trim() === '' ? {} : JSON.parse(value);
		} catch (error) {
			return notAnObject(functions, `is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		return notAnObject(functions, 'must be a JSON object');
	return parsed as IDataObject;
}

function notAnObject(functions: IExecuteFunctions, problem: string): never {
	throw new NodeOperationError(functions.getNode(), `Result ${problem} (field 'result', item 0)`, {
		itemIndex: 0,
		description:
			'The agent expects {"result": {…}, "agent_message": "…"}; write the result as an object, e.g. {"booked": true}',
	});
}

/**
 * Answers the agent request that started the workflow (Agent Action Trigger
 * with Respond "Using 'Respond to Agent' Node") with {result, agent_message}.
 * n8n's own Respond to Webhook answers only n8n's own Webhook trigger from
 * version 1.1 on; this node answers any trigger that waits for a response node.
 */
// Not a tool: it answers the request that started its own workflow, which an AI agent calling tools does not have.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class RespondToAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Respond to Agent',
		name: 'respondToAgent',
		icon: {
			light: 'file:../../icons/agentActionTrigger.svg',
			dark: 'file:../../icons/agentActionTrigger.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["agentMessage"] || "result only"}}',
		description:
			'Answer the voice agent that called Agent Action Trigger with {result, agent_message}',
		defaults: { name: 'Respond to Agent' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Answers the first item only, once: the agent waits for one answer, at most 10 seconds',
				name: 'onceNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Result',
				name: 'result',
				type: 'json',
				default: '{}',
				required: true,
				description:
					'What the action did, as a JSON object; the agent reads it (and speaks about it when speak_on_receive is on)',
			},
			{
				displayName: 'Agent Message',
				name: 'agentMessage',
				type: 'string',
				default: '',
				placeholder: "e.g. You're booked for 10:30am",
				description: 'Text the agent speaks into the call; empty sends none',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const result = resultObject(this, this.getNodeParameter('result', 0));
		const agentMessage = String(this.getNodeParameter('agentMessage', 0, '') ?? '').trim();
		const body: IDataObject =
			agentMessage === '' ? { result } : { result, agent_message: agentMessage };
		await this.sendResponse({
			body,
			headers: { 'content-type': 'application/json; charset=utf-8' },
			statusCode: 200,
		});
		return [items];
	}
}
