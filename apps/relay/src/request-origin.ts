/**
 * Where a request says it comes from and what it was addressed to: the rules behind the relay's
 * DNS-rebinding and cross-origin WebSocket checks, as plain functions over header values.
 */

/** A Host header: a bracketed IPv6 address or a name (letters, digits, `-`, `.`, `_`), then an optional port. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i;
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The host name a Host header names, in lower case and without its port; undefined when malformed or absent. */
export function hostNameOf(hostHeader: string | undefined): string | undefined {
  const match = hostHeader === undefined ? null : HOST_HEADER.exec(hostHeader);
  return match?.[1]?.toLowerCase();
}

/** Whether a host name can only mean this machine, whatever DNS says: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || LOOPBACK_IPV4.test(name);
}

/** Whether the address the relay listens on (`--host`) is reachable from this machine only. */
export function isLoopbackAddress(address: string): boolean {
  const name = address.toLowerCase();
  return isLoopbackName(name === '::1' ? '[::1]' : name);
}

/**
 * Whether a browser page of `origin` may use this relay. `same-host` accepts an origin whose host and
 * port are those of the Host header, whatever its scheme: behind a TLS proxy the page is https and the
 * relay sees plain HTTP. An opaque origin (`null`) is never allowed.
 */
export function isAllowedOrigin(
  origin: string,
  hostHeader: string | undefined,
  allowed: readonly string[] | 'same-host',
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed !== 'same-host') return allowed.includes(url.origin);
  if (hostHeader === undefined || hostNameOf(hostHeader) === undefined) return false;
  // Parsed with the origin's scheme, so a default port written out or left implicit compares equal.
  try {
    return new URL(`${url.protocol}//${hostHeader}`).host === url.host;
  } catch {
    return false;
  }
}
