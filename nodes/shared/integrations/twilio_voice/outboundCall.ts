/**
 * What Start Outbound Call's arguments leave to others: the caller ID to the
 * Twilio credential's Default Caller ID, and a call that only greets to the
 * Call Trigger listening on its connector, which then holds it as a
 * conversation (triggers/connectorListener.ts).
 */
import { optionalHttpUrl } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext } from '../../commands/types';
import { twilioDefaults, type TwilioFormValue } from '../../transport/twilio';
import { CALL_TRIGGER, findWebhookListener } from '../../triggers/connectorListener';
import { checkCallerId, optionalListOf } from './callArguments';
import { readCallScript, type CallScript } from './callScript';
import type { OutboundTask } from './outboundTask';

export const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];
const CONVERSATION_EVENTS = ['answered', 'completed'];

export interface MakeCallInput extends CallScript {
	to: string;
	/** Empty until check takes the credential's Default Caller ID. */
	from?: string;
	form: Record<string, TwilioFormValue>;
	connectorIdn: string;
	/** The arguments, for check to make the call a conversation through the Call Trigger on the connector. */
	args: CommandArguments;
	/** Only a greeting says what the answered call does: a Call Trigger on the connector may hold it. */
	conversationByDefault: boolean;
	/** Why the call is not a conversation though it could be; set by check. */
	notice?: string;
	/** With a queue SID: a task for an agent to place the call, instead of a call. */
	outboundTask?: OutboundTask;
}

/** The form fields the call's script decides: what the answered call does, and where its status goes. */
export function scriptForm(
	args: CommandArguments,
	script: CallScript,
): Record<string, TwilioFormValue> {
	const statusCallback = optionalHttpUrl(args, 'statusCallback');
	return {
		Twiml: script.twiml,
		Url: script.url,
		// In conversation mode the Call Trigger also hears when the call is answered and when it ends, unless told otherwise.
		StatusCallback: statusCallback ?? script.conversationUrl,
		StatusCallbackEvent:
			optionalListOf(args, 'statusCallbackEvent', STATUS_EVENTS) ??
			(script.conversationUrl !== undefined && statusCallback === undefined
				? CONVERSATION_EVENTS
				: undefined),
	};
}

/**
 * The caller ID: the one given, else the credential's Default Caller ID;
 * without either the error says where to set one.
 */
export async function completeCallerId(
	context: CommandContext,
	input: MakeCallInput,
): Promise<void> {
	if (input.from !== undefined) return;
	const { defaultCallerId } = await twilioDefaults(context.functions, context.itemIndex);
	if (defaultCallerId === undefined) {
		throw new ArgumentError(
			'callerId',
			'is required: set From (Caller ID) on the node, or Default Caller ID on the Twilio credential',
			'A Twilio number or verified caller ID in E.164, e.g. +16505550100',
		);
	}
	input.from = checkCallerId(defaultCallerId);
	input.form.From = input.from;
}

/**
 * A call whose arguments only greet becomes a conversation through the Call
 * Trigger listening on its connector; when none listens it greets and hangs
 * up, and says so.
 */
export async function completeConversation(
	context: CommandContext,
	input: MakeCallInput,
): Promise<void> {
	if (!input.conversationByDefault) return;
	const listener = await findWebhookListener(context, CALL_TRIGGER, input.connectorIdn);
	if (listener?.webhookUrl == null) {
		input.notice = `No Call Trigger listens on connector '${input.connectorIdn}': the call says the greeting and hangs up. Activate a workflow whose Call Trigger has this Connector IDN to hold it as a conversation.`;
		return;
	}
	const script = readCallScript({ ...input.args, conversationUrl: listener.webhookUrl }, input.to);
	Object.assign(input, script);
	Object.assign(input.form, scriptForm(input.args, script));
}
