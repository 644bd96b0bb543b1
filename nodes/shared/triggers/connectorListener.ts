/**
 * Connectors that mean something: an active trigger registers itself in the
 * store under its connector (contract/listeners.ts), so that a command on
 * that connector reaches it — a call on X becomes a conversation through the
 * Call Trigger on X, status callbacks of messages on X go to the SMS Trigger
 * on X. The registration expires unless the trigger renews it, so one left
 * behind by a process that crashed stops counting by itself.
 *
 * Only active workflows register: the editor's test listener is a one-off
 * that no command should be sent to.
 */
import type {
	FunctionsBase,
	IExecuteFunctions,
	IHookFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';

import type { CommandContext } from '../commands/types';
import { getStore } from '../store';
import type { ConnectorListener } from '../store/types';

/** How long a registration holds without renewal; an active trigger renews it every LISTENER_RENEW_MS. */
export const LISTENER_TTL_MS = 3 * 60_000;
export const LISTENER_RENEW_MS = 60_000;

/** The kinds commands look for: the node types' names. */
export const CALL_TRIGGER = 'callTrigger';
export const SMS_TRIGGER = 'smsTrigger';

/** One registration per trigger node of a workflow; its kind is the node's type without the package. */
function listenerKey(functions: FunctionsBase): { id: string; kind: string } {
	const node = functions.getNode();
	return {
		id: `${functions.getWorkflow().id ?? 'unsaved'}:${node.id}`,
		kind: node.type.slice(node.type.lastIndexOf('.') + 1),
	};
}

function connectorOf(functions: IHookFunctions | ITriggerFunctions): string {
	return String(functions.getNodeParameter('connectorIdn', '') ?? '').trim();
}

const isTest = (functions: IHookFunctions | ITriggerFunctions) => functions.getMode() === 'manual';

/** Logs a failed registration under the node's name: the trigger works on, unregistered. */
function logRegistrationFailure(
	functions: IHookFunctions | ITriggerFunctions,
	connectorIdn: string,
): (error: unknown) => void {
	return (error) =>
		functions.logger.error(
			`${functions.getNode().name} could not register on connector '${connectorIdn}': ${error instanceof Error ? error.message : String(error)}`,
		);
}

/** Renews a registration every LISTENER_RENEW_MS until cleared; a failed renewal is logged, the next one tries again. */
function renewEvery(register: () => Promise<unknown>, logFailure: (error: unknown) => void) {
	const renewal = setInterval(() => void register().catch(logFailure), LISTENER_RENEW_MS);
	renewal.unref();
	return renewal;
}

/**
 * Renewals of the webhook triggers' registrations in this process, by
 * registration id. A webhook trigger has no code that runs while it is
 * active (a trigger function would make n8n's test runs wait for it), so its
 * webhook's creation starts the renewal and its deletion stops it; when the
 * process dies, the renewal dies with it and the registration expires.
 */
const webhookRenewals = new Map<string, NodeJS.Timeout>();

/** The URL Twilio must call: the Public URL option behind a proxy, else n8n's production URL. */
export function twilioFacingUrl(functions: IHookFunctions): string | undefined {
	const { publicUrl } = functions.getNodeParameter('options', {}) as { publicUrl?: string };
	return publicUrl?.trim() || functions.getNodeWebhookUrl('default');
}

/**
 * When a webhook trigger's webhook is created on activation: registers it
 * with the URL Twilio must call (the Public URL option behind a proxy, else
 * n8n's production URL), and renews it while the process lives.
 */
export async function registerWebhookListener(functions: IHookFunctions): Promise<void> {
	if (isTest(functions)) return;
	const registration = {
		...listenerKey(functions),
		connectorIdn: connectorOf(functions),
		webhookUrl: twilioFacingUrl(functions),
		ttlMs: LISTENER_TTL_MS,
	};
	const register = async () => await (await getStore()).registerListener(registration);
	await register();
	clearInterval(webhookRenewals.get(registration.id));
	webhookRenewals.set(
		registration.id,
		renewEvery(register, logRegistrationFailure(functions, registration.connectorIdn)),
	);
}

/** When a webhook trigger's webhook is deleted (the workflow is deactivated). */
export async function unregisterWebhookListener(functions: IHookFunctions): Promise<void> {
	if (isTest(functions)) return;
	const { id } = listenerKey(functions);
	clearInterval(webhookRenewals.get(id));
	webhookRenewals.delete(id);
	const store = await getStore();
	await store.unregisterListener(id);
}

/**
 * While an outbox trigger runs: registers it (keeping a URL its webhook
 * registered) and renews the registration until the returned function is
 * called, which removes it. Failures are logged, never thrown: the trigger works on, and a
 * command on its connector then finds no listener.
 */
export async function keepListenerRegistered(
	functions: ITriggerFunctions,
): Promise<() => Promise<void>> {
	if (isTest(functions)) return async () => {};
	const store = await getStore();
	const key = listenerKey(functions);
	const connectorIdn = connectorOf(functions);
	const logFailure = logRegistrationFailure(functions, connectorIdn);
	const register = async () =>
		await store.registerListener({ ...key, connectorIdn, ttlMs: LISTENER_TTL_MS });
	await register().catch(logFailure);
	const renewal = renewEvery(register, logFailure);
	return async () => {
		clearInterval(renewal);
		await store.unregisterListener(key.id).then(() => undefined, logFailure);
	};
}

/**
 * Lookups of one run of a node, by kind and connector: its items share the
 * answer, so many messages on one connector ask the store once.
 */
const lookups = new WeakMap<IExecuteFunctions, Map<string, Promise<ConnectorListener | null>>>();

/**
 * The trigger of `kind` that listens on the connector with a URL (of
 * several, the first registered); null when none does.
 */
export async function findWebhookListener(
	context: CommandContext,
	kind: string,
	connectorIdn: string,
): Promise<ConnectorListener | null> {
	let byKey = lookups.get(context.functions);
	if (byKey === undefined) {
		byKey = new Map();
		lookups.set(context.functions, byKey);
	}
	const key = JSON.stringify([kind, connectorIdn]);
	let found = byKey.get(key);
	if (found === undefined) {
		found = context.store
			.listListeners({ kind, connectorIdn })
			.then((listeners) => listeners.find((listener) => listener.webhookUrl !== null) ?? null);
		byKey.set(key, found);
	}
	return await found;
}
