/** The environment and ports an n8n run gets. */
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * The environment without the test runner's marks: n8n treats
 * NODE_ENV=test (which Jest sets) as its own unit tests and then refuses to
 * load nodes and stays silent.
 */
export function outsideTestRunner(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const copy: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(env)) {
		if (name === 'NODE_ENV' || name.startsWith('JEST_')) continue;
		copy[name] = value;
	}
	return copy;
}

/** The environment every n8n run here gets: isolated, quiet, no outside calls. */
export function n8nBaseEnv(
	userFolder: string,
	port: number,
	brokerPort: number,
): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: 'warn',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	};
}
