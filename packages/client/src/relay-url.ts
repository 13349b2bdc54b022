import { SIGNALING_PATH } from '@meshpad/protocol';

/** Path under the relay's origin where the y-websocket endpoint lives. */
export const YJS_PATH = '/yjs';

/** `http(s)://host/base` with `path` becomes `ws(s)://host/base<path>`; a `TypeError` for other URLs. */
const relayEndpoint = (relayUrl: string, path: string): string => {
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch (cause) {
    throw new TypeError(`Invalid relay URL "${relayUrl}": not an absolute URL`, { cause });
  }
  const protocol = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol];
  if (protocol === undefined) {
    throw new TypeError(`Invalid relay URL "${relayUrl}": protocol ${url.protocol} is not http, https, ws or wss`);
  }
  const base = url.pathname.replace(/\/+$/, '');
  return `${protocol}//${url.host}${base}${path}`;
};

/**
 * The y-websocket server URL for a relay: `http(s)://host/base` becomes `ws(s)://host/base/yjs`. The provider then
 * appends `/<docId>`. Throws a `TypeError` for anything but an absolute http, https, ws or wss URL.
 */
export const relaySocketUrl = (relayUrl: string): string => relayEndpoint(relayUrl, YJS_PATH);

/** The relay's y-webrtc signaling URL: `http(s)://host/base` becomes `ws(s)://host/base/signal`. */
export const signalingSocketUrl = (relayUrl: string): string => relayEndpoint(relayUrl, SIGNALING_PATH);
