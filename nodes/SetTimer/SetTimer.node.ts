import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { programTimerIntegration } from '../shared/integrations/program_timer/integration';
import { commandProperties, runTypedNode } from '../shared/node/typedNode';

export class SetTimer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set Timer',
		name: 'setTimer',
		icon: { light: 'file:../../icons/timer.svg', dark: 'file:../../icons/timer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["timerName"]}}',
		description:
			'Set, change, read and cancel persistent per-persona timers that start Timer Trigger workflows',
		defaults: { name: 'Set Timer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: commandProperties(programTimerIntegration),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runTypedNode(this, programTimerIntegration);
	}
}
