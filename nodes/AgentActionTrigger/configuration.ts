import type { IDataObject, NodeTypeAndVersion } from 'n8n-workflow';

import { isBase64Secret } from '../shared/transport/signing';
import { readInputSchema } from './agentRequest';
import type { AgentAnswer } from './answerGuard';

export const RESPOND_TO_WEBHOOK_NODE_TYPE = 'n8n-nodes-base.respondToWebhook';

/**
 * n8n's Respond to Webhook node, from version 1.1 on, refuses to run unless
 * one of n8n's own Webhook, Form, Chat or Wait nodes precedes it; version 1
 * answers any trigger that responds through it.
 */
export const RESPOND_TO_WEBHOOK_MAX_VERSION = 1;

export type ResponseMode = 'lastNode' | 'responseNode';

/** Vocode waits 10 s for an answer; a second less leaves time for the answer to travel. */
export const AGENT_WAIT_SECONDS = 10;
export const DEFAULT_DEADLINE_SECONDS = 9;
export const DEFAULT_FALLBACK_RESULT = '{"completed": false}';
export const DEFAULT_FALLBACK_MESSAGE = "Sorry, I couldn't finish that just now.";

export interface TriggerOptions {
	signatureHeader?: string;
	answerDeadline?: number;
	fallbackResult?: unknown;
	fallbackAgentMessage?: string;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fallback answer the options describe, or what keeps them from describing one. */
export function readFallback(options: TriggerOptions): { answer?: AgentAnswer; problem?: string } {
	const raw = options.fallbackResult ?? DEFAULT_FALLBACK_RESULT;
	let result: unknown = raw;
	if (typeof raw === 'string') {
		try {
			result = raw.trim() === '' ? {} : JSON.parse(raw);
		} catch (error) {
			return { problem: `Fallback Result is not valid JSON: ${(error as Error).message}` };
		}
	}
	if (!isObject(result)) return { problem: 'Fallback Result must be a JSON object' };
	const message = (options.fallbackAgentMessage ?? DEFAULT_FALLBACK_MESSAGE).trim();
	return { answer: message === '' ? { result } : { result, agent_message: message } };
}

/** Milliseconds the trigger waits for the workflow's answer before it answers the fallback. */
export function deadlineMs(options: TriggerOptions): number {
	const seconds = Number(options.answerDeadline ?? DEFAULT_DEADLINE_SECONDS);
	const bounded = Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_DEADLINE_SECONDS;
	return Math.round(Math.min(bounded, AGENT_WAIT_SECONDS) * 1000);
}

export interface TriggerConfiguration {
	secret: string | undefined;
	inputSchema: unknown;
	responseMode: ResponseMode;
	/** The nodes after the trigger, as n8n lists them. */
	childNodes: NodeTypeAndVersion[];
	options: TriggerOptions;
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
	const fallback = readFallback(configuration.options);
	if (fallback.problem !== undefined) problems.push(fallback.problem);
	problems.push(...respondNodeProblems(configuration.responseMode, configuration.childNodes));
	return problems;
}
