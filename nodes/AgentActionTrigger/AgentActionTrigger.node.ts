import type { IncomingMessage, ServerResponse } from 'node:http';

import type {
	FunctionsBase,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { REQUEST_SIGNING_CREDENTIAL } from '../shared/transport/credentialTypes';
import { DEFAULT_SIGNATURE_HEADER } from '../shared/transport/signing';
import { requestSigningSecretTest } from '../shared/transport/signingCredentialTest';
import { checkAgentRequest, normaliseHeaderName, type AgentRequestRefusal } from './agentRequest';
import { guardAgentAnswer } from './answerGuard';
import {
	AGENT_WAIT_SECONDS,
	configurationProblems,
	deadlineMs,
	DEFAULT_DEADLINE_SECONDS,
	DEFAULT_FALLBACK_MESSAGE,
	DEFAULT_FALLBACK_RESULT,
	readFallback,
	type ResponseMode,
	type TriggerOptions,
} from './configuration';

async function readSecret(context: FunctionsBase): Promise<string | undefined> {
	try {
		const credential = await context.getCredentials<{ secret?: unknown }>(
			REQUEST_SIGNING_CREDENTIAL,
		);
		return typeof credential.secret === 'string' ? credential.secret : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The body bytes as received, which n8n's webhook server keeps beside the
 * parsed body (n8n-workflow types them on IncomingMessage). Reading is a
 * no-op once n8n has read them; a multipart stream n8n parsed has no bytes
 * left, so its signature cannot match.
 */
async function readRawBody(request: IncomingMessage): Promise<Buffer | undefined> {
	try {
		await request.readRawBody();
	} catch {
		return undefined;
	}
	const raw: Buffer | undefined = request.rawBody;
	return raw;
}

function answer(response: ServerResponse, status: number, body: AgentRequestRefusal): void {
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

export class AgentActionTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Agent Action Trigger',
		name: 'agentActionTrigger',
		icon: {
			light: 'file:../../icons/agentActionTrigger.svg',
			dark: 'file:../../icons/agentActionTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{"POST /" + $parameter["path"]}}',
		description:
			"Starts the workflow when a voice agent calls this URL as an External Action (Vocode style), once the request's signature is verified",
		eventTriggerDescription: 'Waiting for you to call the Test URL with a signed request',
		activationMessage: "You can now set the production URL as the agent's External Action URL.",
		defaults: { name: 'Agent Action Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: REQUEST_SIGNING_CREDENTIAL, required: true, testedBy: 'requestSigningSecretTest' },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				responseMode: '={{$parameter["responseMode"]}}',
				responseData: 'firstEntryJson',
			},
		],
		properties: [
			{
				displayName:
					'The agent waits at most 10 seconds for the answer (Vocode times out after 10 s). If the workflow has not answered by the Answer Deadline (Options, default 9 s), the agent gets the Fallback Result and Fallback Agent Message instead.',
				name: 'timeoutNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'agent-action',
				required: true,
				placeholder: 'e.g. book-meeting',
				description:
					'The last part of the URL the agent calls. Every active workflow needs its own path, so give each External Action one.',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description:
							'Answers the first item of the last node that runs; it must hold "result" (an object) and may hold "agent_message" (text the agent speaks)',
					},
					{
						name: "Using 'Respond to Agent' Node",
						value: 'responseNode',
						description:
							'Answers what a Respond to Agent node (or a Respond to Webhook node of version 1) sends',
					},
				],
				default: 'lastNode',
				description: 'How the answer {result, agent_message} is made',
			},
			{
				displayName:
					"Add a Respond to Agent node where the workflow has its answer. n8n's Respond to Webhook works too, but only its version 1: later versions answer only n8n's own Webhook trigger.",
				name: 'respondNodeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { responseMode: ['responseNode'] } },
			},
			{
				displayName: 'Input Schema',
				name: 'inputSchema',
				type: 'json',
				default: '',
				placeholder:
					'{"type": "object", "properties": {"length": {"type": "string", "enum": ["30m", "1hr"]}}}',
				description:
					"The External Action's input_schema (a JSON Schema whose top level is an object). A payload that does not match is answered with 400 and the reasons; the workflow does not run. Empty: any payload object.",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Answer Deadline (Seconds)',
						name: 'answerDeadline',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: AGENT_WAIT_SECONDS, numberPrecision: 1 },
						default: DEFAULT_DEADLINE_SECONDS,
						description:
							'How long the workflow has to answer before the agent gets the fallback answer; the agent itself waits 10 s',
					},
					{
						displayName: 'Fallback Agent Message',
						name: 'fallbackAgentMessage',
						type: 'string',
						default: DEFAULT_FALLBACK_MESSAGE,
						description:
							'What the agent says when the workflow did not answer in time, or answered without a "result" object; empty sends none',
					},
					{
						displayName: 'Fallback Result',
						name: 'fallbackResult',
						type: 'json',
						default: DEFAULT_FALLBACK_RESULT,
						description:
							'The "result" object the agent gets when the workflow did not answer in time, or answered without a "result" object',
					},
					{
						displayName: 'Signature Header',
						name: 'signatureHeader',
						type: 'string',
						default: DEFAULT_SIGNATURE_HEADER,
						description:
							'The request header holding the base64 HMAC-SHA256 signature of the raw body',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { requestSigningSecretTest },
	};

	webhookMethods = {
		default: {
			// n8n calls create only when checkExists says false. Nothing outside n8n is
			// registered, so false makes every activation and test listener check the setup.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problems = configurationProblems({
					secret: await readSecret(this),
					inputSchema: this.getNodeParameter('inputSchema', ''),
					responseMode: this.getNodeParameter('responseMode', 'lastNode') as ResponseMode,
					childNodes: this.getChildNodes(this.getNode().name),
					options: this.getNodeParameter('options', {}) as TriggerOptions,
				});
				if (problems.length > 0) {
					throw new NodeOperationError(this.getNode(), problems.join('; '), {
						description: 'Agent requests would all be refused until this is fixed',
					});
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request: IncomingMessage = this.getRequestObject();
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const check = checkAgentRequest({
			secret: await readSecret(this),
			rawBody: await readRawBody(request),
			headers: request.headers,
			signatureHeader: normaliseHeaderName(options.signatureHeader),
			inputSchema: this.getNodeParameter('inputSchema', ''),
		});
		if (!check.ok) {
			if (check.status === 500)
				this.logger.warn(
					`Agent Action Trigger "${this.getNode().name}" refused a request: ${check.body.error}`,
				);
			answer(this.getResponseObject(), check.status, check.body);
			return { noWebhookResponse: true };
		}
		const fallback = readFallback(options);
		if (fallback.answer === undefined) {
			this.logger.warn(
				`Agent Action Trigger "${this.getNode().name}" refused a request: ${fallback.problem}`,
			);
			answer(this.getResponseObject(), 500, { error: fallback.problem ?? 'No fallback answer' });
			return { noWebhookResponse: true };
		}
		const name = this.getNode().name;
		guardAgentAnswer(this.getResponseObject(), {
			deadlineMs: deadlineMs(options),
			fallback: fallback.answer,
			warn: (message) => this.logger.warn(`Agent Action Trigger "${name}": ${message}`),
		});
		return { workflowData: [[{ json: { ...check.action } }]] };
	}
}
