/**
 * The account's phone numbers (API 2010, checked against the spec), and its
 * Messaging Services and Content templates. Those two live on
 * messaging.twilio.com and content.twilio.com, which none of our specs
 * describe: they are answered in Twilio's documented shape (paged
 * `{services | contents, meta}`) before the spec check, without one. The
 * credential's Base URL sends every Twilio domain here, so `GET /v1/Services`
 * is the Messaging Services list (the package never lists Conversations
 * services, whose path it shares).
 */
import { accountPath, resourceBase } from './account';
import { first } from './params';
import type { TwilioServer } from './server';
import type {
	OffSpecRoute,
	TwilioContext,
	TwilioHandler,
	TwilioReply,
	TwilioRequest,
} from './types';
import { notFound, twilioSid } from './wire';

export interface PhoneNumberState {
	sid: string;
	phoneNumber: string;
	friendlyName: string;
	capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
	smsUrl: string;
	smsMethod: string;
	voiceUrl: string;
	voiceMethod: string;
	statusCallback: string;
	statusCallbackMethod: string;
	createdAt: Date;
	updatedAt: Date;
	/** The form of every update, in order. */
	updates: Array<Record<string, string | string[]>>;
}

export interface MessagingServiceState {
	sid: string;
	friendlyName: string;
	inboundRequestUrl: string;
	inboundMethod: string;
	createdAt: Date;
	updatedAt: Date;
	updates: Array<Record<string, string | string[]>>;
}

export interface ContentTemplateState {
	sid: string;
	friendlyName: string;
	language: string;
	types: Record<string, unknown>;
	createdAt: Date;
}

interface AccountResources {
	numbers: Map<string, PhoneNumberState>;
	services: Map<string, MessagingServiceState>;
	contents: Map<string, ContentTemplateState>;
}

const resources = new WeakMap<TwilioServer, AccountResources>();

function resourcesOf(server: TwilioServer): AccountResources {
	let found = resources.get(server);
	if (found === undefined) {
		found = { numbers: new Map(), services: new Map(), contents: new Map() };
		resources.set(server, found);
	}
	return found;
}

export function addPhoneNumber(
	server: TwilioServer,
	number: Partial<PhoneNumberState> & { phoneNumber: string },
): PhoneNumberState {
	const now = new Date();
	const state: PhoneNumberState = {
		sid: twilioSid('PN'),
		friendlyName: number.phoneNumber,
		capabilities: { voice: true, sms: true, mms: true, fax: false },
		smsUrl: '',
		smsMethod: 'POST',
		voiceUrl: '',
		voiceMethod: 'POST',
		statusCallback: '',
		statusCallbackMethod: 'POST',
		createdAt: now,
		updatedAt: now,
		updates: [],
		...number,
	};
	resourcesOf(server).numbers.set(state.sid, state);
	return state;
}

export function addMessagingService(
	server: TwilioServer,
	service: Partial<MessagingServiceState> & { friendlyName: string },
): MessagingServiceState {
	const now = new Date();
	const state: MessagingServiceState = {
		sid: twilioSid('MG'),
		inboundRequestUrl: '',
		inboundMethod: 'POST',
		createdAt: now,
		updatedAt: now,
		updates: [],
		...service,
	};
	resourcesOf(server).services.set(state.sid, state);
	return state;
}

export function addContentTemplate(
	server: TwilioServer,
	content: Partial<ContentTemplateState> & { friendlyName: string },
): ContentTemplateState {
	const state: ContentTemplateState = {
		sid: twilioSid('HX'),
		language: 'en',
		types: { 'twilio/text': { body: 'Hello {{1}}' } },
		createdAt: new Date(),
		...content,
	};
	resourcesOf(server).contents.set(state.sid, state);
	return state;
}

export function phoneNumberOf(
	server: TwilioServer,
	phoneNumber: string,
): PhoneNumberState | undefined {
	return [...resourcesOf(server).numbers.values()].find(
		(number) => number.phoneNumber === phoneNumber,
	);
}

export function messagingServiceOf(
	server: TwilioServer,
	sid: string,
): MessagingServiceState | undefined {
	return resourcesOf(server).services.get(sid);
}

