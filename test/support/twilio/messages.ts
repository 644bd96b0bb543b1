/** Messages: kept in memory, answered as the spec's Message resource, created, fetched, updated (canceled) and deleted. */
import { resourceBase } from './account';
import { all, first } from './params';
import type { MessageState } from './state';
import type { TwilioContext, TwilioHandler, TwilioReply } from './types';
import { notFound, twilioError, twilioSid } from './wire';

/** GSM-7 text takes 160 characters in one segment, 153 per part; anything else UCS-2, 70 and 67. Approximate. */
function segments(body: string): number {
	const gsm = /^[\n\r\x20-\x7E£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà]*$/.test(body);
	const length = [...body].length;
	const [single, part] = gsm ? [160, 153] : [70, 67];
	return length <= single ? 1 : Math.ceil(length / part);
}

function messageResource(context: TwilioContext, message: MessageState): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Messages', message);
	return context.server.shape(context.operation, {
		...fields,
		to: message.to,
		from: message.from,
		body: message.body,
		status: message.status,
		direction: 'outbound-api',
		num_media: String(message.mediaUrls.length),
		num_segments: String(segments(message.body)),
		messaging_service_sid: message.messagingServiceSid,
		price_unit: 'USD',
		subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
	});
}

function withMessage(
	context: TwilioContext,
	then: (message: MessageState) => TwilioReply,
): TwilioReply {
	const message = context.server.messages.get(context.pathParams.Sid ?? '');
	return message === undefined ? notFound(context.request.path) : then(message);
}

export const MESSAGE_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	CreateMessage: (context) => {
		const { params } = context;
		const now = new Date();
		const mediaUrls = all(params, 'MediaUrl');
		const messagingServiceSid = first(params, 'MessagingServiceSid') ?? null;
		const scheduled = first(params, 'ScheduleType') === 'fixed';
		const message: MessageState = {
			sid: twilioSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
			to: first(params, 'To') ?? '',
			// With only a Messaging Service, Twilio picks the sender later.
			from: first(params, 'From') ?? null,
			body: first(params, 'Body') ?? '',
			mediaUrls,
			messagingServiceSid,
			status: scheduled ? 'scheduled' : messagingServiceSid !== null ? 'accepted' : 'queued',
			createdAt: now,
			updatedAt: now,
			sendAt: first(params, 'SendAt'),
			createParams: params,
		};
		context.server.messages.set(message.sid, message);
		return { status: 201, body: messageResource(context, message) };
	},

	FetchMessage: (context) =>
		withMessage(context, (message) => ({ status: 200, body: messageResource(context, message) })),

	UpdateMessage: (context) =>
		withMessage(context, (message) => {
			const status = first(context.params, 'Status');
			if (status === 'canceled') {
				if (message.status !== 'scheduled')
					return twilioError(400, 20001, 'Only a scheduled message can be canceled');
				message.status = 'canceled';
			}
			const body = first(context.params, 'Body');
			if (body !== undefined) message.body = body;
			message.updatedAt = new Date();
			return { status: 200, body: messageResource(context, message) };
		}),

	DeleteMessage: (context) =>
		withMessage(context, (message) =>
			context.server.messages.delete(message.sid)
				? { status: 204 }
				: notFound(context.request.path),
		),
};
