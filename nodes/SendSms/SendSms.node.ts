import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

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
			{
				displayName: 'Sending Rate (Messages per Second)',
				name: 'sendingRate',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				displayOptions: { show: { operation: ['send_message', 'send_media'] } },
				description:
					'At most this many messages a second from each sender (From, or the Messaging Service), shared by every run sending as it; no second holds more than this plus a burst of a tenth of it (at least 1). 0: no limit. A Twilio long code sends about 1 a second and queues the rest.',
			},
		],
	};

	methods = { listSearch: twilioListSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const sendingRate = this.getNodeParameter('sendingRate', 0, 0) as number;
		if (typeof sendingRate !== 'number' || !Number.isFinite(sendingRate) || sendingRate < 0)
			throw new NodeOperationError(
				this.getNode(),
				`Sending Rate (Messages per Second) must be 0 (no limit) or a positive number, got ${String(sendingRate)}`,
				{ itemIndex: 0 },
			);
		return await runTypedNode(this, twilioMessengerIntegration, {
			concurrency: this.getNodeParameter('concurrency', 0, DEFAULT_CONCURRENCY) as number,
			sendingRate: sendingRate > 0 ? sendingRate : undefined,
		});
	}
}
