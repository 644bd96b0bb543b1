/** Twilio's OpenAPI specs, loaded once per process and shared by every server. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { OpenApiRouter, type OasDocument } from '../openapi';
import { TWILIO_OVERLAYS } from './overlays';

export const TWILIO_FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'twilio');
export const TWILIO_SPEC_FILES = [
	'twilio_api_v2010.json',
	'twilio_taskrouter_v1.json',
	'twilio_conversations_v1.json',
] as const;

let documents: Array<{ name: string; document: OasDocument }> | undefined;
const routers = new Map<boolean, OpenApiRouter>();

export function twilioRouter(documented: boolean): OpenApiRouter {
	documents ??= TWILIO_SPEC_FILES.map((name) => ({
		name,
		document: JSON.parse(readFileSync(join(TWILIO_FIXTURES_DIR, name), 'utf8')) as OasDocument,
	}));
	let router = routers.get(documented);
	if (router === undefined) {
		router = new OpenApiRouter(documents, documented ? TWILIO_OVERLAYS : {});
		routers.set(documented, router);
	}
	return router;
}
