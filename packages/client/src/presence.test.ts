import { describe, expect, it } from 'vitest';
import { ANONYMOUS_NAME, derivePresence, VIEWER_ROLE } from './presence.js';
import { colourForUser } from './user-colour.js';

const SELF = 7;

describe('derivePresence', () => {
  it('lists the local session first, then others by name', () => {
    const states = new Map<number, unknown>([
      [3, { user: { name: 'Zoe', color: '#1670c9' } }],
      [SELF, { user: { name: 'Me', color: '#dc1818' } }],
      [5, { user: { name: 'Ada', color: '#0e8047' } }],
    ]);
    expect(derivePresence(states, SELF).map((p) => [p.name, p.isSelf])).toEqual([
      ['Me', true],
      ['Ada', false],
      ['Zoe', false],
    ]);
  });

  it('orders people with the same name by client id', () => {
    const states = new Map<number, unknown>([
      [9, { user: { name: 'Sam' } }],
      [2, { user: { name: 'Sam' } }],
    ]);
    expect(derivePresence(states, SELF).map((p) => p.clientId)).toEqual([2, 9]);
  });

  it('reports whether each editor has a cursor', () => {
    const states = new Map<number, unknown>([
      [1, { user: { name: 'A' }, cursor: { anchor: {}, head: {} } }],
      [2, { user: { name: 'B' }, cursor: null }],
      [3, { user: { name: 'C' } }],
    ]);
    expect(derivePresence(states, SELF).map((p) => p.hasCursor)).toEqual([true, false, false]);
  });

  it('keeps the announced name and colour', () => {
    const [peer] = derivePresence(new Map([[1, { user: { name: 'Ada', color: '#9540ea' } }]]), SELF);
    expect(peer).toEqual({
      clientId: 1,
      name: 'Ada',
      colour: '#9540ea',
      isSelf: false,
      hasCursor: false,
      viewer: false,
    });
  });

  it('marks as viewers only the sessions that announce the viewer role', () => {
    const states = new Map<number, unknown>([
      [1, { user: { name: 'A', role: VIEWER_ROLE } }],
      [2, { user: { name: 'B', role: 'Viewer' } }],
      [3, { user: { name: 'C', role: ['viewer'] } }],
      [4, { user: { name: 'D' } }],
    ]);
    expect(derivePresence(states, SELF).map((p) => p.viewer)).toEqual([true, false, false, false]);
  });

  it('shows peers without a user field (stock clients) as anonymous with a colour from their client id', () => {
    const [peer] = derivePresence(new Map([[42, {}]]), SELF);
    expect(peer?.name).toBe(ANONYMOUS_NAME);
    expect(peer?.colour).toBe(colourForUser('42'));
  });

  it.each([
    ['a non-object state', 'hello'],
    ['a null state', null],
    ['a non-object user', { user: 'Ada' }],
    ['a numeric name', { user: { name: 12, color: 5 } }],
    ['an empty name', { user: { name: '   ', color: '#12' } }],
    ['a CSS injection in the colour', { user: { name: '', color: 'red;background:url(x)' } }],
  ])('tolerates %s from an untrusted peer', (_label, state) => {
    const [peer] = derivePresence(new Map([[1, state]]), SELF);
    expect(peer?.name).toBe(ANONYMOUS_NAME);
    expect(peer?.colour).toBe(colourForUser('1'));
  });

  it('normalises names sent by peers', () => {
    const [peer] = derivePresence(new Map([[1, { user: { name: `  Eve\u202e ${'x'.repeat(100)}` } }]]), SELF);
    expect(peer?.name.startsWith('Eve x')).toBe(true);
    expect(peer?.name.length).toBeLessThanOrEqual(40);
  });

  it('returns an empty list for no states', () => {
    expect(derivePresence(new Map(), SELF)).toEqual([]);
  });
});
