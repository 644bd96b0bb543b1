/**
 * Automatic webhook setup of the SMS and Call Triggers: on activation the
 * chosen number (or Messaging Service) is pointed at the trigger's
 * production URL, and on deactivation what it pointed at before is put back.
 *
 * What was there before is kept in the node's webhookData (the workflow's
 * static data): n8n saves it to its database after creating and after
 * deleting webhooks, and reads it back for deactivation, so it survives a
 * restart and reaches whichever main process deactivates the workflow in
 * queue mode. A reactivation that finds the number already pointing here
 * (after a restart) keeps the value recorded the first time.
 */
import type { IDataObject, IHookFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createTwilioClient, type TwilioClient } from '../../transport/twilio';
import { twilioFacingUrl } from '../../triggers/connectorListener';
import { findIncomingNumber, webhookOwner, type WebhookOwnerKind } from './accountResources';
import { MESSAGING_SERVICE_SID_PATTERN, messagingServiceLocator, twilioLocator } from './pickers';
import { E164_PATTERN } from './addresses';

/** A webhook field: its name when updating, its name in the resource Twilio returns. */
type Field = readonly [form: string, resource: string];

/** The fields a trigger owns on each kind of target; the first is the URL, the others are set to go with it. */
const OWNED_FIELDS: Readonly<Record<string, readonly Field[]>> = {
	'smsTrigger:number': [
		['SmsUrl', 'sms_url'],
		['SmsMethod', 'sms_method'],
	],
	'smsTrigger:messagingService': [
		['InboundRequestUrl', 'inbound_request_url'],
		['InboundMethod', 'inbound_method'],
	],
	'callTrigger:number': [
		['VoiceUrl', 'voice_url'],
		['VoiceMethod', 'voice_method'],
		['StatusCallback', 'status_callback'],
		['StatusCallbackMethod', 'status_callback_method'],
	],
};

/** What an activation changed: enough for a deactivation anywhere to put it back. */
interface SetupRecord extends IDataObject {
	kind: WebhookOwnerKind;
	sid: string;
	/** The number or the service's name, for logs. */
	label: string;
	fields: string[][];
	/** The URL set; a target no longer pointing at it is left alone. */
	url: string;
	/** The fields as they were (form names), or null when the target already pointed here. */
	previous: Record<string, string> | null;
}

const RECORD_KEY = 'twilioWebhookSetup';

const SHOW_SETUP = { autoSetup: [true] };

