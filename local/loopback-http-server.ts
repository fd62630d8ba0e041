import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1 at a port the OS picked. */
export interface LoopbackListener {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, drops every open (keep-alive) connection, resolves once closed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0 (never a fixed port, so parallel test files cannot collide; never
 * 0.0.0.0, so nothing is exposed beyond this machine).
 */
export function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      let stopping: Promise<void> | undefined;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        stop: () => {
          stopping ??= new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // SDK clients keep connections alive; close() alone would wait for them to idle out.
            server.closeAllConnections();
          });
          return stopping;
        },
      });
    });
  });
}

/**
 * Serves `handle` on loopback. A handler that throws after answering is left alone; one that throws
 * before answers with `answerFailure` (each emulator speaks its own error format).
 */
export function serveOnLoopback(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  answerFailure: (response: ServerResponse, error: unknown) => void,
): Promise<LoopbackListener> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) answerFailure(response, error);
    });
  });
  return listenOnLoopback(server);
}

/** The plain-text 500 of emulators whose protocol has no better way to say "the emulator broke". */
export function answerPlainFailure(response: ServerResponse, error: unknown): void {
  response.writeHead(500, { 'Content-Type': 'text/plain' });
  response.end(String(error));
}

export class RequestTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`);
    this.name = 'RequestTooLargeError';
  }
}

/** The whole request body; bodies over `limitBytes` are drained and refused. */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    request.on('end', () => (size > limitBytes ? reject(new RequestTooLargeError(limitBytes)) : resolve(Buffer.concat(chunks))));
    request.on('error', reject);
  });
}
