import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { wtsChatIntegration } from '../shared/integrations/wts_chat/integration';
import { searchChannels, searchChatbots } from '../shared/integrations/wts_chat/methods';
import { commandProperties, integrationCredentials, runTypedNode } from '../shared/node/typedNode';

export class SendChatbotMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Chatbot Message',
		name: 'sendChatbotMessage',
		icon: {
			light: 'file:../../icons/sendChatbotMessage.svg',
			dark: 'file:../../icons/sendChatbotMessage.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{"to " + ($parameter["to"] || $parameter["sessionId"])}}',
		description: 'Start a WTS Chat chatbot for a contact, with session and contact metadata',
		defaults: { name: 'Send Chatbot Message' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: integrationCredentials(wtsChatIntegration),
		properties: commandProperties(wtsChatIntegration),
	};

	methods = {
		listSearch: { searchChatbots, searchChannels },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// WTS Chat allows about 1000 requests per 5 minutes: a few at a time keeps a batch under it with the 429 retries.
		return await runTypedNode(this, wtsChatIntegration, { concurrency: 5 });
	}
}
