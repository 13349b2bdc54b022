import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the test server received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the test server answers: JSON, or `raw` text as an HTML page. */
export interface TestAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly raw?: boolean;
}

export interface HttpTestServer {
  readonly origin: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * For tests only: a real HTTP server on a loopback port that records each request and answers with `answer`, so
 * the relay API client is tested over real `fetch` (the web app does not depend on the relay package).
 */
export const startHttpTestServer = async (answer: (seen: SeenRequest) => TestAnswer): Promise<HttpTestServer> => {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      seen.push(entry);
      const reply = answer(entry);
      response.writeHead(reply.status, { 'content-type': reply.raw ? 'text/html' : 'application/json' });
      response.end(reply.raw ? String(reply.body) : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** A token-shaped string for document `sub` and `scope` (unsigned: these tests never reach a relay's check). */
export const fakeToken = (sub: string, scope: string): string =>
  `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify({ sub, scope })).replace(/=+$/, '')}.c2ln`;
