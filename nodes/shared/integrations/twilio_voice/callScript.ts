/**
 * What an outbound call does once answered, from Make Call's arguments: the
 * greeting (and a TaskRouter queue) as TwiML, your own TwiML or TwiML URL,
 * or a conversation with a Call Trigger.
 */
import { jsonArgument, optionalHttpUrl, optionalString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import { readSpeech } from './callArguments';
import { outboundCallTwiml, turnTwiml, type EnqueueTask } from './twiml';

export const MAX_TWIML_CHARACTERS = 4000;

export interface CallScript {
	/** Exactly one of twiml / url tells Twilio what the answered call does. */
	twiml?: string;
	url?: string;
	/** Conversation mode: the Call Trigger URL the callee's turns go to. */
	conversationUrl?: string;
}

function readEnqueue(args: CommandArguments, to: string): EnqueueTask | undefined {
	const workflowSid = optionalString(args, 'workflowSid');
	const attributes = jsonArgument(args, 'taskAttributes');
	if (workflowSid === undefined) {
		// The field's default `{}` says nothing; attributes that say something need a queue.
		const saysSomething =
			attributes !== undefined &&
			!(
				typeof attributes === 'object' &&
				attributes !== null &&
				Object.keys(attributes).length === 0
			);
		if (saysSomething)
			throw new ArgumentError('taskAttributes', 'needs a workflowSid to queue the call with');
		return undefined;
	}
	if (!/^WW[0-9a-fA-F]{32}$/.test(workflowSid))
		throw new ArgumentError(
			'workflowSid',
			`must be a TaskRouter workflow SID (WW…), got "${workflowSid}"`,
		);
	if (
		attributes !== undefined &&
		(attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
	) {
		throw new ArgumentError('taskAttributes', 'must be a JSON object');
	}
	// Flex routes an outbound voice task by `outbound_to` (TaskRouter error 40142 without it).
	return {
		workflowSid,
		attributes: { ...((attributes as JsonObject | undefined) ?? {}), outbound_to: to },
	};
}

function checkTwimlLength(twiml: string, field: string): string {
	if (twiml.length > MAX_TWIML_CHARACTERS) {
		throw new ArgumentError(
			field,
			`makes TwiML of ${twiml.length} characters; Twilio takes at most ${MAX_TWIML_CHARACTERS}`,
		);
	}
	return twiml;
}

/** The one script the arguments give, refusing those that cannot go together. */
export function readCallScript(args: CommandArguments, to: string): CallScript {
	const greeting = optionalString(args, 'greetingPhrase');
	const ownTwiml = optionalString(args, 'twiml');
	const url = optionalHttpUrl(args, 'twimlUrl');
	const given = [
		greeting !== undefined && 'greetingPhrase',
		ownTwiml !== undefined && 'twiml',
		url !== undefined && 'twimlUrl',
	].filter(Boolean);
	if (given.length > 1)
		throw new ArgumentError(
			String(given[1]),
			`cannot be used together with ${String(given[0])}`,
			'Give one of greetingPhrase, twiml or twimlUrl',
		);
	const enqueue = readEnqueue(args, to);
	const conversationUrl = optionalHttpUrl(args, 'conversationUrl');
	if (conversationUrl !== undefined) {
		const clash =
			ownTwiml !== undefined
				? 'twiml'
				: url !== undefined
					? 'twimlUrl'
					: enqueue
						? 'workflowSid'
						: undefined;
		if (clash !== undefined)
			throw new ArgumentError(
				clash,
				'cannot be used with conversationUrl: the Call Trigger decides what the call does',
			);
		// Conversation mode: greet, then listen; what the callee says goes to the Call Trigger.
		const twiml = turnTwiml({
			text: greeting,
			speech: readSpeech(args),
			then: { kind: 'listen', listen: { actionUrl: conversationUrl } },
		});
		return { twiml: checkTwimlLength(twiml, 'greetingPhrase'), conversationUrl };
	}
	if (url !== undefined) {
		if (enqueue)
			throw new ArgumentError(
				'workflowSid',
				'cannot be used with twimlUrl: your TwiML decides what the call does',
			);
		return { url };
	}
	const twiml =
		ownTwiml ??
		(greeting !== undefined || enqueue
			? outboundCallTwiml(greeting, readSpeech(args), enqueue)
			: undefined);
	if (twiml === undefined) {
		throw new ArgumentError(
			'greetingPhrase',
			'is required unless twiml, twimlUrl, a workflowSid or a conversationUrl says what the answered call does',
		);
	}
	return { twiml: checkTwimlLength(twiml, ownTwiml !== undefined ? 'twiml' : 'greetingPhrase') };
}
