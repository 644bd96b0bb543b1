/**
 * The account's own resources the pickers list and the triggers' webhook
 * setup changes: phone numbers (API 2010), Messaging Services and Content
 * templates. Lists come a page at a time; the next page is named by the
 * query of Twilio's next-page link, so it is asked of the credential's Base
 * URL like the first one.
 */
import type { IDataObject } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { accountPath, type TwilioClient, type TwilioFormValue } from '../../transport/twilio';

export const PAGE_SIZE = 50;

export interface ResourcePage {
	items: JsonObject[];
	/** The query of the next page, or undefined on the last one. */
	next?: string;
}

/** Twilio's next-page link (a path on API 2010, a full URL elsewhere) as the query that asks for that page. */
function nextPageQuery(link: unknown): string | undefined {
	if (typeof link !== 'string' || link === '') return undefined;
	const query = new URL(link, 'https://api.twilio.com').search.slice(1);
	return query === '' ? undefined : query;
}

/** The first page's query, or the next one's as nextPageQuery gave it. */
function pageQuery(next: string | undefined, first: IDataObject): IDataObject {
	return next === undefined
		? { PageSize: PAGE_SIZE, ...first }
		: Object.fromEntries(new URLSearchParams(next));
}

function listOf(answer: JsonObject, key: string): JsonObject[] {
	const items = answer[key];
	return Array.isArray(items) ? (items as JsonObject[]) : [];
}

const INCOMING_NUMBERS = '/IncomingPhoneNumbers';

/** The account's phone numbers; `phoneNumber` is Twilio's own filter (a part of the number matches). */
export async function listIncomingNumbers(
	client: TwilioClient,
	next?: string,
	phoneNumber?: string,
): Promise<ResourcePage> {
	const answer = await client.request<JsonObject>({
		method: 'GET',
		path: accountPath(`${INCOMING_NUMBERS}.json`),
		query: pageQuery(next, phoneNumber ? { PhoneNumber: phoneNumber } : {}),
	});
	return {
		items: listOf(answer, 'incoming_phone_numbers'),
		next: nextPageQuery(answer.next_page_uri),
	};
}

/** The account's Messaging Services (messaging.twilio.com, paged with `meta`). */
export async function listMessagingServices(
	client: TwilioClient,
	next?: string,
): Promise<ResourcePage> {
	return await listV1(client, 'messaging', '/v1/Services', 'services', next);
}

/** The account's Content templates (content.twilio.com, paged with `meta`). */
export async function listContentTemplates(
	client: TwilioClient,
	next?: string,
): Promise<ResourcePage> {
	return await listV1(client, 'content', '/v1/Content', 'contents', next);
}

async function listV1(
	client: TwilioClient,
	service: 'messaging' | 'content',
	path: string,
	key: string,
	next: string | undefined,
): Promise<ResourcePage> {
	const answer = await client.request<JsonObject>({
		method: 'GET',
		service,
		path,
		query: pageQuery(next, {}),
	});
	const meta = (answer.meta ?? {}) as JsonObject;
	return { items: listOf(answer, key), next: nextPageQuery(meta.next_page_url) };
}

/** The account's number `phoneNumber` (E.164), or undefined when the account has none such. */
export async function findIncomingNumber(
	client: TwilioClient,
	phoneNumber: string,
): Promise<JsonObject | undefined> {
	const { items } = await listIncomingNumbers(client, undefined, phoneNumber);
	return items.find((item) => item.phone_number === phoneNumber);
}

/** What a trigger's webhook setup changes: one of the account's numbers, or a Messaging Service. */
export type WebhookOwnerKind = 'number' | 'messagingService';

/** A number (PN…) or Messaging Service (MG…) as Twilio has it; with a form, once those fields are updated. */
export async function webhookOwner(
	client: TwilioClient,
	kind: WebhookOwnerKind,
	sid: string,
	form?: Record<string, TwilioFormValue>,
): Promise<JsonObject> {
	const id = encodeURIComponent(sid);
	return await client.request<JsonObject>({
		method: form ? 'POST' : 'GET',
		...(kind === 'number'
			? { path: accountPath(`${INCOMING_NUMBERS}/${id}.json`) }
			: { service: 'messaging', path: `/v1/Services/${id}` }),
		form,
	});
}
