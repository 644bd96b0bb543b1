/**
 * What Twilio serves outside its OpenAPI specs and the package uses: the
 * Media Content Service a Conversations message's file is uploaded to, the
 * files of an incoming MMS (a media URL answers with a redirect to a
 * presigned location, as Twilio's does), and the Messaging Services and
 * Content templates the pickers list.
 */
import { MEDIA_ROUTES } from './conversations';
import { ACCOUNT_RESOURCE_ROUTES } from './numbers';
import type { OffSpecRoute, TwilioRequest } from './types';

const ROUTES: readonly OffSpecRoute[] = [...MEDIA_ROUTES, ...ACCOUNT_RESOURCE_ROUTES];

/** The off-spec route the request takes, its path parameters filled in; undefined for the specs' own paths. */
export function offSpecRoute(request: TwilioRequest): OffSpecRoute | undefined {
	for (const route of ROUTES) {
		const match = route.method === request.method ? route.path.exec(request.path) : null;
		if (match === null) continue;
		request.operationId = route.id;
		request.pathParams = { ...match.groups };
		return route;
	}
	return undefined;
}
