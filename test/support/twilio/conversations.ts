/**
 * Conversations, their messages and media: conversations a test adds
 * (addConversation), messages created into them (CreateConversationMessage,
 * checked against the Conversations spec), files uploaded to the Media
 * Content Service (mcs.twilio.com, outside the specs), and incoming MMS
 * files a test puts there (addMessageMedia) for the SMS Trigger to fetch.
 */
import { first } from './params';
import type { TwilioServer } from './server';
import type { OffSpecRoute, TwilioContext, TwilioHandler, TwilioReply } from './types';
import { notFound, twilioError, twilioSid } from './wire';

export interface ConversationState {
	sid: string;
	chatServiceSid: string;
	uniqueName: string | null;
	createdAt: Date;
	messages: ConversationMessageState[];
}

export interface ConversationMessageState {
	sid: string;
	index: number;
	author: string;
	body: string | null;
	attributes: string;
	mediaSid: string | null;
	contentSid: string | null;
	createdAt: Date;
	/** The X-Twilio-Webhook-Enabled header it was sent with, if any. */
	webhookEnabled: string | null;
}

export interface MediaState {
	sid: string;
	/** The Conversation Service it was uploaded to; null for a file of an incoming message. */
	serviceSid: string | null;
	contentType: string;
	data: Buffer;
}

interface ConversationsState {
	conversations: Map<string, ConversationState>;
	media: Map<string, MediaState>;
}

const states = new WeakMap<TwilioServer, ConversationsState>();

/** The server's conversations and media (kept beside the server, which knows nothing of them). */
export function conversationsOf(server: TwilioServer): ConversationsState {
	let state = states.get(server);
	if (state === undefined) {
		state = { conversations: new Map(), media: new Map() };
		states.set(server, state);
	}
	return state;
}

export function addConversation(
	server: TwilioServer,
	conversation: Partial<Omit<ConversationState, 'messages'>> = {},
): ConversationState {
	const state: ConversationState = {
		sid: twilioSid('CH'),
		chatServiceSid: twilioSid('IS'),
		uniqueName: null,
		createdAt: new Date(),
		...conversation,
		messages: [],
	};
	conversationsOf(server).conversations.set(state.sid, state);
	return state;
}

/**
 * A file of an incoming MMS: the MediaUrl Twilio would post for it (on
 * api.twilio.com, as Twilio gives it), served by this server under the
 * same path to callers with the account's credentials.
 */
export function addMessageMedia(
	server: TwilioServer,
	file: { messageSid: string; contentType: string; data: Buffer },
): { url: string; media: MediaState } {
	const media: MediaState = {
		sid: twilioSid('ME'),
		serviceSid: null,
		contentType: file.contentType,
		data: file.data,
	};
	conversationsOf(server).media.set(media.sid, media);
	return {
		url: `https://api.twilio.com/2010-04-01/Accounts/${server.accountSid}/Messages/${file.messageSid}/Media/${media.sid}`,
		media,
	};
}

/** A conversation by SID or unique name, as Twilio accepts either in the path. */
function findConversation(server: TwilioServer, sidOrName: string): ConversationState | undefined {
	const { conversations } = conversationsOf(server);
	return (
		conversations.get(sidOrName) ??
		[...conversations.values()].find((conversation) => conversation.uniqueName === sidOrName)
	);
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function conversationResource(context: TwilioContext, conversation: ConversationState) {
	const url = `https://conversations.twilio.com/v1/Conversations/${conversation.sid}`;
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		chat_service_sid: conversation.chatServiceSid,
		sid: conversation.sid,
		unique_name: conversation.uniqueName,
		attributes: '{}',
		state: 'active',
		date_created: iso(conversation.createdAt),
		date_updated: iso(conversation.createdAt),
		timers: {},
		url,
		links: { messages: `${url}/Messages`, participants: `${url}/Participants` },
	});
}

function withConversation(
	context: TwilioContext,
	name: string,
	then: (conversation: ConversationState) => TwilioReply,
): TwilioReply {
	const conversation = findConversation(context.server, context.pathParams[name] ?? '');
	return conversation === undefined ? notFound(context.request.path) : then(conversation);
}

