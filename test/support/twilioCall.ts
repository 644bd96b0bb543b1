/**
 * Twilio's side of a phone conversation: a call that runs TwiML the way
 * Twilio's voice engine does (Say, Play, Gather, Redirect, Dial, Hangup),
 * posting signed webhooks exactly as Twilio sends them — the voice URL when
 * the call connects, `<Gather>` results to the action URL (or to the URL of
 * the document that holds the Gather), and status callbacks.
 */
import { postTwilioWebhook } from './twilioWebhooks';

export interface TwimlNode {
	name: string;
	attributes: Record<string, string>;
	children: TwimlNode[];
	text: string;
}

const ENTITIES: Record<string, string> = {
	'&lt;': '<',
	'&gt;': '>',
	'&amp;': '&',
	'&quot;': '"',
	'&apos;': "'",
};
const unescape = (text: string) =>
	text.replace(/&(lt|gt|amp|quot|apos);/g, (entity) => ENTITIES[entity]);

/** Reads a TwiML document (elements, attributes, text) into a tree. Enough for TwiML, not for XML at large. */
export function parseTwiml(document: string): TwimlNode {
	const root: TwimlNode = { name: '#document', attributes: {}, children: [], text: '' };
	const stack = [root];
	const tokens = document
		.replace(/<\?xml[^>]*\?>/, '')
		.matchAll(/<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"]*")*)\s*(\/?)>|([^<]+)/g);
	for (const [, closing, name, attributeText, selfClosing, text] of tokens) {
		const current = stack[stack.length - 1];
		if (text !== undefined) {
			current.text += unescape(text);
			continue;
		}
		if (closing) {
			stack.pop();
			continue;
		}
		const attributes: Record<string, string> = {};
		for (const [, key, value] of (attributeText ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g))
			attributes[key] = unescape(value);
		const node: TwimlNode = { name, attributes, children: [], text: '' };
		current.children.push(node);
		if (!selfClosing) stack.push(node);
	}
	const response = root.children[0];
	if (response?.name !== 'Response') throw new Error(`Not TwiML: ${document}`);
	return response;
}

export interface CallInfo {
	accountSid: string;
	callSid: string;
	from: string;
	to: string;
	direction: 'inbound' | 'outbound-api';
}

/** What the call did, in order: things said, audio played, transfers. */
export type CallLogEntry =
	| { verb: 'Say'; text: string; voice?: string }
	| { verb: 'Play'; url: string }
	| { verb: 'Dial'; target: string; timeout?: string }
	| { verb: 'Hangup' };

interface PendingGather {
	action: string;
	actionOnEmptyResult: boolean;
	input: string;
}

export class SimulatedCall {
	/** Every TwiML document the call received, in order. */
	readonly documents: string[] = [];
	readonly log: CallLogEntry[] = [];
	/** HTTP statuses of the webhook requests the call made. */
	readonly statuses: number[] = [];
	private gather: PendingGather | undefined;
	private sequence = 0;
	ended = false;

	constructor(
		readonly call: CallInfo,
		private readonly authToken: string,
		private readonly statusCallback?: { url: string; events: string[] },
	) {}

	private params(extra: Record<string, string>): Record<string, string> {
		const { accountSid, callSid, from, to, direction } = this.call;
		return {
			AccountSid: accountSid,
			ApiVersion: '2010-04-01',
			CallSid: callSid,
			CallStatus: 'in-progress',
			Called: to,
			Caller: from,
			Direction: direction,
			From: from,
			FromCountry: 'US',
			To: to,
			ToCountry: 'US',
			...extra,
		};
	}

