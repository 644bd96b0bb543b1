/** Talking to a running n8n over HTTP: its webhooks, its owner's session. */
import { randomUUID } from 'node:crypto';

import type { N8nInstance } from './instance';

/** Probes a production webhook with another method until n8n answers "did you mean …" (see N8nInstance.waitForWebhook). */
export async function waitForWebhook(
	instance: N8nInstance,
	path: string,
	method: string,
	timeoutMs: number,
): Promise<void> {
	const probeMethod = method === 'GET' ? 'DELETE' : 'GET';
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const response = await fetch(`${instance.baseUrl}/webhook/${path}`, { method: probeMethod });
		const body = await response.text();
		if (body.includes(`Did you mean to make a ${method} request`)) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(
		`webhook ${method} ${path} was not registered within ${timeoutMs} ms:\n${instance.log}`,
	);
}

/** Creates the instance owner through the REST API; its session cookie, for N8nInstance.request. */
export async function setupOwner(instance: N8nInstance): Promise<string> {
	const response = await fetch(`${instance.baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(TEST_OWNER),
	});
	if (!response.ok)
		throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
	const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
	return cookie.split(';')[0];
}

// A throwaway account for an n8n that lives only as long as one test.
const TEST_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: `Owner-${randomUUID()}`,
};

/**
 * Activates (publishes) a workflow in the running n8n through its REST API,
 * as the editor's toggle does: its current version. In queue mode this is how
 * a running main registers the workflow's triggers and its webhooks for the
 * webhook processors; `publish:workflow` only takes effect at the next start.
 */
export async function activateThroughRest(
	instance: N8nInstance,
	workflowId: string,
): Promise<void> {
	const current = await instance.request(`/rest/workflows/${workflowId}`);
	if (!current.ok)
		throw new Error(
			`reading workflow ${workflowId} failed: ${current.status} ${await current.text()}`,
		);
	const { data } = (await current.json()) as { data: { versionId: string } };
	const response = await instance.request(`/rest/workflows/${workflowId}/activate`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ versionId: data.versionId }),
	});
	if (!response.ok)
		throw new Error(
			`activating workflow ${workflowId} failed: ${response.status} ${await response.text()}`,
		);
}