export const CONVERSATION_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	FetchConversation: (context) =>
		withConversation(context, 'Sid', (conversation) => ({
			status: 200,
			body: conversationResource(context, conversation),
		})),

	CreateConversationMessage: (context) =>
		withConversation(context, 'ConversationSid', (conversation) => {
			const { params, server } = context;
			const mediaSid = first(params, 'MediaSid') ?? null;
			const media = mediaSid === null ? undefined : conversationsOf(server).media.get(mediaSid);
			if (mediaSid !== null && media?.serviceSid !== conversation.chatServiceSid)
				return twilioError(400, 50511, `Media ${mediaSid} is not in the conversation's service`);
			const header = context.request.headers['x-twilio-webhook-enabled'];
			const message: ConversationMessageState = {
				sid: twilioSid('IM'),
				index: conversation.messages.length,
				author: first(params, 'Author') ?? 'system',
				body: first(params, 'Body') ?? null,
				attributes: first(params, 'Attributes') ?? '{}',
				mediaSid,
				contentSid: first(params, 'ContentSid') ?? null,
				createdAt: new Date(),
				webhookEnabled: typeof header === 'string' ? header : null,
			};
			conversation.messages.push(message);
			const url = `https://conversations.twilio.com/v1/Conversations/${conversation.sid}/Messages/${message.sid}`;
			return {
				status: 201,
				body: server.shape(context.operation, {
					account_sid: server.accountSid,
					conversation_sid: conversation.sid,
					sid: message.sid,
					index: message.index,
					author: message.author,
					body: message.body,
					media:
						media === undefined
							? null
							: [
									{
										sid: media.sid,
										size: media.data.length,
										content_type: media.contentType,
										filename: null,
										category: 'media',
									},
								],
					attributes: message.attributes,
					date_created: iso(message.createdAt),
					url,
					delivery: null,
					links: { delivery_receipts: `${url}/Receipts` },
					content_sid: message.contentSid,
				}),
			};
		}),
};

const HEX32 = '[0-9a-fA-F]{32}';

export const MEDIA_ROUTES: readonly OffSpecRoute[] = [
	{
		// mcs.twilio.com: the file is the body, its type the Content-Type.
		id: 'McsCreateMedia',
		method: 'POST',
		path: new RegExp(`^/v1/Services/(?<ServiceSid>IS${HEX32})/Media$`),
		handler: (server, request) => {
			const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim();
			if (request.rawBytes.length === 0 || contentType === '')
				return twilioError(400, 20001, 'A media upload needs a body and its Content-Type');
			const serviceSid = request.pathParams.ServiceSid;
			const known = [...conversationsOf(server).conversations.values()].some(
				(conversation) => conversation.chatServiceSid === serviceSid,
			);
			if (!known) return notFound(request.path);
			const media: MediaState = {
				sid: twilioSid('ME'),
				serviceSid,
				contentType,
				data: request.rawBytes,
			};
			conversationsOf(server).media.set(media.sid, media);
			const url = `https://mcs.twilio.com/v1/Services/${serviceSid}/Media/${media.sid}`;
			return {
				status: 201,
				body: {
					sid: media.sid,
					service_sid: serviceSid,
					account_sid: server.accountSid,
					date_created: new Date().toISOString(),
					size: media.data.length,
					content_type: media.contentType,
					filename: null,
					category: 'media',
					url,
					links: {
						content: `${url}/Content`,
						content_direct_temporary: `${url}/ContentDirectTemporary`,
					},
				},
			};
		},
	},
	{
		// A media URL of a message (no .json): Twilio redirects to where the file is.
		id: 'FetchMessageMediaContent',
		method: 'GET',
		path: new RegExp(
			`^/2010-04-01/Accounts/(?<AccountSid>AC${HEX32})/Messages/(?<MessageSid>(?:MM|SM)${HEX32})/Media/(?<Sid>ME${HEX32})$`,
		),
		handler: (server, request) =>
			conversationsOf(server).media.has(request.pathParams.Sid ?? '')
				? {
						status: 307,
						headers: { location: `${server.baseUrl}/media-files/${request.pathParams.Sid}` },
					}
				: notFound(request.path),
	},
	{
		id: 'MediaFile',
		method: 'GET',
		public: true,
		path: new RegExp(`^/media-files/(?<Sid>ME${HEX32})$`),
		handler: (server, request) => {
			const media = conversationsOf(server).media.get(request.pathParams.Sid ?? '');
			return media === undefined
				? notFound(request.path)
				: { status: 200, headers: { 'content-type': media.contentType }, body: media.data };
		},
	},
];
