/** From on Send Message and Send Media: a picker of the account's numbers that takes any sender by value. */
import type { INodeProperties } from 'n8n-workflow';

import { twilioLocator } from '../twilio/pickers';
import { SENDER_SOURCE } from './messageArguments';

export function fromField(description: string): INodeProperties {
	return twilioLocator({
		displayName: 'From',
		name: 'from',
		description,
		searchListMethod: 'searchMessagingNumbers',
		byValue: {
			displayName: 'By Sender',
			placeholder: 'e.g. +16505550100',
			regex: SENDER_SOURCE,
			errorMessage:
				'Give an E.164 number, a short code, an alphanumeric sender ID (at most 11 characters) or a channel address',
		},
	});
}