/** A page of `items` as Twilio pages lists: Page (from 0) and PageSize, the token only carried along. */
function pageOf<T>(
	items: T[],
	query: TwilioRequest['query'],
): { items: T[]; page: number; size: number; more: boolean } {
	const size = Math.min(Number(first(query, 'PageSize') ?? 50) || 50, 1000);
	const page = Number(first(query, 'Page') ?? 0) || 0;
	return {
		items: items.slice(page * size, (page + 1) * size),
		page,
		size,
		more: (page + 1) * size < items.length,
	};
}

const pageQuery = (size: number, page: number) =>
	`PageSize=${size}&Page=${page}&PageToken=PT${page}`;

function numberResource(context: TwilioContext, number: PhoneNumberState): Record<string, unknown> {
	const { fields } = resourceBase(context, 'IncomingPhoneNumbers', number);
	// A list answers the same resource as a fetch, inside its page.
	const fetch = context.server.operation('FetchIncomingPhoneNumber');
	if (fetch === undefined) throw new Error('The API 2010 spec has no FetchIncomingPhoneNumber');
	return context.server.shape(fetch, {
		...fields,
		friendly_name: number.friendlyName,
		phone_number: number.phoneNumber,
		capabilities: number.capabilities,
		sms_url: number.smsUrl,
		sms_method: number.smsMethod,
		voice_url: number.voiceUrl,
		voice_method: number.voiceMethod,
		status_callback: number.statusCallback,
		status_callback_method: number.statusCallbackMethod,
		status: 'in-use',
		origin: 'twilio',
		beta: false,
	});
}

/** Twilio's PhoneNumber filter matches a part of the number; FriendlyName the whole name. */
function numberMatches(number: PhoneNumberState, query: TwilioRequest['query']): boolean {
	const phoneNumber = first(query, 'PhoneNumber');
	const friendlyName = first(query, 'FriendlyName');
	return (
		(phoneNumber === undefined ||
			number.phoneNumber.includes(phoneNumber.replace(/[^\d+]/g, ''))) &&
		(friendlyName === undefined || number.friendlyName === friendlyName)
	);
}

function withNumber(
	context: TwilioContext,
	then: (number: PhoneNumberState) => TwilioReply,
): TwilioReply {
	const number = resourcesOf(context.server).numbers.get(context.pathParams.Sid ?? '');
	return number === undefined ? notFound(context.request.path) : then(number);
}

/** The webhook fields an update may set, form name → state field. */
const NUMBER_FIELDS = {
	SmsUrl: 'smsUrl',
	SmsMethod: 'smsMethod',
	VoiceUrl: 'voiceUrl',
	VoiceMethod: 'voiceMethod',
	StatusCallback: 'statusCallback',
	StatusCallbackMethod: 'statusCallbackMethod',
	FriendlyName: 'friendlyName',
} as const;

export const NUMBER_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	ListIncomingPhoneNumber: (context) => {
		const { query } = context.request;
		const all = [...resourcesOf(context.server).numbers.values()].filter((number) =>
			numberMatches(number, query),
		);
		const { items, page, size, more } = pageOf(all, query);
		const uri = `${accountPath(context.server)}/IncomingPhoneNumbers.json`;
		return {
			status: 200,
			body: {
				incoming_phone_numbers: items.map((number) => numberResource(context, number)),
				page,
				page_size: size,
				start: page * size,
				end: page * size + Math.max(items.length - 1, 0),
				uri: `${uri}?${pageQuery(size, page)}`,
				first_page_uri: `${uri}?PageSize=${size}&Page=0`,
				previous_page_uri: page > 0 ? `${uri}?${pageQuery(size, page - 1)}` : null,
				next_page_uri: more ? `${uri}?${pageQuery(size, page + 1)}` : null,
			},
		};
	},

	FetchIncomingPhoneNumber: (context) =>
		withNumber(context, (number) => ({ status: 200, body: numberResource(context, number) })),

	UpdateIncomingPhoneNumber: (context) =>
		withNumber(context, (number) => {
			for (const [form, field] of Object.entries(NUMBER_FIELDS)) {
				const value = first(context.params, form);
				if (value !== undefined) number[field] = value;
			}
			number.updates.push({ ...context.params });
			number.updatedAt = new Date();
			return { status: 200, body: numberResource(context, number) };
		}),
};

