import { isBlank, requiredString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandArguments, CommandContext, CommandDefinition } from '../../../commands/types';
import { simplifyProperty } from '../../twilio/simplify';
import { optionalMediaUrls } from '../messageArguments';
import { fromField } from '../senderFields';
import { messagingServiceLocator } from '../../twilio/pickers';
import { MESSENGER_INTEGRATION } from '../constants';
import { readSessionId, resolveParties } from '../sessionArguments';
import { checkMessage, sendMessage, type SendMessageInput } from './send_message.command';

/** Sent to a session: its user is the recipient and its number the default sender; `check` fills them in. */
interface SendMediaInput extends SendMessageInput {
	session?: { smsSessionID: string; connectorIdn: string; args: CommandArguments };
}

function mediaOf(args: CommandArguments): string[] {
	const mediaUrl = optionalMediaUrls(args, 'mediaURL');
	if (mediaUrl === undefined)
		throw new ArgumentError(
			'mediaURL',
			'is required',
			'Give the media to send: up to 10 public http(s) URLs',
		);
	return mediaUrl;
}

const SHOW_NUMBER = { show: { sessionBy: ['numbers'] } };
const SHOW_SESSION = { show: { sessionBy: ['sessionId'] } };

/**
 * Seed smsActSendMedia: an MMS of the media URLs (`mediaURL`, a list) to the
 * user, sent like Send Message (whose checks and result it shares), to a
 * number or to the user of a session named by its smsSessionID.
 */
export const sendMedia: CommandDefinition<SendMediaInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_media',
	aliases: ['smsActSendMedia'],
	displayName: 'Send Media',
	description: 'Send the user media (MMS) from a list of URLs',
	properties: [
		{
			displayName: 'Send To',
			name: 'sessionBy',
			type: 'options',
			options: [
				{ name: 'Number', value: 'numbers', description: "The user's number" },
				{
					name: 'Session',
					value: 'sessionId',
					description: 'The user of a session, by the smsSessionID the SMS Trigger outputs',
				},
			],
			default: 'numbers',
		},
		{
			displayName: 'To',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			required: true,
			displayOptions: SHOW_NUMBER,
			placeholder: 'e.g. +16507000000',
			description: "The user's number (E.164) or channel address (whatsapp:+…)",
		},
		{
			displayName: 'Session ID',
			name: 'smsSessionID',
			type: 'string',
			default: '',
			required: true,
			displayOptions: SHOW_SESSION,
			placeholder: 'e.g. a23de67h-e527-40d5-a867-5c0ce9e72d0d',
			description: "The session's smsSessionID; the media goes to its user, from its number",
		},
		fromField(
			"Your Twilio number the media comes from; leave empty to let the Messaging Service pick the sender (or, for a session, to use the session's number)",
		),
		messagingServiceLocator(
			'Send through a Messaging Service; it picks the sender when From is empty',
		),
		{
			displayName: 'Media URLs',
			name: 'mediaURL',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/first.gif, https://example.com/second.gif',
			description: 'Up to 10 public http(s) URLs, comma-separated or a JSON list',
		},
		{
			displayName: 'Caption',
			name: 'text',
			type: 'string',
			default: '',
			description: 'Text sent with the media',
		},
		simplifyProperty,
	],
	validate(args, request) {
		const smsSessionID = readSessionId(args);
		if (smsSessionID !== undefined) {
			mediaOf(args);
			return {
				to: '',
				connectorIdn: request.connectorIdn,
				form: {},
				session: { smsSessionID, connectorIdn: request.connectorIdn, args },
			};
		}
		// Missing arguments are named in the order of the fields, as before the format checks.
		requiredString(args, 'phoneNumber', "The user's number (E.164) or channel address");
		const mediaUrl = mediaOf(args);
		return sendMessage.validate({ ...args, mediaURL: null, mediaUrl }, request);
	},
	async check(context, input) {
		if (input.session !== undefined) await addressSession(context, input, input.session);
		await checkMessage(context, input);
	},
	run: (context, input, act) => sendMessage.run(context, input, act),
};

/** Fills in the recipient (the session's user) and, when none is given, the sender (its number). */
async function addressSession(
	context: CommandContext,
	input: SendMediaInput,
	{ smsSessionID, connectorIdn, args }: NonNullable<SendMediaInput['session']>,
): Promise<void> {
	const parties = await resolveParties(context, connectorIdn, { smsSessionID });
	const sender: CommandArguments =
		isBlank(args.from) && isBlank(args.messagingServiceSid) ? { from: parties.tenantNumber } : {};
	Object.assign(
		input,
		sendMessage.validate(
			{
				...args,
				...sender,
				phoneNumber: parties.userNumber,
				mediaURL: null,
				mediaUrl: mediaOf(args),
			},
			{
				integrationIdn: MESSENGER_INTEGRATION,
				commandIdn: 'send_media',
				connectorIdn,
				arguments: args,
			},
		),
	);
}
