import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SIGNALING_DEPTH, MAX_SIGNALING_TOPIC_LENGTH } from './limits.js';
import { decodeSignalingMessage } from './signaling-message.js';

describe('decodeSignalingMessage', () => {
  it('reads the messages y-webrtc sends', () => {
    expect(decodeSignalingMessage('{"type":"subscribe","topics":["a","b"]}')).toEqual({
      ok: true,
      value: { type: 'subscribe', topics: ['a', 'b'] },
    });
    expect(decodeSignalingMessage('{"type":"unsubscribe","topics":["a"]}')).toEqual({
      ok: true,
      value: { type: 'unsubscribe', topics: ['a'] },
    });
    const publish = { type: 'publish', topic: 'room', data: { type: 'announce', from: 'peer-1' } };
    expect(decodeSignalingMessage(JSON.stringify(publish))).toEqual({
      ok: true,
      value: { type: 'publish', topic: 'room', message: publish },
    });
    expect(decodeSignalingMessage('{"type":"ping"}')).toEqual({ ok: true, value: { type: 'ping' } });
    expect(decodeSignalingMessage('{"type":"future-thing"}')).toEqual({
      ok: true,
      value: { type: 'unknown', name: 'future-thing' },
    });
  });

  it('rejects non-JSON and wrongly typed messages', () => {
    for (const text of [
      'not json',
      '[]',
      'null',
      '42',
      '{}',
      '{"type":7}',
      '{"type":"subscribe","topics":"room"}',
      '{"type":"subscribe","topics":[1]}',
      '{"type":"subscribe","topics":[""]}',
      `{"type":"subscribe","topics":["${'x'.repeat(MAX_SIGNALING_TOPIC_LENGTH + 1)}"]}`,
      '{"type":"publish"}',
      '{"type":"publish","topic":{"a":1}}',
    ]) {
      const result = decodeSignalingMessage(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('MalformedMessage');
    }
  });

  // Fuzz seed 6221074100002 (apps/relay/src/fuzz.test.ts): a publish whose data nested 17,000 arrays deep parsed,
  // and the relay's JSON.stringify of it for the subscribers overflowed the stack and killed the process.
  it('rejects a message nested deeper than the relay can encode again (fuzz seed 6221074100002)', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const publish = (depth: number) => `{"type":"publish","topic":"room","data":{"nested":${nested(depth)}}}`;
    // The message object and "data" are two levels.
    expect(decodeSignalingMessage(publish(MAX_SIGNALING_DEPTH - 2)).ok).toBe(true);
    for (const depth of [MAX_SIGNALING_DEPTH - 1, 17_000]) {
      const result = decodeSignalingMessage(publish(depth));
      expect(result).toEqual({
        ok: false,
        error: { code: 'MalformedMessage', message: `the message nests more than ${MAX_SIGNALING_DEPTH} levels deep` },
      });
    }
    expect(decodeSignalingMessage(`{"type":"subscribe","topics":[],"x":${nested(17_000)}}`).ok).toBe(false);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          decodeSignalingMessage(text);
        },
      ),
      { seed: 11, numRuns: 2_000 },
    );
  });
});
