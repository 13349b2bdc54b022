import { TOKEN_QUERY_PARAMETER, tokenFromSubprotocols } from '@meshpad/protocol';
import type { FastifyRequest } from 'fastify';

/**
 * The token an upgrade request presents (PROTOCOL.md, "Where the token travels"): in the
 * `Sec-WebSocket-Protocol` header, which keeps it out of URLs, or else in the `token` query parameter,
 * the only way y-webrtc and stock clients given `params` have.
 */
export function tokenOf(request: FastifyRequest): string | undefined {
  const offered = request.headers['sec-websocket-protocol'];
  if (typeof offered === 'string') {
    const token = tokenFromSubprotocols(offered.split(',').map((protocol) => protocol.trim()));
    if (token !== undefined) return token;
  }
  const url = request.raw.url ?? '';
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get(TOKEN_QUERY_PARAMETER) ?? undefined;
}
