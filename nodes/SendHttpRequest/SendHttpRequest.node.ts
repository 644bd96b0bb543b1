import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { httpIntegration } from '../shared/integrations/http/integration';
import { RESULT_ERROR, routingOf } from '../shared/integrations/http/result';
import { commandProperties, runTypedNode } from '../shared/node/typedNode';
import type { Act, JsonObject } from '../shared/store/types';
import { httpAuthCredentialTest } from '../shared/transport/httpAuthCredentialTest';
import { requestSigningSecretTest } from '../shared/transport/signingCredentialTest';

const DEFAULT_CONCURRENCY = 50;

/** In the background the act is all there is yet: its id is what the result event will carry. */
function outputOf(act: Act): JsonObject[] {
	if (act.status !== 'sent') return [act.result as JsonObject];
	return [{ event: null, status: 'sent', commandActId: act.id, ...routingOf(act.arguments) }];
}

export class SendHttpRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send HTTP Request',
		name: 'sendHttpRequest',
		icon: {
			light: 'file:../../icons/httpRequest.svg',
			dark: 'file:../../icons/httpRequest.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
		description:
			'Call an HTTP API (send_request): any completed response on Success, network failures and timeouts on Error, or in the background for HTTP Result Trigger',
		defaults: { name: 'Send HTTP Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		usableAsTool: true,
		credentials: [
			{
				name: 'requestSigningApi',
				required: true,
				testedBy: 'requestSigningSecretTest',
				displayOptions: { show: { signRequest: [true] } },
			},
			{
				name: 'httpAuthApi',
				required: true,
				testedBy: 'httpAuthCredentialTest',
				displayOptions: { show: { authentication: ['genericCredentialType'] } },
			},
			{
				name: 'agentTwilioApi',
				required: true,
				displayOptions: {
					show: {
						authentication: ['predefinedCredentialType'],
						nodeCredentialType: ['agentTwilioApi'],
					},
				},
			},
			{
				name: 'wtsChatApi',
				required: true,
				displayOptions: {
					show: {
						authentication: ['predefinedCredentialType'],
						nodeCredentialType: ['wtsChatApi'],
					},
				},
			},
		],
		properties: [
			{
				displayName:
					'Success gets every completed response, whatever its status code (result_success); Error gets network failures and timeouts (result_error)',
				name: 'outputsNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['sync'] } },
			},
			...commandProperties(httpIntegration),
			{
				displayName: 'Requests at Once',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: DEFAULT_CONCURRENCY,
				description: 'How many items are sent at the same time; 1 sends them one after another',
			},
		],
	};

	methods = { credentialTest: { requestSigningSecretTest, httpAuthCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runTypedNode(this, httpIntegration, {
			toOutput: outputOf,
			outputOf: (act) => ((act.result as JsonObject | null)?.event === RESULT_ERROR ? 1 : 0),
			outputCount: 2,
			concurrency: this.getNodeParameter('concurrency', 0, DEFAULT_CONCURRENCY) as number,
		});
	}
}
