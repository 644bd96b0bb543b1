/** The retention role: forgetting what is old, and everything about one person on request. */

/** How many records one step removed, by kind. */
export interface RemovedRecords {
	acts: number;
	sessions: number;
	timers: number;
	actors: number;
	personas: number;
}

export interface RetentionRole {
	/**
	 * Removes, in one step, at most `limit` records of each kind last changed
	 * before `olderThan` (epoch ms): acts (by creation), ended sessions with
	 * their leases, and timers that can no longer fire (done or cancelled).
	 * Active sessions, timers that may still fire and identities are kept.
	 * Called repeatedly until it removes less than `limit` of every kind.
	 */
	pruneRecords(olderThan: number, limit: number): Promise<RemovedRecords>;
	/**
	 * Removes a persona and everything recorded about it, in one step: its
	 * actors (its phone numbers and other identities), sessions and their
	 * leases, acts and timers. A persona the store never saw removes what
	 * still names it, which may be nothing.
	 */
	deletePersona(personaId: string): Promise<RemovedRecords>;
}
