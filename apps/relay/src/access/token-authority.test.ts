import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRelaySecrets, type RelaySecrets } from './relay-secret.js';
import { keyId, TokenAuthority, type VerifyResult } from './token-authority.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const CURRENT = 'the current relay secret, 32 bytes or more';
const PREVIOUS = 'the previous relay secret, 32 bytes or more';
const OTHER = 'a secret this relay has never had, 32+ bytes';

/** Asserts a refusal of `kind` whose message quotes neither the token nor any secret. */
function expectRefusal(result: VerifyResult, kind: string, token: string) {
  if (result.ok) throw new Error(`expected a refusal of kind ${kind}`);
  expect(result.error.kind).toBe(kind);
  for (const secret of [token, CURRENT, PREVIOUS, OTHER]) {
    if (secret) expect(result.error.message).not.toContain(secret);
  }
  for (const part of token.split('.')) if (part.length > 8) expect(result.error.message).not.toContain(part);
}

/** A token as a host would sign it with jose, without `kid`; `sub` null leaves the claim out. */
function hostToken(claims: Record<string, unknown>, sub: string | null = 'doc') {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  return sub === null ? jwt : jwt.setSubject(sub);
}

describe('TokenAuthority', () => {
  let dir: string;
  let secrets: RelaySecrets;
  let authority: TokenAuthority;
  let edKeys: Awaited<ReturnType<typeof generateKeyPair>>;
  let withPublicKey: TokenAuthority;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshpad-tokens-'));
    secrets = await loadRelaySecrets({ secret: CURRENT, previousSecret: PREVIOUS, dataDir: dir });
    authority = await TokenAuthority.create(secrets);
    edKeys = await generateKeyPair('EdDSA', { extractable: true });
    withPublicKey = await TokenAuthority.create(secrets, {
      publicKey: { key: await exportSPKI(edKeys.publicKey), alg: 'EdDSA' },
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies what it mints', async () => {
    const token = await authority.mint({ room: 'notes/2026', scope: 'edit', gen: 3, expiresInSeconds: 60 });
    const result = await authority.verify(token);
    expect(result).toEqual({
      ok: true,
      value: { room: 'notes/2026', scope: 'edit', gen: 3, expiresAt: expect.any(Number) },
    });
    if (result.ok) expect(Math.abs(result.value.expiresAt! - (Date.now() + 60_000))).toBeLessThan(2000);
    const lasting = await authority.verify(await authority.mint({ room: 'doc', scope: 'owner' }));
    expect(lasting).toEqual({ ok: true, value: { room: 'doc', scope: 'owner', gen: undefined, expiresAt: undefined } });
  });

  it('names the current secret by its fingerprint', async () => {
    const token = await authority.mint({ room: 'doc', scope: 'view' });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', kid: keyId(bytes(CURRENT)) });
    expect(header.kid).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses an expired token', async () => {
    const past = await TokenAuthority.create(secrets, { now: () => Date.now() - 3600_000 });
    const token = await past.mint({ room: 'doc', scope: 'edit', expiresInSeconds: 60 });
    expectRefusal(await authority.verify(token), 'expired', token);
  });

  it('tolerates five seconds of clock skew on exp', async () => {
    const past = await TokenAuthority.create(secrets, { now: () => Date.now() - 63_000 });
    const token = await past.mint({ room: 'doc', scope: 'edit', expiresInSeconds: 60 });
    expect((await authority.verify(token)).ok).toBe(true);
  });

  it('refuses a tampered payload and a token signed with another secret', async () => {
    const token = await authority.mint({ room: 'doc', scope: 'view' });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'doc', scope: 'owner' })).toString('base64url');
    const tampered = `${header}.${payload}.${signature}`;
    expectRefusal(await authority.verify(tampered), 'invalid-signature', tampered);

    const stranger = await TokenAuthority.create({ current: bytes(OTHER) });
    const foreign = await stranger.mint({ room: 'doc', scope: 'edit' });
    expectRefusal(await authority.verify(foreign), 'invalid-signature', foreign);
    const unnamed = await hostToken({ scope: 'edit' }).sign(bytes(OTHER));
    expectRefusal(await authority.verify(unnamed), 'invalid-signature', unnamed);
  });

  it('accepts tokens of the previous secret, not of a third', async () => {
    const before = await TokenAuthority.create({ current: bytes(PREVIOUS) });
    const old = await before.mint({ room: 'doc', scope: 'edit', gen: 0 });
    expect(await authority.verify(old)).toMatchObject({ ok: true, value: { room: 'doc', gen: 0 } });
    const third = await TokenAuthority.create({ current: bytes(OTHER), previous: bytes(PREVIOUS) });
    expectRefusal(await third.verify(await authority.mint({ room: 'doc', scope: 'edit' })), 'invalid-signature', '');
  });

  it("accepts a host's token without kid signed with the secret", async () => {
    const token = await hostToken({ scope: 'edit' }).sign(bytes(CURRENT));
    expect(await authority.verify(token)).toEqual({
      ok: true,
      value: { room: 'doc', scope: 'edit', gen: undefined, expiresAt: undefined },
    });
  });

  it('refuses alg none and HS256 keyed with the public key', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${encode({ alg: 'none' })}.${encode({ sub: 'doc', scope: 'owner' })}.`;
    expectRefusal(await withPublicKey.verify(none), 'invalid-signature', none);
    const noneWithKid = `${encode({ alg: 'none', kid: keyId(bytes(CURRENT)) })}.${encode({ sub: 'doc', scope: 'owner' })}.`;
    expectRefusal(await withPublicKey.verify(noneWithKid), 'invalid-signature', noneWithKid);

    const pem = await exportSPKI(edKeys.publicKey);
    const confused = await hostToken({ scope: 'owner' }).sign(bytes(pem));
    expectRefusal(await withPublicKey.verify(confused), 'invalid-signature', confused);
  });

  it("accepts a host's EdDSA token with the public key, and nothing signed with another algorithm", async () => {
    const token = await new SignJWT({ scope: 'owner' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('doc')
      .sign(edKeys.privateKey);
    expect(await withPublicKey.verify(token)).toMatchObject({ ok: true, value: { room: 'doc', scope: 'owner' } });
    expectRefusal(await authority.verify(token), 'invalid-signature', token);

    const ecKeys = await generateKeyPair('ES256');
    const es256 = await new SignJWT({ scope: 'owner' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('doc')
      .sign(ecKeys.privateKey);
    expectRefusal(await withPublicKey.verify(es256), 'invalid-signature', es256);
  });

  it('reads a public JWK and refuses a private one', async () => {
    const jwk = await exportJWK(edKeys.publicKey);
    const fromJwk = await TokenAuthority.create(secrets, {
      publicKey: { key: JSON.stringify({ ...jwk, kid: 'host-1' }), alg: 'EdDSA' },
    });
    const token = await new SignJWT({ scope: 'view' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'host-1' })
      .setSubject('doc')
      .sign(edKeys.privateKey);
    expect((await fromJwk.verify(token)).ok).toBe(true);

    const privateJwk = JSON.stringify(await exportJWK(edKeys.privateKey));
    await expect(TokenAuthority.create(secrets, { publicKey: { key: privateJwk, alg: 'EdDSA' } })).rejects.toThrow(
      /private key/,
    );
    await expect(TokenAuthority.create(secrets, { publicKey: { key: 'not a key', alg: 'ES256' } })).rejects.toThrow(
      TypeError,
    );
  });

  it.each([
    ['scope "admin"', { scope: 'admin' }, 'doc'],
    ['gen -1', { scope: 'edit', gen: -1 }, 'doc'],
    ['gen 1.5', { scope: 'edit', gen: 1.5 }, 'doc'],
    ['no sub', { scope: 'edit' }, null],
    ['a sub of 600 characters', { scope: 'edit' }, 'x'.repeat(600)],
    ['an exp that is not a number', { scope: 'edit', exp: 'never' }, 'doc'],
  ])('refuses claims with %s', async (_, claims, sub) => {
    const token = await hostToken(claims, sub).sign(bytes(CURRENT));
    expectRefusal(await authority.verify(token), 'invalid-claims', token);
  });

  it('refuses what does not parse, quickly and without reading a long input', async () => {
    const long = `${'a'.repeat(5000)}.${'b'.repeat(5000)}.${'c'.repeat(240)}`;
    const started = performance.now();
    expectRefusal(await authority.verify(long), 'malformed', long);
    expect(performance.now() - started).toBeLessThan(50);
    for (const junk of ['', 'abc', 'a.b', '!!.??.##', 'e30.bm90IGpzb24.c2ln']) {
      expectRefusal(await authority.verify(junk), 'malformed', junk);
    }
  });

  it('refuses bad arguments to mint', async () => {
    await expect(authority.mint({ room: '', scope: 'view' })).rejects.toThrow(RangeError);
    await expect(authority.mint({ room: 'doc', scope: 'admin' as 'view' })).rejects.toThrow(RangeError);
    await expect(authority.mint({ room: 'doc', scope: 'view', gen: -1 })).rejects.toThrow(RangeError);
    await expect(authority.mint({ room: 'doc', scope: 'view', expiresInSeconds: 0 })).rejects.toThrow(RangeError);
  });
});
