import {
  type AwarenessEntry,
  DEFAULT_AWARENESS_LIMITS,
  decodeAwarenessUpdate,
  encodeAwarenessMessage,
  encodeAwarenessUpdate,
  MessageType,
} from '@meshpad/protocol';
import * as decoding from 'lib0/decoding';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RawClient,
  rawSocket,
  type StockClient,
  startRelay,
  stockClient,
  synced,
  type TestRelay,
  waitFor,
} from '../test/harness.js';

let relay: TestRelay;
const clients: StockClient[] = [];
const sockets: RawClient[] = [];

async function start(env: Record<string, string> = {}): Promise<void> {
  relay = await startRelay({ env });
}

async function person(room: string, name: string): Promise<StockClient> {
  const c = stockClient(relay.syncUrl, room);
  clients.push(c);
  await synced(c);
  c.provider.awareness.setLocalStateField('user', { name });
  return c;
}

/** A raw connection that has joined the room (it got the relay's sync step 1). */
async function raw(room: string): Promise<RawClient> {
  const client = await rawSocket(`${relay.syncUrl}/${room}`);
  sockets.push(client);
  await waitFor(() => client.frames.length >= 1, 'raw socket joined');
  return client;
}

const send = (client: RawClient, entries: AwarenessEntry[]) =>
  client.socket.send(encodeAwarenessMessage(encodeAwarenessUpdate(entries)));

const userState = (name: string) => JSON.stringify({ user: { name } });

/** A Meshpad session's own state, the first it sends. */
const own = (clientID: number): AwarenessEntry => ({ clientID, clock: 1, state: userState(`session ${clientID}`) });

/** Every awareness entry a raw connection received, in order. */
function received(client: RawClient): AwarenessEntry[] {
  return client.frames.flatMap((frame) => {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) return [];
    const entries = decodeAwarenessUpdate(decoding.readVarUint8Array(decoder));
    return entries.ok ? entries.value : [];
  });
}

const nameOf = (c: StockClient, clientID: number): unknown =>
  c.provider.awareness.getStates().get(clientID)?.user?.name;

const clockOf = (c: StockClient): number => c.provider.awareness.meta.get(c.doc.clientID)!.clock;

/**
 * Sends a state for the attacker's own id after an attack and waits until `observer` has it: the relay handles a
 * connection's frames in order, so by then everything the attack got through has arrived too.
 */
async function afterMarker(attacker: RawClient, observer: StockClient, clientID: number, clock: number) {
  send(attacker, [{ clientID, clock, state: userState('marker') }]);
  await waitFor(() => nameOf(observer, clientID) === 'marker', 'observer got the marker');
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.socket.close();
  await relay.close();
});

