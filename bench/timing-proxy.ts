import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerPlainFailure, readRequestBody, serveOnLoopback } from '../local/loopback-http-server.js';

/** When the requests that passed through started and ended (epoch milliseconds). */
export interface RequestWindow {
  readonly requests: number;
  readonly firstRequestAt: number | undefined;
  readonly lastAnswerAt: number | undefined;
}

export interface TimingProxy {
  readonly url: string;
  window(): RequestWindow;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Forwards every request unchanged to `target` and notes when the first arrived and the last was answered,
 * so the bench can tell the sweep's reading phase (paced Config calls) from what follows (state, alerts).
 */
export async function startTimingProxy(target: string): Promise<TimingProxy> {
  const { hostname, port } = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let window: { requests: number; firstRequestAt: number | undefined; lastAnswerAt: number | undefined } = {
    requests: 0,
    firstRequestAt: undefined,
    lastAnswerAt: undefined,
  };
  const forward = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    window.requests += 1;
    window.firstRequestAt ??= Date.now();
    const body = await readRequestBody(incoming, 16 * 1024 * 1024);
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest({ host: hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
    outgoing.writeHead(answer.status, answer.headers);
    outgoing.end(answer.body);
    window.lastAnswerAt = Date.now();
  };
  const listener = await serveOnLoopback(forward, answerPlainFailure);
  return {
    url: listener.url,
    window: () => ({ ...window }),
    reset: () => {
      window = { requests: 0, firstRequestAt: undefined, lastAnswerAt: undefined };
    },
    stop: async () => {
      await listener.stop();
      agent.destroy();
    },
  };
}