	/** Posts to a URL that answers TwiML and runs what comes back. */
	private async fetchTwiml(url: string, params: Record<string, string>): Promise<void> {
		const response = await postTwilioWebhook(url, params, { authToken: this.authToken });
		this.statuses.push(response.status);
		const body = await response.text();
		if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body}`);
		await this.run(body, url);
	}

	/** Runs a TwiML document that came from `documentUrl` (undefined: given inline, e.g. by Calls.create). */
	async run(document: string, documentUrl?: string): Promise<void> {
		this.documents.push(document);
		this.gather = undefined;
		for (const verb of parseTwiml(document).children) {
			if (verb.name === 'Say')
				this.log.push({
					verb: 'Say',
					text: verb.text,
					...(verb.attributes.voice ? { voice: verb.attributes.voice } : {}),
				});
			else if (verb.name === 'Play') this.log.push({ verb: 'Play', url: verb.text });
			else if (verb.name === 'Hangup') {
				this.log.push({ verb: 'Hangup' });
				return await this.hangUp();
			} else if (verb.name === 'Dial') {
				const [target] = verb.children;
				this.log.push({
					verb: 'Dial',
					target: `${target.name}:${target.text}`,
					...(verb.attributes.timeout ? { timeout: verb.attributes.timeout } : {}),
				});
				return await this.hangUp();
			} else if (verb.name === 'Redirect') {
				return await this.fetchTwiml(verb.text, this.params({}));
			} else if (verb.name === 'Gather') {
				for (const child of verb.children) {
					if (child.name === 'Say')
						this.log.push({
							verb: 'Say',
							text: child.text,
							...(child.attributes.voice ? { voice: child.attributes.voice } : {}),
						});
					if (child.name === 'Play') this.log.push({ verb: 'Play', url: child.text });
				}
				const action = verb.attributes.action ?? documentUrl;
				if (action === undefined)
					throw new Error('A <Gather> without action in inline TwiML has nowhere to post');
				this.gather = {
					action,
					actionOnEmptyResult: verb.attributes.actionOnEmptyResult === 'true',
					input: verb.attributes.input ?? 'dtmf',
				};
				return;
			} else throw new Error(`The simulated call does not run <${verb.name}>`);
		}
		// Out of TwiML: Twilio ends the call.
		await this.hangUp();
	}

	/** An inbound call rings the number's voice URL. */
	async connect(voiceUrl: string): Promise<void> {
		await this.fetchTwiml(voiceUrl, this.params({ CallStatus: 'ringing' }));
	}

	private requireGather(): PendingGather {
		if (this.gather === undefined)
			throw new Error(`The call is not listening; it did: ${JSON.stringify(this.log)}`);
		return this.gather;
	}

	async speak(text: string, confidence = 0.92): Promise<void> {
		const gather = this.requireGather();
		if (!gather.input.includes('speech')) throw new Error('The call listens for keys only');
		await this.fetchTwiml(
			gather.action,
			this.params({ SpeechResult: text, Confidence: String(confidence), Language: 'en-US' }),
		);
	}

	async press(digits: string): Promise<void> {
		const gather = this.requireGather();
		if (!gather.input.includes('dtmf')) throw new Error('The call listens for speech only');
		await this.fetchTwiml(gather.action, this.params({ Digits: digits, FinishedOnKey: '' }));
	}

	/** The caller says nothing until the Gather times out. */
	async stayQuiet(): Promise<void> {
		const gather = this.requireGather();
		if (gather.actionOnEmptyResult) await this.fetchTwiml(gather.action, this.params({}));
		else await this.hangUp();
	}

	/** Twilio's status callback for an event the call subscribed to. */
	async reportStatus(
		event: 'answered' | 'completed',
		durationSeconds = 0,
	): Promise<number | undefined> {
		if (this.statusCallback === undefined || !this.statusCallback.events.includes(event))
			return undefined;
		this.sequence += 1;
		const completed = event === 'completed';
		const params = this.params({
			CallStatus: completed ? 'completed' : 'in-progress',
			CallbackSource: 'call-progress-events',
			SequenceNumber: String(this.sequence - 1),
			Timestamp: new Date().toUTCString(),
			...(completed
				? {
						CallDuration: String(durationSeconds),
						Duration: String(Math.ceil(durationSeconds / 60)),
					}
				: {}),
		});
		const response = await postTwilioWebhook(this.statusCallback.url, params, {
			authToken: this.authToken,
		});
		this.statuses.push(response.status);
		await response.text();
		return response.status;
	}

	/** The caller hangs up (or the TwiML ran out). */
	async hangUp(): Promise<void> {
		if (this.ended) return;
		this.ended = true;
		this.gather = undefined;
		await this.reportStatus('completed', 42);
	}
}
