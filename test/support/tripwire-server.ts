import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback endpoint that must never be called: point AWS_ENDPOINT_URL (or a service's variable) at it
 * to prove that code sends nothing to a service. Every request is recorded and answered HTTP 500.
 */
export interface TripwireServer {
  readonly url: string;
  /** "METHOD x-amz-target-or-path" of every request received. */
  requests(): string[];
  stop(): Promise<void>;
}

export async function startTripwireServer(): Promise<TripwireServer> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    const target = request.headers['x-amz-target'];
    received.push(`${request.method ?? '?'} ${typeof target === 'string' ? target : (request.url ?? '')}`);
    request.resume();
    request.on('end', () => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('tripwire: this endpoint must not be called');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...received],
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
