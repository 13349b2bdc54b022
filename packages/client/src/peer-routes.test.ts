import { describe, expect, it } from 'vitest';
import { isOnRelay, LINK_FIELD, type LocalLinks, peerRoute, readLinkField } from './peer-routes.js';

const linked = (peerId: string, relay: boolean) => ({ user: { name: 'A' }, [LINK_FIELD]: { peerId, relay } });

const local = (overrides: Partial<LocalLinks> = {}): LocalLinks => ({
  relayConnected: true,
  meshOn: true,
  directPeerIds: new Set(['p-direct']),
  tabPeerIds: new Set(['p-tab']),
  ...overrides,
});

describe('readLinkField', () => {
  it('reads a well-formed field', () => {
    expect(readLinkField(linked('p1', true))).toEqual({ peerId: 'p1', relay: true });
  });

  it.each([
    ['no state', null],
    ['a stock client', { user: { name: 'A' } }],
    ['a non-object field', { [LINK_FIELD]: 'p1' }],
    ['a numeric peer id', { [LINK_FIELD]: { peerId: 1, relay: true } }],
    ['a string relay flag', { [LINK_FIELD]: { peerId: 'p1', relay: 'yes' } }],
    ['an oversized peer id', { [LINK_FIELD]: { peerId: 'x'.repeat(65), relay: true } }],
  ])('ignores %s', (_label, state) => {
    expect(readLinkField(state)).toBeUndefined();
  });
});

describe('isOnRelay', () => {
  it('believes the link field over the way the state arrived', () => {
    expect(isOnRelay(linked('p1', false), 'relay')).toBe(false);
    expect(isOnRelay(linked('p1', true), 'mesh')).toBe(true);
  });

  it('for a stock client, goes by the way its awareness arrived', () => {
    expect(isOnRelay({}, 'relay')).toBe(true);
    expect(isOnRelay({}, 'mesh')).toBe(false);
    expect(isOnRelay({}, undefined)).toBe(false);
  });
});

describe('peerRoute', () => {
  it('is direct with an open data channel to the announced peer id, whatever else holds', () => {
    expect(peerRoute(linked('p-direct', true), 'relay', local())).toBe('direct');
    expect(peerRoute(linked('p-direct', false), 'mesh', local({ relayConnected: false }))).toBe('direct');
  });

  it('is same-browser for another tab of this browser', () => {
    expect(peerRoute(linked('p-tab', true), 'mesh', local())).toBe('same-browser');
  });

  it('is relay when both ends are on the relay and no data channel joins them', () => {
    expect(peerRoute(linked('p-other', true), 'relay', local())).toBe('relay');
    expect(peerRoute({}, 'relay', local())).toBe('relay');
  });

  it('is mesh when either end is off the relay: the state came through other peers', () => {
    expect(peerRoute(linked('p-other', false), 'mesh', local())).toBe('mesh');
    expect(peerRoute(linked('p-other', true), 'mesh', local({ relayConnected: false }))).toBe('mesh');
    expect(peerRoute({}, 'mesh', local())).toBe('mesh');
  });

  it('is relay for everyone when this session is not in the mesh', () => {
    const relayOnly = local({ meshOn: false, directPeerIds: new Set(), tabPeerIds: new Set() });
    expect(peerRoute(linked('p-other', false), 'mesh', relayOnly)).toBe('relay');
    expect(peerRoute({}, undefined, relayOnly)).toBe('relay');
  });

  it('does not match a session that has no peer id yet', () => {
    expect(peerRoute(linked('', true), 'relay', local({ directPeerIds: new Set(['']) }))).toBe('relay');
  });
});
