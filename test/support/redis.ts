/**
 * Just enough of a Redis client for the tests to claim a database index and
 * clear it afterwards: commands over one TCP connection in Redis's own
 * protocol (RESP), answered in order. n8n brings its own client; the package
 * has none, and a test harness should not add one for three commands.
 */
import { connect, type Socket } from 'node:net';

export type RedisReply = string | number | null | RedisReply[];

interface Pending {
	resolve: (reply: RedisReply) => void;
	reject: (error: Error) => void;
}

/** Where the tests' Redis listens: REDIS_HOST / REDIS_PORT, 127.0.0.1:6379 by default. */
export const REDIS_HOST = process.env.REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379);

export class RedisConnection {
	private buffer = Buffer.alloc(0);
	private readonly pending: Pending[] = [];

	private constructor(private readonly socket: Socket) {
		socket.on('data', (chunk: Buffer) => {
			this.buffer = Buffer.concat([this.buffer, chunk]);
			this.drain();
		});
		const failAll = (error: Error) => {
			for (const waiting of this.pending.splice(0)) waiting.reject(error);
		};
		socket.on('error', failAll);
		socket.on('close', () => failAll(new Error('Redis connection closed')));
	}

	static async open(host = REDIS_HOST, port = REDIS_PORT): Promise<RedisConnection> {
		const socket = await new Promise<Socket>((resolve, reject) => {
			const candidate = connect({ host, port }, () => resolve(candidate));
			candidate.once('error', reject);
		});
		return new RedisConnection(socket);
	}

	/** Sends one command; a Redis error reply rejects with its message. */
	async command(...args: Array<string | number>): Promise<RedisReply> {
		const parts = args.map(String);
		let request = `*${parts.length}\r\n`;
		for (const part of parts) request += `$${Buffer.byteLength(part)}\r\n${part}\r\n`;
		return await new Promise<RedisReply>((resolve, reject) => {
			this.pending.push({ resolve, reject });
			this.socket.write(request);
		});
	}

	async close(): Promise<void> {
		if (this.socket.destroyed) return;
		await new Promise<void>((resolve) => {
			this.socket.once('close', () => resolve());
			this.socket.end();
		});
	}

	/** Hands out every complete reply in the buffer to the command waiting for it. */
	private drain(): void {
		for (;;) {
			const parsed = parseReply(this.buffer, 0);
			if (parsed === undefined) return;
			this.buffer = this.buffer.subarray(parsed.end);
			const waiting = this.pending.shift();
			if (parsed.error !== undefined) waiting?.reject(new Error(`Redis: ${parsed.error}`));
			else waiting?.resolve(parsed.value);
		}
	}
}

interface Parsed {
	value: RedisReply;
	error?: string;
	end: number;
}

/** One RESP2 reply starting at `start`, or undefined while it has not fully arrived. */
function parseReply(buffer: Buffer, start: number): Parsed | undefined {
	const lineEnd = buffer.indexOf('\r\n', start);
	if (lineEnd === -1) return undefined;
	const type = String.fromCharCode(buffer[start]);
	const line = buffer.toString('utf8', start + 1, lineEnd);
	const next = lineEnd + 2;
	switch (type) {
		case '+':
			return { value: line, end: next };
		case '-':
			return { value: null, error: line, end: next };
		case ':':
			return { value: Number(line), end: next };
		case '$': {
			const length = Number(line);
			if (length === -1) return { value: null, end: next };
			if (buffer.length < next + length + 2) return undefined;
			return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
		}
		case '*': {
			const count = Number(line);
			if (count === -1) return { value: null, end: next };
			const items: RedisReply[] = [];
			let position = next;
			for (let index = 0; index < count; index++) {
				const item = parseReply(buffer, position);
				if (item === undefined) return undefined;
				items.push(item.value);
				position = item.end;
			}
			return { value: items, end: position };
		}
		default:
			throw new Error(`Unexpected Redis reply type ${JSON.stringify(type)}`);
	}
}
