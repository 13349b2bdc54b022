import { describe, expect, it } from 'vitest';
import { type AwarenessLimits, AwarenessRegistry } from './awareness-registry.js';

const state = (clientID: number, clock: number, name = 'Ada') => ({ clientID, clock, state: JSON.stringify({ name }) });
const removal = (clientID: number, clock: number) => ({ clientID, clock, state: 'null' });

const limits: AwarenessLimits = { clientsPerConnection: 3, stateBytes: 64, entriesPerMessage: 5, ownerTimeoutMs: 1000 };

/** A registry on a clock the test moves. */
function registryAt(start = 0) {
  const clock = { now: start };
  return { registry: new AwarenessRegistry(limits, () => clock.now), clock };
}

describe('AwarenessRegistry', () => {
  it('takes newer states and returns only what changed', () => {
    const registry = new AwarenessRegistry();
    const a = {};
    expect(registry.apply([state(1, 1), state(2, 1)], a)).toEqual([state(1, 1), state(2, 1)]);
    expect(registry.apply([state(1, 1), state(2, 2, 'Bob')], a)).toEqual([state(2, 2, 'Bob')]);
    expect(registry.apply([state(1, 0, 'old')], a)).toEqual([]);
    expect(registry.entries()).toEqual([state(1, 1), state(2, 2, 'Bob')]);
  });

  it('lets a removal at the same clock win, and ignores stale copies of a removed state', () => {
    const registry = new AwarenessRegistry();
    const a = {};
    registry.apply([state(1, 3)], a);
    expect(registry.apply([removal(1, 3)], a)).toEqual([removal(1, 3)]);
    expect(registry.size).toBe(0);
    expect(registry.apply([state(1, 3)], a)).toEqual([]);
    expect(registry.apply([removal(1, 3)], a)).toEqual([]);
    expect(registry.apply([state(1, 4)], {})).toEqual([state(1, 4)]);
  });

  it('does not pass on removals of clients it never saw', () => {
    expect(new AwarenessRegistry().apply([removal(9, 5)], {})).toEqual([]);
  });

  it('removes what a closed connection set, with clocks that beat its last states', () => {
    const registry = new AwarenessRegistry();
    const a = {};
    const b = {};
    registry.apply([state(1, 2)], a);
    registry.apply([state(2, 7)], b);
    expect(registry.removeOwner(a)).toEqual([removal(1, 3)]);
    expect(registry.entries()).toEqual([state(2, 7)]);
    expect(registry.apply([state(1, 2)], b)).toEqual([]);
    expect(registry.removeOwner(a)).toEqual([]);
  });

  describe('ownership', () => {
    it('drops states and removals of a client id that another live connection owns', () => {
      const { registry } = registryAt();
      const [owner, other] = [{}, {}];
      registry.apply([state(1, 1)], owner);
      expect(registry.apply([state(1, 9, 'Mallory'), removal(1, 9), state(2, 1)], other)).toEqual([state(2, 1)]);
      expect(registry.apply([state(1, 2, 'Ada again')], owner)).toEqual([state(1, 2, 'Ada again')]);
      expect(registry.entries()).toEqual([state(1, 2, 'Ada again'), state(2, 1)]);
    });

    it('passes to the next connection once the owner closes', () => {
      const { registry } = registryAt();
      const [owner, next] = [{}, {}];
      registry.apply([state(1, 1)], owner);
      registry.removeOwner(owner);
      expect(registry.apply([state(1, 3, 'Bob')], next)).toEqual([state(1, 3, 'Bob')]);
      expect(registry.apply([state(1, 4)], owner)).toEqual([]);
    });

    it('is free again after the owner removed the state', () => {
      const { registry } = registryAt();
      const [owner, next] = [{}, {}];
      registry.apply([state(1, 1)], owner);
      registry.apply([removal(1, 2)], owner);
      expect(registry.apply([state(1, 3)], next)).toEqual([state(1, 3)]);
    });

    it('passes after the owner said nothing about the id for the timeout; anything it says keeps it', () => {
      const { registry, clock } = registryAt();
      const [owner, other] = [{}, {}];
      registry.apply([state(1, 1), state(2, 1)], owner);
      clock.now = 900;
      registry.apply([state(1, 1)], owner); // a copy still counts as speaking about client 1
      clock.now = 1000;
      expect(registry.apply([state(1, 5, 'Mallory')], other)).toEqual([]);
      expect(registry.apply([state(2, 5, 'Bob')], other)).toEqual([state(2, 5, 'Bob')]);
      expect(registry.apply([state(2, 6)], owner)).toEqual([]);
    });

    it('lets anyone remove a state its owner has been silent about, without taking the id', () => {
      const { registry, clock } = registryAt();
      const [owner, echo, next] = [{}, {}, {}];
      registry.apply([state(1, 1)], owner);
      clock.now = 1000;
      // What a stock client sends back after its own awareness timed the state out.
      expect(registry.apply([removal(1, 2)], echo)).toEqual([removal(1, 2)]);
      expect(registry.apply([state(1, 3)], next)).toEqual([state(1, 3)]);
    });

    it('lets a connection take its own id (its first state) from a connection that only forwards it', () => {
      const { registry } = registryAt();
      const [forwarder, peer, other, attacker] = [{}, {}, {}, {}];
      registry.apply([state(1, 1), state(7, 3, 'Peer')], forwarder);
      registry.apply([state(2, 1)], other);
      // Another connection's own id is 2: it cannot take 7, forwarded or not.
      expect(registry.apply([state(7, 9, 'Mallory')], other)).toEqual([]);
      // A connection whose first state names the forwarder's own id cannot take that one.
      expect(registry.apply([state(1, 9, 'Mallory')], attacker)).toEqual([]);
      // The mesh peer connects to the relay itself and announces its own state first.
      expect(registry.apply([state(7, 4, 'Peer')], peer)).toEqual([state(7, 4, 'Peer')]);
      expect(registry.apply([state(7, 5, 'Peer, forwarded')], forwarder)).toEqual([]);
      expect(registry.removeOwner(peer)).toEqual([removal(7, 5)]);
    });

    it('leaves states its owner has been silent about out of what newcomers get', () => {
      const { registry, clock } = registryAt();
      const [a, b] = [{}, {}];
      registry.apply([state(1, 1)], a);
      clock.now = 500;
      registry.apply([state(2, 1)], b);
      clock.now = 1200;
      expect(registry.entries()).toEqual([state(2, 1)]);
    });
  });

  describe('limits', () => {
    it('lets one connection own at most clientsPerConnection ids, and ignores the rest', () => {
      const { registry } = registryAt();
      const [a, b] = [{}, {}];
      expect(registry.apply([state(1, 1), state(2, 1), state(3, 1), state(4, 1)], a)).toEqual([
        state(1, 1),
        state(2, 1),
        state(3, 1),
      ]);
      // Renewing what it owns still works, and another connection has its own allowance.
      expect(registry.apply([state(3, 2), state(4, 1)], a)).toEqual([state(3, 2)]);
      expect(registry.apply([state(4, 1)], b)).toEqual([state(4, 1)]);
      // A removal frees one.
      registry.apply([removal(1, 2)], a);
      expect(registry.apply([state(5, 1)], a)).toEqual([state(5, 1)]);
    });

    it('frees the ids a connection has been silent about when it needs room', () => {
      const { registry, clock } = registryAt();
      const a = {};
      registry.apply([state(1, 1), state(2, 1), state(3, 1)], a);
      clock.now = 600;
      registry.apply([state(1, 2)], a);
      clock.now = 1100;
      expect(registry.apply([state(4, 1), state(5, 1), state(6, 1)], a)).toEqual([state(4, 1), state(5, 1)]);
      expect(registry.entries()).toEqual([state(1, 2), state(4, 1), state(5, 1)]);
      expect(registry.size).toBe(3);
    });

    it('ignores states longer than stateBytes, counted in UTF-8', () => {
      const { registry } = registryAt();
      const fits = { clientID: 1, clock: 1, state: JSON.stringify({ n: 'x'.repeat(56) }) };
      const tooLong = { clientID: 2, clock: 1, state: JSON.stringify({ n: 'é'.repeat(29) }) };
      expect(fits.state.length).toBe(64);
      expect(tooLong.state.length).toBeLessThan(64);
      expect(registry.apply([fits, tooLong], {})).toEqual([fits]);
    });

    it('looks at only the first entriesPerMessage entries of a message', () => {
      const { registry } = registryAt();
      const entries = Array.from({ length: 20 }, (_, i) => removal(i, 1));
      entries[5] = state(5, 1);
      expect(registry.apply(entries, {})).toEqual([]);
    });
  });
});
