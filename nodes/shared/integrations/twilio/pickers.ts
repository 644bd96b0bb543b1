/**
 * Pickers for the account's phone numbers, Messaging Services and Content
 * templates: resource locators whose list mode searches the account a page
 * at a time, and whose by-value mode takes what an expression or an older
 * workflow gives (a plain string there works too: typed nodes read either).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
} from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createTwilioClient } from '../../transport/twilio';
import {
	listContentTemplates,
	listIncomingNumbers,
	listMessagingServices,
	type ResourcePage,
} from './accountResources';

export const MESSAGING_SERVICE_SID_PATTERN = 'MG[0-9a-fA-F]{32}';
export const CONTENT_SID_PATTERN = 'HX[0-9a-fA-F]{32}';

interface LocatorField {
	displayName: string;
	name: string;
	description: string;
	searchListMethod: string;
	/** The by-value mode: its name on screen, an example, and the pattern (unanchored) the editor checks. */
	byValue: { displayName: string; placeholder: string; regex: string; errorMessage: string };
}

/** A resource locator: From List (searchable), or the value itself. Empty by default. */
export function twilioLocator(field: LocatorField): INodeProperties {
	const { byValue } = field;
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: field.searchListMethod, searchable: true },
			},
			{
				displayName: byValue.displayName,
				name: 'id',
				type: 'string',
				placeholder: byValue.placeholder,
				validation: [
					{
						type: 'regex',
						// n8n anchors the pattern and checks empty values too: these fields may stay empty.
						properties: { regex: `(?:${byValue.regex})?`, errorMessage: byValue.errorMessage },
					},
				],
			},
		],
	};
}

export const messagingServiceLocator = (description: string): INodeProperties =>
	twilioLocator({
		displayName: 'Messaging Service',
		name: 'messagingServiceSid',
		description,
		searchListMethod: 'searchMessagingServices',
		byValue: {
			displayName: 'By SID',
			placeholder: 'e.g. MG0123456789abcdef0123456789abcdef',
			regex: MESSAGING_SERVICE_SID_PATTERN,
			errorMessage: 'A Messaging Service SID is MG and 32 hex digits',
		},
	});

export const contentTemplateLocator = (description: string): INodeProperties =>
	twilioLocator({
		displayName: 'Content Template',
		name: 'contentSid',
		description,
		searchListMethod: 'searchContentTemplates',
		byValue: {
			displayName: 'By SID',
			placeholder: 'e.g. HX0123456789abcdef0123456789abcdef',
			regex: CONTENT_SID_PATTERN,
			errorMessage: 'A content template SID is HX and 32 hex digits',
		},
	});

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `Support line (+16505550100)`, or the bare value when the name says nothing more. */
function label(name: string, value: string): string {
	return name === '' || name === value ? value : `${name} (${value})`;
}

const matches = (filter: string | undefined, ...fields: string[]) => {
	const wanted = filter?.trim().toLowerCase() ?? '';
	return wanted === '' || fields.some((field) => field.toLowerCase().includes(wanted));
};

/** A filter of digits (and +, spaces, dashes) searches Twilio for a part of the number; any other text matches names on each page. */
const NUMBER_FILTER = /^\+?[\d\s().-]+$/;

async function searchNumbers(
	functions: ILoadOptionsFunctions,
	capability: 'voice' | 'sms',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const client = await createTwilioClient(functions, 0);
	const byNumber = filter !== undefined && NUMBER_FILTER.test(filter.trim());
	const page = await listIncomingNumbers(
		client,
		paginationToken,
		byNumber ? filter.replace(/[^\d+]/g, '') : undefined,
	);
	const results = page.items
		.filter((number) => {
			const capabilities = (number.capabilities ?? {}) as JsonObject;
			// Twilio leaves capabilities out of some numbers; those are offered rather than hidden.
			const able =
				capabilities[capability] !== false || (capability === 'sms' && capabilities.mms === true);
			return (
				able && (byNumber || matches(filter, text(number.friendly_name), text(number.phone_number)))
			);
		})
		.map((number) => ({
			name: label(text(number.friendly_name), text(number.phone_number)),
			value: text(number.phone_number),
			url: `https://console.twilio.com/us1/develop/phone-numbers/manage/incoming/${text(number.sid)}/configure`,
		}));
	return { results, paginationToken: page.next };
}

/** The account's numbers that can send messages, for From on Send SMS/MMS and the SMS Trigger's number. */
export async function searchMessagingNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchNumbers(this, 'sms', filter, paginationToken);
}

/** The account's numbers that can call, for the caller ID on Make Call and the Call Trigger's number. */
export async function searchVoiceNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchNumbers(this, 'voice', filter, paginationToken);
}

/** One page of a list Twilio cannot filter, filtered by name and SID here. */
async function searchByName(
	functions: ILoadOptionsFunctions,
	list: (
		client: Awaited<ReturnType<typeof createTwilioClient>>,
		next?: string,
	) => Promise<ResourcePage>,
	filter: string | undefined,
	paginationToken: string | undefined,
	url?: (sid: string) => string,
): Promise<INodeListSearchResult> {
	const page = await list(await createTwilioClient(functions, 0), paginationToken);
	const results: INodeListSearchItems[] = page.items
		.filter((item) => matches(filter, text(item.friendly_name), text(item.sid)))
		.map((item) => ({
			name: label(text(item.friendly_name), text(item.sid)),
			value: text(item.sid),
			...(url ? { url: url(text(item.sid)) } : {}),
		}));
	return { results, paginationToken: page.next };
}

export async function searchMessagingServices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchByName(
		this,
		listMessagingServices,
		filter,
		paginationToken,
		(sid) => `https://console.twilio.com/us1/develop/sms/services/${sid}`,
	);
}

export async function searchContentTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchByName(this, listContentTemplates, filter, paginationToken);
}

/** `methods.listSearch` of every node with a Twilio picker. */
export const twilioListSearch = {
	searchMessagingNumbers,
	searchVoiceNumbers,
	searchMessagingServices,
	searchContentTemplates,
};