/** A v1 list answer: the items under `key`, and Twilio's `meta` with absolute links on its own host. */
function v1Page<T>(
	request: TwilioRequest,
	host: string,
	key: string,
	all: T[],
	toResource: (item: T) => Record<string, unknown>,
): TwilioReply {
	const { items, page, size, more } = pageOf(all, request.query);
	const url = `https://${host}${request.path}`;
	return {
		status: 200,
		body: {
			[key]: items.map(toResource),
			meta: {
				page,
				page_size: size,
				first_page_url: `${url}?PageSize=${size}&Page=0`,
				previous_page_url: page > 0 ? `${url}?${pageQuery(size, page - 1)}` : null,
				url: `${url}?${pageQuery(size, page)}`,
				next_page_url: more ? `${url}?${pageQuery(size, page + 1)}` : null,
				key,
			},
		},
	};
}

function serviceResource(server: TwilioServer, service: MessagingServiceState) {
	const url = `https://messaging.twilio.com/v1/Services/${service.sid}`;
	return {
		sid: service.sid,
		account_sid: server.accountSid,
		friendly_name: service.friendlyName,
		date_created: service.createdAt.toISOString(),
		date_updated: service.updatedAt.toISOString(),
		inbound_request_url: service.inboundRequestUrl || null,
		inbound_method: service.inboundMethod,
		use_inbound_webhook_on_number: false,
		url,
		links: { phone_numbers: `${url}/PhoneNumbers` },
	};
}

function contentResource(server: TwilioServer, content: ContentTemplateState) {
	return {
		sid: content.sid,
		account_sid: server.accountSid,
		friendly_name: content.friendlyName,
		language: content.language,
		variables: {},
		types: content.types,
		date_created: content.createdAt.toISOString(),
		date_updated: content.createdAt.toISOString(),
		url: `https://content.twilio.com/v1/Content/${content.sid}`,
		links: {},
	};
}

const SERVICE_PATH = /^\/v1\/Services\/(?<ServiceSid>MG[0-9a-fA-F]{32})$/;

/** Messaging Services (messaging.twilio.com) and Content templates (content.twilio.com): in none of our specs. */
export const ACCOUNT_RESOURCE_ROUTES: readonly OffSpecRoute[] = [
	{
		id: 'MessagingListService',
		method: 'GET',
		path: /^\/v1\/Services$/,
		handler: (server, request) =>
			v1Page(
				request,
				'messaging.twilio.com',
				'services',
				[...resourcesOf(server).services.values()],
				(service) => serviceResource(server, service),
			),
	},
	{
		id: 'ContentListContent',
		method: 'GET',
		path: /^\/v1\/Content$/,
		handler: (server, request) =>
			v1Page(
				request,
				'content.twilio.com',
				'contents',
				[...resourcesOf(server).contents.values()],
				(content) => contentResource(server, content),
			),
	},
	{
		id: 'MessagingFetchService',
		method: 'GET',
		path: SERVICE_PATH,
		handler: (server, request) => serviceReply(server, request),
	},
	{
		id: 'MessagingUpdateService',
		method: 'POST',
		path: SERVICE_PATH,
		handler: (server, request) => serviceReply(server, request),
	},
];

/** A Messaging Service as it is, or after the update a POST asks for. */
function serviceReply(server: TwilioServer, request: TwilioRequest): TwilioReply {
	const service = resourcesOf(server).services.get(request.pathParams.ServiceSid);
	if (service === undefined) return notFound(request.path);
	if (request.method === 'POST') {
		const url = first(request.form, 'InboundRequestUrl');
		const inboundMethod = first(request.form, 'InboundMethod');
		if (url !== undefined) service.inboundRequestUrl = url;
		if (inboundMethod !== undefined) service.inboundMethod = inboundMethod;
		service.updates.push({ ...request.form });
		service.updatedAt = new Date();
	}
	return { status: 200, body: serviceResource(server, service) };
}
