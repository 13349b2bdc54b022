/** Path under the relay's origin where the y-websocket endpoint lives. */
export const YJS_PATH = '/yjs';

/**
 * The y-websocket server URL for a relay: `http(s)://host/base` becomes `ws(s)://host/base/yjs`. The provider then
 * appends `/<docId>`. Throws a `TypeError` for anything but an absolute http, https, ws or wss URL.
 */
export const relaySocketUrl = (relayUrl: string): string => {
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
  return `${protocol}//${url.host}${base}${YJS_PATH}`;
};