/** The trigger's fields for automatic setup: off by default; which number (or Messaging Service). */
export function webhookSetupProperties(trigger: 'sms' | 'call'): INodeProperties[] {
	const sms = trigger === 'sms';
	const what = sms ? "'A message comes in'" : "'A call comes in' and its status callback";
	const number: INodeProperties = {
		...twilioLocator({
			displayName: 'Phone Number',
			name: 'setupPhoneNumber',
			description: `The account's number whose ${what} webhook this trigger sets`,
			searchListMethod: sms ? 'searchMessagingNumbers' : 'searchVoiceNumbers',
			byValue: {
				displayName: 'By Number',
				placeholder: 'e.g. +16505550100',
				regex: E164_PATTERN,
				errorMessage: 'Give the number in E.164, e.g. +16505550100',
			},
		}),
		required: true,
		displayOptions: { show: sms ? { ...SHOW_SETUP, setupTarget: ['number'] } : SHOW_SETUP },
	};
	return [
		{
			displayName: 'Set Up Twilio Webhook Automatically',
			name: 'autoSetup',
			type: 'boolean',
			default: false,
			description: `Whether activating the workflow points the number's ${what} webhook at this trigger's production URL, and deactivating it puts the previous URL back. Off: set the URL in the Twilio console yourself.`,
		},
		...(sms
			? [
					{
						displayName: 'Webhook Of',
						name: 'setupTarget',
						type: 'options',
						options: [
							{ name: 'Phone Number', value: 'number' },
							{
								name: 'Messaging Service',
								value: 'messagingService',
								description: "The service's incoming-message webhook, for all its senders",
							},
						],
						default: 'number',
						displayOptions: { show: SHOW_SETUP },
					} satisfies INodeProperties,
				]
			: []),
		number,
		...(sms
			? [
					{
						...messagingServiceLocator(
							"The Messaging Service whose incoming-message webhook this trigger sets (its 'Send a webhook' integration)",
						),
						name: 'setupMessagingServiceSid',
						required: true,
						displayOptions: { show: { ...SHOW_SETUP, setupTarget: ['messagingService'] } },
					},
				]
			: []),
		{
			displayName:
				'While the workflow is active this trigger owns that webhook. A URL already set there is replaced (the n8n log names it) and put back when the workflow is deactivated, unless it was changed in the meantime. The Test URL is never set automatically.',
			name: 'autoSetupNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: SHOW_SETUP },
		},
	];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function locatorText(value: unknown): string {
	const raw =
		value !== null && typeof value === 'object' && 'value' in value
			? (value as { value: unknown }).value
			: value;
	return text(raw).trim();
}

function triggerKind(functions: IHookFunctions): 'smsTrigger' | 'callTrigger' {
	const type = functions.getNode().type;
	return type.endsWith('.callTrigger') ? 'callTrigger' : 'smsTrigger';
}

interface Target {
	kind: WebhookOwnerKind;
	sid: string;
	label: string;
	resource: JsonObject;
}

/** The number or Messaging Service the node names, as Twilio has it now. */
async function findTarget(functions: IHookFunctions, client: TwilioClient): Promise<Target> {
	const kind = (
		triggerKind(functions) === 'smsTrigger'
			? functions.getNodeParameter('setupTarget', 'number')
			: 'number'
	) as WebhookOwnerKind;
	if (kind === 'messagingService') {
		const sid = locatorText(functions.getNodeParameter('setupMessagingServiceSid', ''));
		if (!new RegExp(`^${MESSAGING_SERVICE_SID_PATTERN}$`).test(sid))
			throw new NodeOperationError(
				functions.getNode(),
				'Messaging Service must be a Messaging Service SID (MG…)',
				{
					description:
						'Pick the service from the list, or turn off Set Up Twilio Webhook Automatically',
				},
			);
		const resource = await webhookOwner(client, kind, sid);
		return {
			kind,
			sid,
			label: `Messaging Service ${text(resource.friendly_name) || sid}`,
			resource,
		};
	}
	const phoneNumber = locatorText(functions.getNodeParameter('setupPhoneNumber', ''));
	const resource = phoneNumber === '' ? undefined : await findIncomingNumber(client, phoneNumber);
	if (resource === undefined)
		throw new NodeOperationError(
			functions.getNode(),
			phoneNumber === ''
				? 'Phone Number is empty'
				: `Phone Number ${phoneNumber} is not a number of this Twilio account`,
			{
				description:
					'Pick the number from the list, or turn off Set Up Twilio Webhook Automatically',
			},
		);
	return { kind, sid: text(resource.sid), label: `number ${phoneNumber}`, resource };
}

function nodeData(functions: IHookFunctions): IDataObject {
	return functions.getWorkflowStaticData('node');
}

/** Puts a recorded target back as it was, unless it no longer points at the URL this trigger set. */
async function restore(
	functions: IHookFunctions,
	client: TwilioClient,
	record: SetupRecord,
): Promise<void> {
	const [[, urlField]] = record.fields;
	const current = text((await webhookOwner(client, record.kind, record.sid))[urlField]);
	const name = functions.getNode().name;
	if (current !== record.url) {
		functions.logger.warn(
			`${name} left the webhook of ${record.label} alone: it points at ${current || 'nothing'} now, not at this trigger`,
		);
		return;
	}
	if (record.previous === null) {
		functions.logger.info(
			`${name} leaves the webhook of ${record.label} pointing at ${record.url}: it pointed there before the workflow was activated`,
		);
		return;
	}
	await webhookOwner(client, record.kind, record.sid, record.previous);
	functions.logger.info(
		`${name} put the webhook of ${record.label} back to ${record.previous[record.fields[0][0]] || 'nothing'}`,
	);
}

/** Only active workflows set webhooks up: the editor's test listener is a one-off. */
const setsUp = (functions: IHookFunctions) =>
	functions.getMode() !== 'manual' && functions.getNodeParameter('autoSetup', false) === true;

/** On activation: points the target at this trigger, recording what it pointed at before. */
export async function setUpTwilioWebhook(functions: IHookFunctions): Promise<void> {
	if (!setsUp(functions)) return;
	const url = twilioFacingUrl(functions);
	if (!url) return;
	const client = await createTwilioClient(functions, 0);
	const data = nodeData(functions);
	const target = await findTarget(functions, client);
	const fields = OWNED_FIELDS[`${triggerKind(functions)}:${target.kind}`].map(
		([form, resource]) => [form, resource],
	);
	const earlier = data[RECORD_KEY] as SetupRecord | undefined;
	if (earlier !== undefined && (earlier.sid !== target.sid || earlier.url !== url)) {
		// Deactivation never ran for an earlier setup (or the node now names another target).
		await restore(functions, client, earlier);
		delete data[RECORD_KEY];
	}
	const [[urlForm, urlField]] = fields;
	const current = text(target.resource[urlField]);
	if (current === url && data[RECORD_KEY] !== undefined) return;
	if (current !== '' && current !== url) {
		functions.logger.warn(
			`${functions.getNode().name} replaces the webhook of ${target.label}: it pointed at ${current}; that URL is put back when the workflow is deactivated`,
		);
	}
	const record: SetupRecord = {
		kind: target.kind,
		sid: target.sid,
		label: target.label,
		fields,
		url,
		previous:
			current === url
				? null
				: Object.fromEntries(
						fields.map(([form, resource]) => [form, text(target.resource[resource])]),
					),
	};
	const form = Object.fromEntries(
		fields.map(([form]) => [form, form === urlForm || form === 'StatusCallback' ? url : 'POST']),
	);
	await webhookOwner(client, target.kind, target.sid, form);
	data[RECORD_KEY] = record;
}

/**
 * On deactivation: puts the target back. A failure is logged and the record
 * kept (the next activation of the same target keeps the recorded value):
 * deactivation must not fail because Twilio could not be reached.
 */
export async function tearDownTwilioWebhook(functions: IHookFunctions): Promise<void> {
	// n8n deactivates the version that was active: its Set Up switch is the one that set the webhook up.
	if (!setsUp(functions)) return;
	const data = nodeData(functions);
	const record = data[RECORD_KEY] as SetupRecord | undefined;
	if (record === undefined) return;
	try {
		await restore(functions, await createTwilioClient(functions, 0), record);
		delete data[RECORD_KEY];
	} catch (error) {
		functions.logger.error(
			`${functions.getNode().name} could not put the webhook of ${record.label} back: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
}
