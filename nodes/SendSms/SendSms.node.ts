import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { twilioMessengerIntegration } from '../shared/integrations/twilio_messenger/integration';
import { twilioListSearch } from '../shared/integrations/twilio/pickers';
import { commandProperties, integrationCredentials, runTypedNode } from '../shared/node/typedNode';

const DEFAULT_CONCURRENCY = 50;

export class SendSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send SMS/MMS',
		name: 'sendSms',
		icon: { light: 'file:../../icons/sendSms.svg', dark: 'file:../../icons/sendSms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "send_message" ? "to " + $parameter["phoneNumber"] : $parameter["operation"]}}',
		description:
			'Send SMS, MMS, WhatsApp and content-template messages over Twilio, and messages into Twilio Conversations, many items at once',
		defaults: { name: 'Send SMS/MMS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: integrationCredentials(twilioMessengerIntegration),
		properties: [
			...commandProperties(twilioMessengerIntegration),
			{
				displayName: 'Messages at Once',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: DEFAULT_CONCURRENCY,
				displayOptions: {
					show: { operation: ['send_message', 'send_media', 'send_conversation_message'] },
				},
				description:
					"How many items are sent at the same time; 1 sends them one after another. Twilio answers 429 when the account's rate is exceeded; those are sent again with backoff.",
			},
		],
	};

	methods = { listSearch: twilioListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runTypedNode(this, twilioMessengerIntegration, {
			concurrency: this.getNodeParameter('concurrency', 0, DEFAULT_CONCURRENCY) as number,
		});
	}
}
