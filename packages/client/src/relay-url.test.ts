import { describe, expect, it } from 'vitest';
import { relaySocketUrl, signalingSocketUrl } from './relay-url.js';

describe('relaySocketUrl', () => {
  it.each([
    ['http://127.0.0.1:4321', 'ws://127.0.0.1:4321/yjs'],
    ['http://127.0.0.1:4321/', 'ws://127.0.0.1:4321/yjs'],
    ['https://pad.example.com', 'wss://pad.example.com/yjs'],
    ['https://example.com/meshpad/', 'wss://example.com/meshpad/yjs'],
    ['ws://localhost:1234', 'ws://localhost:1234/yjs'],
    ['wss://example.com/a/b', 'wss://example.com/a/b/yjs'],
    ['http://127.0.0.1:4321/?x=1#frag', 'ws://127.0.0.1:4321/yjs'],
  ])('%s → %s', (input, expected) => {
    expect(relaySocketUrl(input)).toBe(expected);
  });

  it('rejects relative URLs', () => {
    expect(() => relaySocketUrl('/yjs')).toThrow(TypeError);
  });

  it('rejects other protocols, naming the protocol', () => {
    expect(() => relaySocketUrl('ftp://example.com')).toThrow(/ftp:/);
  });
});

describe('signalingSocketUrl', () => {
  it.each([
    ['http://127.0.0.1:4321', 'ws://127.0.0.1:4321/signal'],
    ['https://example.com/meshpad/', 'wss://example.com/meshpad/signal'],
    ['wss://example.com/a', 'wss://example.com/a/signal'],
  ])('%s → %s', (input, expected) => {
    expect(signalingSocketUrl(input)).toBe(expected);
  });

  it('rejects what relaySocketUrl rejects', () => {
    expect(() => signalingSocketUrl('file:///tmp')).toThrow(TypeError);
  });
});
