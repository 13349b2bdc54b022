import { CloseCode, MAX_SIGNALING_TOPICS, SIGNALING_RATE } from '@meshpad/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { closed, rawSocket, startRelay, type TestRelay, waitFor } from '../../test/harness.js';
import { Connection } from '../connection.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startRelay();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await relay.close();
});

interface SignalClient {
  readonly socket: WebSocket;
  readonly received: Array<Record<string, unknown>>;
  send(message: unknown): void;
}

async function signalClient(): Promise<SignalClient> {
  const { socket, frames } = await rawSocket(`ws://127.0.0.1:${relay.port}/signal`);
  return {
    socket,
    get received() {
      return frames.map((frame) => JSON.parse(new TextDecoder().decode(frame)) as Record<string, unknown>);
    },
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
  };
}

const subscribed = (topic: string, count: number) =>
  waitFor(() => relay.app.signalingTopics.get(topic)?.size === count, `${count} subscribers of ${topic}`);

describe('signaling (y-webrtc compatible)', () => {
  it('forwards a publish to every subscriber of the topic with the subscriber count', async () => {
    const [a, b, outsider] = await Promise.all([signalClient(), signalClient(), signalClient()]);
    a.send({ type: 'subscribe', topics: ['room-1'] });
    b.send({ type: 'subscribe', topics: ['room-1', 'room-2'] });
    outsider.send({ type: 'subscribe', topics: ['elsewhere'] });
    await subscribed('room-1', 2);
    a.send({ type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' } });
    const expected = { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' }, clients: 2 };
    await waitFor(() => a.received.length === 1 && b.received.length === 1, 'both subscribers got it');
    expect(a.received[0]).toEqual(expected);
    expect(b.received[0]).toEqual(expected);
    expect(outsider.received).toEqual([]);
    for (const c of [a, b, outsider]) c.socket.close();
  });

  it('ignores a publish to a topic the publisher has not subscribed to, and keeps the connection', async () => {
    const [member, outsider] = await Promise.all([signalClient(), signalClient()]);
    member.send({ type: 'subscribe', topics: ['room'] });
    outsider.send({ type: 'subscribe', topics: ['elsewhere'] });
    await subscribed('room', 1);
    outsider.send({ type: 'publish', topic: 'room', data: { type: 'signal', from: 'mallory', to: 'peer-a' } });
    // The relay handles one connection's frames in order and forwards a publish at once: once the outsider has its
    // pong, anything forwarded to the member is queued before the member's own pong.
    outsider.send({ type: 'ping' });
    await waitFor(() => outsider.received.length === 1, 'the outsider’s pong');
    member.send({ type: 'ping' });
    await waitFor(() => member.received.length === 1, 'the member’s pong');
    expect(member.received).toEqual([{ type: 'pong' }]);
    expect(outsider.received).toEqual([{ type: 'pong' }]);
    outsider.send({ type: 'subscribe', topics: ['room'] });
    outsider.send({ type: 'publish', topic: 'room', data: 'now a subscriber' });
    await waitFor(() => member.received.some((m) => m.data === 'now a subscriber'), 'the publish once subscribed');
    member.socket.close();
    outsider.socket.close();
  });

  it('answers ping with pong, and stops forwarding after unsubscribe or close', async () => {
    const [a, b] = await Promise.all([signalClient(), signalClient()]);
    a.send({ type: 'ping' });
    await waitFor(() => a.received.length === 1, 'pong');
    expect(a.received[0]).toEqual({ type: 'pong' });
    a.send({ type: 'subscribe', topics: ['t'] });
    b.send({ type: 'subscribe', topics: ['t'] });
    await subscribed('t', 2);
    b.send({ type: 'unsubscribe', topics: ['t'] });
    await subscribed('t', 1);
    a.socket.close();
    await waitFor(() => !relay.app.signalingTopics.has('t'), 'topic removed once empty');
    b.socket.close();
  });

  const badMessages: Array<[string, () => unknown, number]> = [
    ['non-JSON', () => 'definitely not json', CloseCode.MalformedMessage.code],
    ['a JSON array', () => '[1,2]', CloseCode.MalformedMessage.code],
    ['topics of the wrong type', () => ({ type: 'subscribe', topics: 'room' }), CloseCode.MalformedMessage.code],
    ['a publish without topic', () => ({ type: 'publish', data: {} }), CloseCode.MalformedMessage.code],
    // Fuzz seed 6221074100002: encoding it for the subscribers overflowed the stack and killed the relay.
    [
      'a publish nested 17,000 deep (fuzz seed 6221074100002)',
      () => `{"type":"publish","topic":"room","data":${'['.repeat(17_000)}${']'.repeat(17_000)}}`,
      CloseCode.MalformedMessage.code,
    ],
    [
      'an oversized message',
      () => ({ type: 'publish', topic: 'x', data: 'y'.repeat(70_000) }),
      CloseCode.MessageTooBig.code,
    ],
    [
      'too many topics',
      () => ({ type: 'subscribe', topics: Array.from({ length: MAX_SIGNALING_TOPICS + 1 }, (_, i) => `t${i}`) }),
      CloseCode.TooManyTopics.code,
    ],
  ];
  for (const [what, message, code] of badMessages) {
    it(`closes only the sender of ${what} (${code}); the rest keeps working`, async () => {
      const [good1, good2, bad] = await Promise.all([signalClient(), signalClient(), signalClient()]);
      good1.send({ type: 'subscribe', topics: ['room'] });
      good2.send({ type: 'subscribe', topics: ['room'] });
      bad.send({ type: 'subscribe', topics: ['room'] });
      await subscribed('room', 3);
      const closing = closed(bad.socket);
      bad.send(message());
      expect((await closing).code).toBe(code);
      await subscribed('room', 2);
      good1.send({ type: 'publish', topic: 'room', data: 'hello' });
      await waitFor(() => good2.received.some((m) => m.data === 'hello' && m.clients === 2), 'good2 got the publish');
      expect(relay.logs().filter((line) => line.closeCode === code)).toHaveLength(1);
      good1.socket.close();
      good2.socket.close();
    });
  }

  // Found with the fuzzer (fuzz.test.ts, seed 6221074100002): a throw while handling one signaling message killed
  // the relay process. The decoder now refuses that message; this keeps the next such fault to one connection.
  it('closes only the sender of a message whose handling throws (1011); the relay keeps serving', async () => {
    const [sender, other] = await Promise.all([signalClient(), signalClient()]);
    sender.send({ type: 'subscribe', topics: ['room'] });
    other.send({ type: 'subscribe', topics: ['room'] });
    await subscribed('room', 2);
    vi.spyOn(Connection.prototype, 'sendText').mockImplementationOnce(() => {
      throw new Error('injected forwarding fault');
    });
    const closing = closed(sender.socket);
    sender.send({ type: 'publish', topic: 'room', data: 'boom' });
    expect((await closing).code).toBe(CloseCode.InternalError.code);
    expect(relay.logs().some((line) => line.msg === 'unexpected fault handling a signaling message')).toBe(true);
    other.send({ type: 'ping' });
    await waitFor(() => other.received.some((m) => m.type === 'pong'), 'the other peer is still served');
    other.socket.close();
  });

  it('closes a connection that floods messages with 4529', async () => {
    const flooder = await signalClient();
    const closing = closed(flooder.socket);
    for (let i = 0; i < SIGNALING_RATE.burst + 50; i++) flooder.send({ type: 'ping' });
    expect((await closing).code).toBe(CloseCode.RateLimited.code);
  });

  it('ignores unknown message types, as y-webrtc’s server does', async () => {
    const client = await signalClient();
    client.send({ type: 'from-the-future', x: 1 });
    client.send({ type: 'ping' });
    await waitFor(() => client.received.length === 1, 'pong after the unknown message');
    expect(client.received[0]).toEqual({ type: 'pong' });
    client.socket.close();
  });
});
