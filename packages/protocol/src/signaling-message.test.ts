import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SIGNALING_TOPIC_LENGTH } from './limits.js';
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
