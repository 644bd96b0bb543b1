/**
 * A local HTTP server on 127.0.0.1 that records every request it gets, for
 * tests that assert on what reached a service. Services (Twilio, WTS Chat,
 * …) are played by handlers that answer in the service's wire format.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

export interface Reply {
	status: number;
	headers?: Record<string, string>;
	body?: unknown;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export class RecordingServer {
	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
		readonly requests: RecordedRequest[],
	) {}

	static async start(handler: Handler): Promise<RecordingServer> {
		const requests: RecordedRequest[] = [];
		const server = createServer((req: IncomingMessage, res: ServerResponse) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const request: RecordedRequest = {
					method: req.method ?? 'GET',
					url: req.url ?? '/',
					headers: req.headers,
					body: Buffer.concat(chunks),
				};
				requests.push(request);
				void Promise.resolve(handler(request)).then(
					(reply) => send(res, reply),
					(error: unknown) => send(res, { status: 500, body: { message: String(error) } }),
				);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return new RecordingServer(server, `http://127.0.0.1:${port}`, requests);
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}
}

function send(res: ServerResponse, reply: Reply): void {
	const isJson =
		reply.body !== undefined && typeof reply.body !== 'string' && !Buffer.isBuffer(reply.body);
	const payload = isJson
		? JSON.stringify(reply.body)
		: ((reply.body as string | Buffer | undefined) ?? '');
	res.writeHead(reply.status, {
		...(isJson ? { 'content-type': 'application/json' } : {}),
		...reply.headers,
	});
	res.end(payload);
}

/** The user and password of a Basic Authorization header, if any. */
export function basicAuth(
	request: RecordedRequest,
): { user: string; password: string } | undefined {
	const header = request.headers.authorization;
	if (!header?.startsWith('Basic ')) return undefined;
	const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	return { user: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}
