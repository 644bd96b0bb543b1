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

/** This package's Respond to Agent node, whatever prefix n8n gives the package (CUSTOM. when loaded as an extension). */
export function isRespondToAgent(node: NodeTypeAndVersion): boolean {
	return node.type.endsWith('.respondToAgent');
}

function respondNodeProblems(
	responseMode: ResponseMode,
	childNodes: NodeTypeAndVersion[],
): string[] {
	if (responseMode !== 'responseNode') return [];
	const enabled = childNodes.filter((node) => !node.disabled);
	if (enabled.some(isRespondToAgent)) return [];
	const respondToWebhook = enabled.filter((node) => node.type === RESPOND_TO_WEBHOOK_NODE_TYPE);
	if (respondToWebhook.length === 0) {
		return [
			'Respond is "Using \'Respond to Agent\' Node" but no Respond to Agent node follows this trigger',
		];
	}
	return respondToWebhook
		.filter((node) => node.typeVersion > RESPOND_TO_WEBHOOK_MAX_VERSION)
		.map(
			(node) =>
				`"${node.name}" is Respond to Webhook version ${node.typeVersion}, which answers only n8n's own Webhook trigger: use a Respond to Agent node (or Respond to Webhook version 1), or Respond "When Last Node Finishes"`,
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
		problems.push(
			'The Request Signing credential needs the base64 secret the agent platform shows',
		);
	}
	const { problem } = readInputSchema(configuration.inputSchema);
	if (problem !== undefined) problems.push(problem);
	problems.push(...respondNodeProblems(configuration.responseMode, configuration.childNodes));
	return problems;
}
