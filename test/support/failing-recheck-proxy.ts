import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the Config simulator that answers HTTP 500 InternalFailure to every
 * GetOrganizationConformancePackDetailedStatus call filtered on one account ID (the per-account
 * recheck of an account that was failing) and forwards everything else untouched. The simulator's
 * own faults are random or region-wide; this one targets a single call shape.
 */
export interface FailingRecheckProxy {
  readonly url: string;
  /** Requests the proxy refused on purpose. */
  refused(): number;
  /** While off, the rechecks are forwarded too. On at start. */
  setRefusing(refusing: boolean): void;
  stop(): Promise<void>;
}

export async function startFailingRecheckProxy(options: { readonly target: string; readonly accountId: string }): Promise<FailingRecheckProxy> {
  const targetUrl = new URL(options.target);
  let refused = 0;
  let refusing = true;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (refusing && isRecheckOf(incoming, body, options.accountId)) {
        refused += 1;
        const payload = JSON.stringify({ __type: 'InternalFailure', message: 'Injected by the test proxy: recheck failed' });
        outgoing.writeHead(500, {
          'Content-Type': 'application/x-amz-json-1.1',
          'Content-Length': Buffer.byteLength(payload),
          'x-amzn-RequestId': `proxy-${refused}`,
        });
        outgoing.end(payload);
        return;
      }
      const forwarded = httpRequest(
        {
          hostname: targetUrl.hostname,
          port: targetUrl.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', (error) => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused: () => refused,
    setRefusing: (value) => {
      refusing = value;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function isRecheckOf(request: IncomingMessage, body: Buffer, accountId: string): boolean {
  if (request.headers['x-amz-target'] !== 'StarlingDoveService.GetOrganizationConformancePackDetailedStatus') return false;
  try {
    const input = JSON.parse(body.toString('utf8')) as { Filters?: { AccountId?: unknown } };
    return input.Filters?.AccountId === accountId;
  } catch {
    return false;
  }
}
