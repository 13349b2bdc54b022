import { createHash } from 'node:crypto';
import { MAX_ROOM_NAME_LENGTH } from '@meshpad/protocol';
import {
  type CryptoKey,
  decodeProtectedHeader,
  errors,
  importJWK,
  importSPKI,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { CapabilityScope, Grant, TokenRefusal } from './grant.js';
import { MIN_SECRET_BYTES, type RelaySecrets } from './relay-secret.js';

/** Longest token read at all; real ones are a few hundred characters. */
export const MAX_TOKEN_LENGTH = 4096;
/** Seconds of clock skew tolerated on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** A host's public key, whose holder signs tokens with the private half. */
export interface PublicKeyOption {
  /** An SPKI PEM (`-----BEGIN PUBLIC KEY-----`) or the text of a public JWK. */
  readonly key: string;
  /** The only algorithm accepted with this key. */
  readonly alg: 'EdDSA' | 'ES256';
}

export interface TokenAuthorityOptions {
  readonly publicKey?: PublicKeyOption;
  /** Milliseconds since the epoch; tests move it to mint tokens that are already expired. */
  readonly now?: () => number;
}

export interface MintOptions {
  readonly room: string;
  readonly scope: CapabilityScope;
  /** The capability generation the token is for (relay-minted links). */
  readonly gen?: number;
  /** Lifetime in whole seconds; without it the token does not expire. */
  readonly expiresInSeconds?: number;
}

export type VerifyResult = { ok: true; value: Grant } | { ok: false; error: TokenRefusal };

/** A key a token may be verified with, and the one algorithm allowed with it. */
interface VerificationKey {
  readonly key: Uint8Array | CryptoKey;
  readonly alg: 'HS256' | 'EdDSA' | 'ES256';
}

const SCOPES: readonly string[] = ['view', 'edit', 'owner'] satisfies CapabilityScope[];

/**
 * Mints and verifies access tokens: HS256 JWTs over the relay's secret (with a `kid` naming which
 * secret), or, when a public key is configured, tokens a host signed with its private key.
 */
export class TokenAuthority {
  /** Maps `kid` to the secret it names; the current secret is first. */
  readonly #secrets = new Map<string, Uint8Array>();
  readonly #currentKid: string;
  readonly #publicKey: VerificationKey | undefined;
  readonly #now: () => number;

  private constructor(secrets: RelaySecrets, publicKey: VerificationKey | undefined, now: () => number) {
    for (const secret of [secrets.current, secrets.previous]) {
      if (secret && secret.length < MIN_SECRET_BYTES) {
        throw new RangeError(`A secret has ${secret.length} bytes; at least ${MIN_SECRET_BYTES} are needed`);
      }
    }
    this.#currentKid = keyId(secrets.current);
    this.#secrets.set(this.#currentKid, secrets.current);
    if (secrets.previous) this.#secrets.set(keyId(secrets.previous), secrets.previous);
    this.#publicKey = publicKey;
    this.#now = now;
  }

  /** Builds an authority, importing the public key (which is why this is async). */
  static async create(secrets: RelaySecrets, options: TokenAuthorityOptions = {}): Promise<TokenAuthority> {
    const publicKey = options.publicKey ? await importPublicKey(options.publicKey) : undefined;
    return new TokenAuthority(secrets, publicKey, options.now ?? Date.now);
  }

  /** Signs a token for `room` with the current secret. */
  async mint({ room, scope, gen, expiresInSeconds }: MintOptions): Promise<string> {
    if (!isRoom(room)) throw new RangeError(`A room name has 1 to ${MAX_ROOM_NAME_LENGTH} characters`);
    if (!isScope(scope)) throw new RangeError(`Unknown scope "${String(scope)}"; expected view, edit or owner`);
    if (gen !== undefined && !isGeneration(gen)) {
      throw new RangeError(`A generation is a non-negative integer, got ${gen}`);
    }
    if (expiresInSeconds !== undefined && !(Number.isSafeInteger(expiresInSeconds) && expiresInSeconds > 0)) {
      throw new RangeError(`expiresInSeconds is a positive integer, got ${expiresInSeconds}`);
    }
    const iat = Math.floor(this.#now() / 1000);
    const jwt = new SignJWT(gen === undefined ? { scope } : { scope, gen })
      .setProtectedHeader({ alg: 'HS256', kid: this.#currentKid })
      .setSubject(room)
      .setIssuedAt(iat);
    if (expiresInSeconds !== undefined) jwt.setExpirationTime(iat + expiresInSeconds);
    return jwt.sign(this.#secrets.get(this.#currentKid)!);
  }

  /** Checks a token from an untrusted client; never throws for a bad token, and never quotes it. */
  async verify(token: string): Promise<VerifyResult> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
      return refuse('malformed', `a token is a compact JWS of at most ${MAX_TOKEN_LENGTH} characters`);
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return refuse('malformed', 'the token header is not base64url-encoded JSON');
    }
    if (typeof header.alg !== 'string') return refuse('malformed', 'the token header names no algorithm');
    const key = this.#keyFor(header.kid, header.alg);
    if (typeof key === 'string') return refuse('invalid-signature', key);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.#now()),
      }));
    } catch (error) {
      return refuse(...refusalOf(error));
    }
    return grantOf(payload);
  }

  /** The key a token with this header may be verified with, or why there is none. */
  #keyFor(kid: unknown, alg: unknown): VerificationKey | string {
    if (kid !== undefined && typeof kid !== 'string') return 'the token key id is not a string';
    const secret = kid === undefined ? this.#secrets.get(this.#currentKid) : this.#secrets.get(kid);
    // A key id the relay does not know may be the host's own name for its public key.
    const candidates: VerificationKey[] = [];
    if (secret) candidates.push({ key: secret, alg: 'HS256' });
    if (this.#publicKey && (kid === undefined || !secret)) candidates.push(this.#publicKey);
    if (candidates.length === 0) return 'the token is signed with a key this relay does not know';
    // Each key has one algorithm, so the header's picks at most one: `none`, or HS256 keyed with the public key, never verifies.
    return candidates.find((candidate) => candidate.alg === alg) ?? 'the token algorithm is not accepted for its key';
  }
}

