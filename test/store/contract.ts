/**
 * The behaviour every SessionStore backend must show, one file per role in
 * contract/. Each backend's test file calls describeStoreContract with a
 * factory for a fresh, empty store.
 */

import { describeActsContract } from './contract/acts';
import { describeCloseContract } from './contract/close';
import type { StoreFactory } from './contract/fixtures';
import { describeIdentitiesContract } from './contract/identities';
import { describeLeasesContract } from './contract/leases';
import { describeListenersContract } from './contract/listeners';
import { describeOutboxContract } from './contract/outbox';
import { describeRatesContract } from './contract/rates';
import { describeRetentionContract } from './contract/retention';
import { describeSessionsContract } from './contract/sessions';
import { describeTimerFiresContract } from './contract/timerFires';
import { describeTimersContract } from './contract/timers';

export type { StoreFactory } from './contract/fixtures';

export function describeStoreContract(name: string, factory: StoreFactory): void {
	describeIdentitiesContract(name, factory);
	describeSessionsContract(name, factory);
	describeLeasesContract(name, factory);
	describeActsContract(name, factory);
	describeTimersContract(name, factory);
	describeTimerFiresContract(name, factory);
	describeOutboxContract(name, factory);
	describeRetentionContract(name, factory);
	describeListenersContract(name, factory);
	describeRatesContract(name, factory);
	describeCloseContract(name, factory);
}
