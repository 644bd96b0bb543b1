import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createWtsChatClient } from '../../transport/wtsChat';
import { CHANNELS_PATH, CHATBOTS_PATH } from './api';

const PAGE_SIZE = 50;

function itemsOf(answer: unknown): JsonObject[] {
	if (Array.isArray(answer)) return answer as JsonObject[];
	const items = (answer as { items?: unknown } | null)?.items;
	return Array.isArray(items) ? (items as JsonObject[]) : [];
}

/** The account's chatbots for the Chatbot picker, by name, a page at a time; the value is the key the API calls botKey. */
export async function searchChatbots(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = await createWtsChatClient(this, 0);
	const page = Number(paginationToken ?? 1);
	const answer = await client.request<JsonObject>({
		method: 'GET',
		path: CHATBOTS_PATH,
		query: { PageNumber: page, PageSize: PAGE_SIZE, ...(filter ? { Name: filter } : {}) },
	});
	const results: INodeListSearchItems[] = itemsOf(answer)
		.filter((bot) => bot.archived !== true && typeof bot.key === 'string')
		.map((bot) => ({ name: String(bot.name ?? bot.key), value: String(bot.key) }));
	return { results, paginationToken: answer.hasMorePages === true ? String(page + 1) : undefined };
}

/** The account's channels for the From picker; the value is the channel's number or @instagram user, what the API calls from. */
export async function searchChannels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const client = await createWtsChatClient(this, 0);
	const answer = await client.request<unknown>({ method: 'GET', path: CHANNELS_PATH });
	const wanted = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = itemsOf(answer)
		.map((channel) => {
			const address = String(channel.humanId ?? channel.number ?? channel.identifier ?? '');
			const label = String(channel.displayName ?? channel.name ?? address);
			return {
				name: address && label !== address ? `${label} (${address})` : label,
				value: address,
			};
		})
		.filter(
			(channel) =>
				channel.value !== '' && (wanted === '' || channel.name.toLowerCase().includes(wanted)),
		);
	return { results };
}
