import { requiredString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import { optionalMediaUrls } from '../messageArguments';
import { MESSENGER_INTEGRATION } from '../constants';
import { checkMessage, sendMessage, type SendMessageInput } from './send_message.command';

/**
 * Seed smsActSendMedia: an MMS of the media URLs (`mediaURL`, a list) to the
 * user, sent like Send Message (whose checks and result it shares).
 */
export const sendMedia: CommandDefinition<SendMessageInput> = {
	integrationIdn: MESSENGER_INTEGRATION,
	commandIdn: 'send_media',
	displayName: 'Send Media',
	description: 'Send the user media (MMS) from a list of URLs',
	properties: [
		{
			displayName: 'To',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +16507000000',
			description: "The user's number (E.164) or channel address (whatsapp:+…)",
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			default: '',
			placeholder: 'e.g. +16505550100',
			description:
				'Your Twilio number the media comes from; leave empty to let the Messaging Service pick the sender',
		},
		{
			displayName: 'Messaging Service SID',
			name: 'messagingServiceSid',
			type: 'string',
			default: '',
			placeholder: 'MG…',
			description: 'Send through a Messaging Service; it picks the sender when From is empty',
		},
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
	],
	validate(args, request) {
		// Missing arguments are named in the order of the fields, as before the format checks.
		requiredString(args, 'phoneNumber', "The user's number (E.164) or channel address");
		const mediaUrl = optionalMediaUrls(args, 'mediaURL');
		if (mediaUrl === undefined)
			throw new ArgumentError(
				'mediaURL',
				'is required',
				'Give the media to send: up to 10 public http(s) URLs',
			);
		return sendMessage.validate({ ...args, mediaURL: null, mediaUrl }, request);
	},
	check: checkMessage,
	run: (context, input, act) => sendMessage.run(context, input, act),
};
