import type { CapabilityScope } from '@meshpad/storage';

export type { CapabilityScope };

/** What a verified token grants (PROTOCOL.md, "Access control"). */
export interface Grant {
  /** The room (document or workspace id) the token is for: its `sub` claim. */
  readonly room: string;
  readonly scope: CapabilityScope;
  /** The capability generation it was minted for; undefined for a host's token, which cannot be revoked. */
  readonly gen: number | undefined;
  /** When it expires, in milliseconds since the epoch (`exp` × 1000); undefined when it never does. */
  readonly expiresAt: number | undefined;
}

/** Why a token was refused; `message` names the cause without quoting the token. */
export interface TokenRefusal {
  readonly kind: 'malformed' | 'invalid-signature' | 'expired' | 'invalid-claims';
  readonly message: string;
}
