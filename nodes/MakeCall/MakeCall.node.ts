import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { twilioVoiceIntegration } from '../shared/integrations/twilio_voice/integration';
import { twilioListSearch } from '../shared/integrations/twilio/pickers';
import { commandProperties, integrationCredentials, runTypedNode } from '../shared/node/typedNode';

export class MakeCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Make Call',
		name: 'makeCall',
		icon: { light: 'file:../../icons/makeCall.svg', dark: 'file:../../icons/makeCall.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "make_call" ? "call " + $parameter["phoneNumber"] : $parameter["operation"].replace(/_/g, " ")}}',
		description:
			'Place a phone call over Twilio that says a greeting when answered, and control live calls, conferences and TaskRouter tasks',
		defaults: { name: 'Make Call' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: integrationCredentials(twilioVoiceIntegration),
		properties: commandProperties(twilioVoiceIntegration),
	};

	methods = { listSearch: twilioListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runTypedNode(this, twilioVoiceIntegration, { concurrency: 1 });
	}
}
