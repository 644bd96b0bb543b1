import type { NodeTypeAndVersion } from 'n8n-workflow';

import { isBase64Secret } from '../shared/transport/signing';
import { readInputSchema } from './agentRequest';

export const RESPOND_TO_WEBHOOK_NODE_TYPE = 'n8n-nodes-base.respondToWebhook';

/**
 * n8n's Respond to Webhook node, from version 1.1 on, refuses to run unless
 * one of n8n's own Webhook, Form, Chat or Wait nodes precedes it; version 1
 * answers any trigger that responds through it.
 */
export const RESPOND_TO_WEBHOOK_MAX_VERSION = 1;

export type ResponseMode = 'lastNode' | 'responseNode';

export interface TriggerConfiguration {
	secret: string | undefined;
	inputSchema: unknown;
	responseMode: ResponseMode;
	/** The nodes after the trigger, as n8n lists them. */
	childNodes: NodeTypeAndVersion[];
}

function respondNodeProblems(responseMode: ResponseMode, childNodes: NodeTypeAndVersion[]): string[] {
	if (responseMode !== 'responseNode') return [];
	const respondNodes = childNodes.filter((node) => node.type === RESPOND_TO_WEBHOOK_NODE_TYPE && !node.disabled);
	if (respondNodes.length === 0) {
		return ["Respond is \"Using 'Respond to Webhook' Node\" but no Respond to Webhook node follows this trigger"];
	}
	return respondNodes
		.filter((node) => node.typeVersion > RESPOND_TO_WEBHOOK_MAX_VERSION)
		.map(
			(node) =>
				`"${node.name}" is Respond to Webhook version ${node.typeVersion}, which answers only n8n's own Webhook trigger: use version 1 of that node (see the Agent Action Trigger example) or Respond "When Last Node Finishes"`,
		);
}

/**
 * What keeps the trigger from answering any request correctly, checked when
 * the workflow is activated or starts listening for a test event, so the
 * editor says it then instead of every agent call failing later.
 */
export function configurationProblems(configuration: TriggerConfiguration): string[] {
	const problems: string[] = [];
	if (configuration.secret === undefined || !isBase64Secret(configuration.secret)) {
		problems.push('The Request Signing credential needs the base64 secret the agent platform shows');
	}
	const { problem } = readInputSchema(configuration.inputSchema);
	if (problem !== undefined) problems.push(problem);
	problems.push(...respondNodeProblems(configuration.responseMode, configuration.childNodes));
	return problems;
}
