import { AccessDenial, CloseCode } from '@meshpad/protocol';
import { describe, expect, it } from 'vitest';
import { accessDenialOf, relayClose } from './relay-close.js';

describe('accessDenialOf', () => {
  it('names the refusal of a token', () => {
    expect(accessDenialOf(relayClose(CloseCode.Forbidden.code, 'link revoked'))).toBe(AccessDenial.Revoked);
    expect(accessDenialOf(relayClose(CloseCode.Unauthorized.code, 'token required'))).toBe(AccessDenial.TokenRequired);
  });

  it('is undefined for other closes, and for other reasons under the same codes', () => {
    expect(accessDenialOf(undefined)).toBeUndefined();
    expect(accessDenialOf(relayClose(CloseCode.GoingAway.code, 'link revoked'))).toBeUndefined();
    expect(accessDenialOf(relayClose(CloseCode.Forbidden.code, 'Forbidden'))).toBeUndefined();
  });
});
