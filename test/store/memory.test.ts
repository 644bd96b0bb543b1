import { MemoryStore } from '../../nodes/shared/store';
import { describeStoreContract } from './contract';

describeStoreContract('MemoryStore', () => new MemoryStore());

describe('MemoryStore', () => {
	it("reports backend 'memory'", async () => {
		const store = new MemoryStore();
		expect(store.backend).toBe('memory');
		await store.close();
	});
});
