import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as auth from 'y-protocols/auth';
import * as Y from 'yjs';
import {
  decodeCapabilitiesRotated,
  encodeCapabilitiesRotated,
  encodePermissionDenied,
  SUBPROTOCOL,
  tokenFromSubprotocols,
  tokenSubprotocols,
} from './access-token.js';
import { MessageType } from './message-type.js';

describe('token subprotocols', () => {
  it('carries the token after the meshpad subprotocol and reads it back', () => {
    const offered = tokenSubprotocols('a.b.c');
    expect(offered[0]).toBe(SUBPROTOCOL);
    expect(tokenFromSubprotocols(new Set(offered))).toBe('a.b.c');
  });

  it('finds no token among other subprotocols', () => {
    expect(tokenFromSubprotocols(['meshpad', 'chat'])).toBeUndefined();
  });
});

describe('encodePermissionDenied', () => {
  it('is read by y-protocols as a permission denial with its reason', () => {
    const decoder = decoding.createDecoder(encodePermissionDenied('view-only link: edits are not stored'));
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Auth);
    const reasons: string[] = [];
    auth.readAuthMessage(decoder, new Y.Doc(), (_doc, reason) => reasons.push(reason));
    expect(reasons).toEqual(['view-only link: edits are not stored']);
  });
});

describe('capabilities rotated', () => {
  it('round-trips the generations and rejects other frames', () => {
    const generations = { view: 3, edit: 200, owner: 0 };
    expect(decodeCapabilitiesRotated(encodeCapabilitiesRotated(generations))).toEqual(generations);
    expect(decodeCapabilitiesRotated(Uint8Array.of(102, 1))).toBeUndefined();
    expect(decodeCapabilitiesRotated(Uint8Array.of(101, 1, 2, 3))).toBeUndefined();
    expect(decodeCapabilitiesRotated(Uint8Array.of(102, 1, 2, 3, 4))).toBeUndefined();
  });
});