describe('awareness ownership', () => {
  it('ignores an attacker setting or removing the state of a present person', async () => {
    await start();
    const victim = await person('hijack', 'Victim');
    const bystander = await person('hijack', 'Bystander');
    const id = victim.doc.clientID;
    await waitFor(() => nameOf(bystander, id) === 'Victim', 'bystander sees the victim');
    const attacker = await raw('hijack');

    send(attacker, [{ clientID: id, clock: clockOf(victim) + 100, state: userState('Mallory') }]);
    await afterMarker(attacker, bystander, 1, 1);
    expect(nameOf(bystander, id)).toBe('Victim');
    expect(nameOf(victim, id)).toBe('Victim');

    send(attacker, [{ clientID: id, clock: clockOf(victim) + 200, state: 'null' }]);
    await afterMarker(attacker, bystander, 1, 2);
    expect(nameOf(bystander, id)).toBe('Victim');
    expect(victim.provider.awareness.getLocalState()?.user?.name).toBe('Victim');
    expect(received(attacker).some((e) => e.clientID === id && e.state.includes('Mallory'))).toBe(false);

    // The victim still renames itself, and nobody was closed for what the attacker sent.
    victim.provider.awareness.setLocalStateField('user', { name: 'Victim, renamed' });
    await waitFor(() => nameOf(bystander, id) === 'Victim, renamed', 'bystander sees the rename');
    expect(attacker.socket.readyState).toBe(attacker.socket.OPEN);
  });

  it('passes on at most clientsPerConnection of a 20,001-person frame', async () => {
    await start();
    const bystander = await person('flood', 'Bystander');
    const watcher = await raw('flood');
    const attacker = await raw('flood');
    const flood = Array.from({ length: 20_001 }, (_, i) => ({ clientID: 1000 + i, clock: 1, state: '{}' }));
    send(attacker, flood);
    await afterMarker(attacker, bystander, 1000, 2);

    const limit = DEFAULT_AWARENESS_LIMITS.clientsPerConnection;
    const attackerIds = new Set(received(watcher).map((e) => e.clientID));
    attackerIds.delete(bystander.doc.clientID);
    expect(attackerIds.size).toBe(limit);
    expect(bystander.provider.awareness.getStates().size).toBe(1 + limit);
    expect(relay.app.rooms.get('flood')?.awareness.size).toBe(1 + limit);
  });

  it('passes a client id on when its owner closes', async () => {
    await start();
    // Two Meshpad sessions forwarding the same off-relay mesh peer (client id 77).
    const first = await raw('close');
    const second = await raw('close');
    const watcher = await raw('close');
    const peer = (clock: number) => ({ clientID: 77, clock, state: userState(`peer ${clock}`) });
    send(first, [own(1), peer(1)]);
    send(second, [own(2)]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 77), 'watcher got the first forward');
    send(second, [peer(2), { clientID: 78, clock: 1, state: '{}' }]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 78), 'watcher got the second forwarder’s marker');
    send(first, [peer(3)]);
    await waitFor(() => received(watcher).some((e) => e.state.includes('peer 3')), 'watcher got the next forward');
    expect(received(watcher).filter((e) => e.clientID === 77)).toEqual([peer(1), peer(3)]);

    first.socket.close();
    await waitFor(() => received(watcher).some((e) => e.clientID === 77 && e.state === 'null'), 'removal sent');
    send(second, [peer(5)]);
    await waitFor(() => received(watcher).some((e) => e.state.includes('peer 5')), 'second forwarder took over');
    expect(second.socket.readyState).toBe(second.socket.OPEN);
  });

  it('gives a mesh peer back its own id when it reaches the relay again, as after a relay restart', async () => {
    await start();
    // A session back on the relay first forwards a mesh peer (client id 77) still reconnecting.
    const forwarder = await raw('restart');
    const watcher = await raw('restart');
    send(forwarder, [own(1)]);
    send(forwarder, [{ clientID: 77, clock: 4, state: userState('peer, forwarded') }]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 77), 'watcher got the forwarded state');

    const peer = await raw('restart');
    send(peer, [{ clientID: 77, clock: 5, state: userState('peer, itself') }]);
    await waitFor(() => received(watcher).some((e) => e.state.includes('peer, itself')), 'the peer took its id back');
    send(forwarder, [
      { clientID: 77, clock: 6, state: userState('peer, forwarded late') },
      { clientID: 1, clock: 2, state: '{}' },
    ]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 1 && e.clock === 2), 'watcher got the marker');
    expect(received(watcher).some((e) => e.state.includes('forwarded late'))).toBe(false);
  });

  it('passes a client id on when its owner said nothing about it for the owner timeout', async () => {
    const timeoutMs = 300;
    await start({ MESHPAD_AWARENESS_OWNER_TIMEOUT_MS: String(timeoutMs) });
    const owner = await raw('timeout');
    const other = await raw('timeout');
    const watcher = await raw('timeout');
    const peer = (clock: number) => ({ clientID: 77, clock, state: userState(`peer ${clock}`) });
    send(owner, [own(1), peer(1)]);
    send(other, [own(2)]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 77), 'watcher got the owner’s state');
    const since = performance.now();
    send(other, [peer(2), { clientID: 78, clock: 1, state: '{}' }]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 78), 'watcher got the marker');
    expect(received(watcher).some((e) => e.state.includes('peer 2'))).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, timeoutMs - (performance.now() - since) + 20));
    send(other, [peer(3)]);
    await waitFor(() => received(watcher).some((e) => e.state.includes('peer 3')), 'the other connection took over');
    send(owner, [peer(4), { clientID: 79, clock: 1, state: '{}' }]);
    await waitFor(() => received(watcher).some((e) => e.clientID === 79), 'watcher got the marker');
    expect(received(watcher).some((e) => e.state.includes('peer 4'))).toBe(false);
  });

  it('keeps stock clients connected and complete when they send back a room of 70 people', async () => {
    // 72 connections from one test address: more than the default per-address limit.
    await start({ MESHPAD_MAX_CONNECTIONS_PER_ADDRESS: '100' });
    const people = await Promise.all(Array.from({ length: 70 }, () => raw('crowd')));
    for (const [i, p] of people.entries()) send(p, [{ clientID: 5000 + i, clock: 1, state: userState(`person ${i}`) }]);
    const room = () => relay.app.rooms.get('crowd');
    await waitFor(() => room()?.awareness.size === 70, 'relay has everyone');

    // A newcomer gets all 70 in one frame and, like every stock client, sends all 70 back in one.
    const newcomer = await person('crowd', 'Newcomer');
    const other = await person('crowd', 'Other');
    await waitFor(() => newcomer.provider.awareness.getStates().size === 72, 'newcomer sees everyone');
    await waitFor(() => nameOf(other, newcomer.doc.clientID) === 'Newcomer', 'other sees the newcomer');
    expect(other.provider.awareness.getStates().size).toBe(72);
    expect(newcomer.provider.wsconnected && other.provider.wsconnected).toBe(true);
    expect(room()?.awareness.size).toBe(72);
  });
});
