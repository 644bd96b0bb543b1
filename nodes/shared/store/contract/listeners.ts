/**
 * The listeners role: which active trigger listens on which connector. In
 * the seeds a connector is something configured that flows subscribe to;
 * here an active trigger registers itself under its connector, and commands
 * on that connector find it (a call becomes a conversation through the Call
 * Trigger, message status callbacks go to the SMS Trigger).
 *
 * A registration holds until `expiresAt` unless renewed, so one left by a
 * process that crashed stops counting by itself.
 */

export interface ConnectorListener {
	/** The caller's key for one trigger node of one workflow; registering it again renews it. */
	id: string;
	/** What listens, e.g. `callTrigger`. */
	kind: string;
	connectorIdn: string;
	/** Where the trigger is reached over HTTP; null when it has no webhook. */
	webhookUrl: string | null;
	/** Epoch ms; at and after this moment the registration no longer counts. */
	expiresAt: number;
	/** When it was first registered (kept by renewals). */
	createdAt: number;
	updatedAt: number;
}

export interface RegisterListenerInput {
	id: string;
	kind: string;
	connectorIdn: string;
	/** Omitted: the URL registered before is kept (none for a new registration). */
	webhookUrl?: string;
	/** How long the registration holds unless renewed; a positive number. */
	ttlMs: number;
}

export interface ListenerFilter {
	kind?: string;
	connectorIdn?: string;
}

export interface ListenersRole {
	/**
	 * Registers or renews (by id) a listener until now + ttlMs, in one step.
	 * Registrations that expired long ago (LISTENER_FORGET_MS) are removed
	 * on the way. Rejects a ttlMs that is not a positive number.
	 */
	registerListener(input: RegisterListenerInput, now?: number): Promise<ConnectorListener>;
	/** Removes the registration; whether there was one. */
	unregisterListener(id: string): Promise<boolean>;
	/** The registrations that hold at `now`, oldest registration first (then by id). */
	listListeners(filter?: ListenerFilter, now?: number): Promise<ConnectorListener[]>;
}