/** A fingerprint of a secret: the first 16 hex digits of its SHA-256, which reveal nothing of it. */
export function keyId(secret: Uint8Array): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

async function importPublicKey({ key, alg }: PublicKeyOption): Promise<VerificationKey> {
  if (alg !== 'EdDSA' && alg !== 'ES256') throw new RangeError(`A public key is used with EdDSA or ES256, not ${alg}`);
  const text = key.trim();
  try {
    if (!text.startsWith('{')) return { key: await importSPKI(text, alg), alg };
    const jwk = JSON.parse(text) as JWK;
    if (jwk.d !== undefined) throw new RangeError('The public key JWK holds a private key; give only its public part');
    const imported = await importJWK(jwk, alg);
    if (imported instanceof Uint8Array) throw new RangeError('The public key JWK is a symmetric key');
    return { key: imported, alg };
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new TypeError(`The public key is not an SPKI PEM or a public JWK usable with ${alg}`, { cause: error });
  }
}

function refusalOf(error: unknown): [TokenRefusal['kind'], string] {
  if (error instanceof errors.JWTExpired) return ['expired', 'the token has expired'];
  if (error instanceof errors.JWTClaimValidationFailed) {
    return ['invalid-claims', `the "${error.claim}" claim failed its check (${error.reason})`];
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return ['invalid-signature', 'the signature is wrong'];
  if (error instanceof errors.JOSEAlgNotAllowed) return ['invalid-signature', 'the token algorithm is not accepted'];
  // JWSInvalid, JWTInvalid, JOSENotSupported: the token does not parse as a JWT this relay reads.
  if (error instanceof errors.JOSEError) return ['malformed', `the token is not a valid JWT (${error.code})`];
  throw error;
}

function grantOf(payload: JWTPayload): VerifyResult {
  const { sub, scope, gen, exp } = payload;
  if (!isRoom(sub))
    return refuse('invalid-claims', `"sub" is not a room name of 1 to ${MAX_ROOM_NAME_LENGTH} characters`);
  if (!isScope(scope)) return refuse('invalid-claims', '"scope" is not view, edit or owner');
  if (gen !== undefined && !isGeneration(gen)) return refuse('invalid-claims', '"gen" is not a non-negative integer');
  // jwtVerify has already refused an `exp` that is not a number.
  return {
    ok: true,
    value: {
      room: sub,
      scope,
      gen: gen as number | undefined, // checked above
      expiresAt: exp === undefined ? undefined : exp * 1000,
    },
  };
}

function isRoom(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ROOM_NAME_LENGTH;
}

function isScope(value: unknown): value is CapabilityScope {
  return typeof value === 'string' && SCOPES.includes(value);
}

function isGeneration(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function refuse(kind: TokenRefusal['kind'], message: string): VerifyResult {
  return { ok: false, error: { kind, message } };
}
