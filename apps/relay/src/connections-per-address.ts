import { isIPv6 } from 'node:net';
import type { WebSocket } from 'ws';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * What connections are counted under: the address itself for IPv4, its /64 network for IPv6 (a
 * host, or a household behind one router, commonly holds a whole /64, and picks new addresses in it
 * at will).
 */
export function addressKey(address: string): string {
  const mapped = IPV4_MAPPED.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  // A trailing dotted IPv4 part takes two groups.
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? [g, g] : [g]));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  const prefix = [...left, ...zeros, ...right].slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

/** Open WebSockets per client address, across endpoints, with a limit on how many one address holds. */
export class ConnectionsPerAddress {
  private readonly counts = new Map<string, number>();

  constructor(readonly limit: number) {}

  /**
   * Counts `socket` under `address` until it closes; returns false, counting nothing, when that
   * address already holds `limit` connections.
   */
  admit(address: string, socket: WebSocket): boolean {
    const key = addressKey(address);
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limit) return false;
    this.counts.set(key, count + 1);
    socket.once('close', () => this.release(key));
    return true;
  }

  /** Connections open from `address` now. */
  count(address: string): number {
    return this.counts.get(addressKey(address)) ?? 0;
  }

  private release(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
