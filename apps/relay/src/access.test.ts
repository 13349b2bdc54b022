import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDenial,
  CloseCode,
  decodeCapabilitiesRotated,
  encodeSaveRequest,
  encodeSyncUpdate,
  SIGNALING_PATH,
  tokenSubprotocols,
} from '@meshpad/protocol';
import type { CapabilityScope } from '@meshpad/storage';
import { SqliteDocStore } from '@meshpad/storage-sqlite';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { rawSocket, synced, TEST_SECRET, useRelay, waitFor } from '../test/harness.js';
import { itemUpdate, textOfUpdates } from '../test/hostile-updates.js';

const fixture = useRelay();
const REQUIRED = { MESHPAD_AUTH: 'required' };

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'meshpad-access-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A token signed with the relay's secret, as a host application mints it with jose. */
async function hostToken(claims: { sub: string; scope: string; gen?: number; exp?: number }, secret = TEST_SECRET) {
  const { sub, exp, ...rest } = claims;
  const jwt = new SignJWT(rest).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt();
  if (exp !== undefined) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

interface Created {
  readonly id: string;
  readonly tokens: Record<CapabilityScope, string>;
}

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`http://127.0.0.1:${fixture.relay.port}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return response;
}

async function create(id: string): Promise<Created> {
  const response = await api('/api/docs', { body: { id } });
  expect(response.status).toBe(201);
  return (await response.json()) as Created;
}

/** Opens `/yjs/<room>` with `token` in the query string and returns what the relay sent before it closed. */
async function refusal(room: string, token?: string) {
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  const client = await rawSocket(`${fixture.relay.syncUrl}/${room}${query}`);
  const closed = await client.closed;
  return { ...closed, frames: client.frames };
}

describe('in required mode, /yjs', () => {
  it('refuses a connection without a valid token before any document byte, with a code that says why', async () => {
    const relay = await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const writer = fixture.client('doc', new Y.Doc(), { params: { token: tokens.edit } });
    await synced(writer);
    writer.text.insert(0, 'secret plans');
    await waitFor(async () => (await relay.store.load('doc')).updates.length > 0, 'stored');

    const loadsBefore = relay.app.rooms.size;
    const cases = [
      { token: undefined, code: CloseCode.Unauthorized.code, reason: AccessDenial.TokenRequired },
      { token: 'not-a-jwt', code: CloseCode.Unauthorized.code, reason: AccessDenial.InvalidToken },
      {
        token: await hostToken({ sub: 'doc', scope: 'edit' }, 'another-secret-of-at-least-32-bytes!!'),
        code: CloseCode.Unauthorized.code,
        reason: AccessDenial.InvalidToken,
      },
      {
        token: await hostToken({ sub: 'other', scope: 'edit' }),
        code: CloseCode.Forbidden.code,
        reason: AccessDenial.OtherDocument,
      },
      {
        token: await hostToken({ sub: 'doc', scope: 'edit', exp: Math.floor(Date.now() / 1000) - 60 }),
        code: CloseCode.Forbidden.code,
        reason: AccessDenial.Expired,
      },
    ];
    for (const { token, code, reason } of cases) {
      const refused = await refusal('doc', token);
      expect(refused).toEqual({ code, reason, frames: [] });
    }
    // Strangers in a room nobody loaded make the relay read nothing.
    const stranger = await refusal('unloaded-room');
    expect(stranger.code).toBe(CloseCode.Unauthorized.code);
    expect(relay.app.rooms.size).toBe(loadsBefore);
    expect(relay.app.rooms.get('unloaded-room')).toBeUndefined();
  });

  it('refuses a token of a revoked generation, and accepts the new one', async () => {
    await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const rotated = await api('/api/docs/doc/rotate', { token: tokens.owner, body: { scope: 'edit' } });
    expect(rotated.status).toBe(200);
    const { token: newEdit } = (await rotated.json()) as { token: string };

    const revoked = await refusal('doc', tokens.edit);
    expect(revoked).toMatchObject({ code: CloseCode.Forbidden.code, frames: [] });
    expect(revoked.reason).toBe(AccessDenial.Revoked);
    const client = fixture.client('doc', new Y.Doc(), { params: { token: newEdit } });
    await synced(client);
  });

  it('accepts a token minted by a host application with jose and the secret, in the subprotocol header', async () => {
    await fixture.start({ env: REQUIRED });
    const token = await hostToken({ sub: 'hosted', scope: 'edit', exp: Math.floor(Date.now() / 1000) + 3600 });
    const a = fixture.client('hosted', new Y.Doc(), { protocols: tokenSubprotocols(token) });
    const b = fixture.client('hosted', new Y.Doc(), { params: { token } });
    await Promise.all([synced(a), synced(b)]);
    a.text.insert(0, 'from the host app');
    await waitFor(() => b.text.toString() === 'from the host app', 'edit delivered');
    expect((a.provider.ws as unknown as WebSocket).protocol).toBe('meshpad');
  });

  it("drops a view connection's writes: never forwarded, never stored, answered once with permission denied", async () => {
    const store = await SqliteDocStore.open({ path: join(dataDir, 'meshpad.sqlite') });
    const relay = await fixture.start({ env: REQUIRED, store });
    const { tokens } = await create('doc');
    const editor = fixture.client('doc', new Y.Doc(), { params: { token: tokens.edit } });
    const viewer = fixture.client('doc', new Y.Doc(), { params: { token: tokens.view } });
    await Promise.all([synced(editor), synced(viewer)]);
    editor.text.insert(0, 'by the editor');
    await waitFor(() => viewer.text.toString() === 'by the editor', 'the viewer sees live edits');

    const denied: string[] = [];
    viewer.provider.on('connection-close', () => {});
    const raw = await rawSocket(`${relay.syncUrl}/doc?token=${tokens.view}`);
    const vandal = new Y.Doc();
    vandal.getText('content').insert(0, 'VANDALISM ');
    for (let i = 0; i < 3; i++) raw.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(vandal)));
    viewer.text.insert(0, 'viewer typed ');
    await waitFor(() => raw.frames.filter((frame) => frame[0] === 2).length === 1, 'one permission-denied message');
    for (const frame of raw.frames.filter((f) => f[0] === 2)) denied.push(new TextDecoder().decode(frame.slice(3)));
    expect(denied[0]).toMatch(/view-only/);
    // Its edits are never stored, so it is never told they are saved; an editor's request is answered.
    raw.socket.send(encodeSaveRequest(7));
    const editorSocket = await rawSocket(`${relay.syncUrl}/doc?token=${tokens.edit}`);
    editorSocket.socket.send(encodeSaveRequest(8));
    await waitFor(() => editorSocket.frames.some((frame) => frame[0] === 101), 'the editor’s save confirmed');
    expect(raw.frames.some((frame) => frame[0] === 101)).toBe(false);
    editorSocket.socket.close();
    editor.text.insert(editor.text.length, '!');
    await waitFor(() => viewer.text.toString().endsWith('!'), 'later edits still reach the viewer');
    expect(editor.text.toString()).toBe('by the editor!');
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);

    await relay.close();
    const reopened = await SqliteDocStore.open({ path: join(dataDir, 'meshpad.sqlite') });
    const doc = new Y.Doc();
    for (const update of (await reopened.load('doc')).updates) Y.applyUpdate(doc, update);
    expect(doc.getText('content').toString()).toBe('by the editor!');
    await reopened.close();
  });

  it('closes live connections of a rotated capability within a second, and tells the others', async () => {
    await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const editor = await rawSocket(`${fixture.relay.syncUrl}/doc?token=${tokens.edit}`);
    const viewer = await rawSocket(`${fixture.relay.syncUrl}/doc?token=${tokens.view}`);
    const owner = await rawSocket(`${fixture.relay.syncUrl}/doc?token=${tokens.owner}`);
    await waitFor(() => editor.frames.length > 0 && viewer.frames.length > 0 && owner.frames.length > 0, 'joined');
    // A Meshpad client announces itself with a save request; stock clients never see Meshpad's messages.
    owner.socket.send(encodeSaveRequest(1));
    await waitFor(() => owner.frames.some((frame) => frame[0] === 101), 'save confirmed');
    const started = Date.now();
    const rotated = await api('/api/docs/doc/rotate', { token: tokens.owner, body: { scope: 'edit' } });
    expect(rotated.status).toBe(200);
    const closed = await editor.closed;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(closed).toEqual({ code: CloseCode.Forbidden.code, reason: AccessDenial.Revoked });
    expect(viewer.socket.readyState).toBe(WebSocket.OPEN);
    await waitFor(() => owner.frames.some((frame) => decodeCapabilitiesRotated(frame) !== undefined), 'told');
    const told = owner.frames.map(decodeCapabilitiesRotated).find((g) => g !== undefined);
    expect(told).toEqual({ view: 0, edit: 1, owner: 0 });
    expect(viewer.frames.some((frame) => frame[0] === 102)).toBe(false);
    viewer.socket.close();
    owner.socket.close();
  });

  it('closes a connection when its token expires', async () => {
    await fixture.start({ env: REQUIRED });
    const token = await hostToken({ sub: 'doc', scope: 'edit', exp: Math.floor(Date.now() / 1000) + 2 });
    const client = await rawSocket(`${fixture.relay.syncUrl}/doc?token=${token}`);
    await waitFor(() => client.frames.length > 0, 'joined');
    const closed = await client.closed;
    expect(closed).toEqual({ code: CloseCode.Forbidden.code, reason: AccessDenial.Expired });
  }, 10_000);
});

describe('in required mode, a workspace', () => {
  it('opens the documents registered in it with its own tokens and scope, and its rotation revokes them', async () => {
    await fixture.start({ env: REQUIRED });
    const workspace = await create('workspace/w');
    const register = (id: string, token: string) => api('/api/docs', { body: { id, parent: 'workspace/w' }, token });
    expect((await register('child', workspace.tokens.view)).status).toBe(403);
    expect((await register('child', workspace.tokens.edit)).status).toBe(201);
    await create('unrelated');

    const editor = fixture.client('child', new Y.Doc(), { params: { token: workspace.tokens.edit } });
    const viewer = await rawSocket(`${fixture.relay.syncUrl}/child?token=${workspace.tokens.view}`);
    await synced(editor);
    editor.text.insert(0, 'written with the workspace link');
    await waitFor(() => viewer.frames.length >= 2, 'the viewer gets the document');
    const vandal = new Y.Doc();
    vandal.getText('content').insert(0, 'no');
    viewer.socket.send(encodeSyncUpdate(Y.encodeStateAsUpdate(vandal)));
    await waitFor(() => viewer.frames.some((frame) => frame[0] === 2), 'permission denied');

    const unrelated = await refusal('unrelated', workspace.tokens.edit);
    expect(unrelated).toMatchObject({ code: CloseCode.Forbidden.code, reason: AccessDenial.OtherDocument, frames: [] });

    const started = Date.now();
    const closed = new Promise<number>((resolve) =>
      editor.provider.once('connection-close', () => resolve(Date.now())),
    );
    expect(
      (await api('/api/docs/workspace%2Fw/rotate', { token: workspace.tokens.owner, body: { scope: 'edit' } })).status,
    ).toBe(200);
    expect((await closed) - started).toBeLessThan(1000);
    expect(viewer.socket.readyState).toBe(WebSocket.OPEN);
    viewer.socket.close();
    const stored = (await fixture.relay.store.load('child')).updates;
    expect(textOfUpdates(stored)).toBe('written with the workspace link');
  });
});

describe('in required mode, /signal', () => {
  function signal(token?: string) {
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    return new WebSocket(`ws://127.0.0.1:${fixture.relay.port}${SIGNALING_PATH}${query}`);
  }

  it('refuses an upgrade without a valid token with HTTP 401, a view token with 403', async () => {
    await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const status = (socket: WebSocket) =>
      new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(await status(signal())).toBe(401);
    expect(await status(signal('garbage'))).toBe(401);
    expect(await status(signal(tokens.view))).toBe(403);
  });

  it('serves only the topics of the token’s document', async () => {
    await fixture.start({ env: REQUIRED });
    const a = await create('doc-a');
    const b = await create('doc-b');
    const open = async (token: string) => {
      const socket = signal(token);
      const received: Array<Record<string, unknown>> = [];
      socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString()) as Record<string, unknown>));
      await new Promise((resolve) => socket.once('open', resolve));
      return { socket, received };
    };
    const honest = await open(b.tokens.edit);
    const intruder = await open(a.tokens.edit);
    honest.socket.send(JSON.stringify({ type: 'subscribe', topics: ['meshpad:doc-b'] }));
    intruder.socket.send(JSON.stringify({ type: 'subscribe', topics: ['meshpad:doc-b', 'meshpad:doc-a:fp'] }));
    intruder.socket.send(JSON.stringify({ type: 'publish', topic: 'meshpad:doc-b', data: 'injected' }));
    intruder.socket.send(JSON.stringify({ type: 'publish', topic: 'meshpad:doc-a:fp', data: 'own' }));
    honest.socket.send(JSON.stringify({ type: 'publish', topic: 'meshpad:doc-b', data: 'private' }));
    await waitFor(() => honest.received.length === 1 && intruder.received.length === 1, 'delivered');
    expect(honest.received[0]).toMatchObject({ data: 'private' });
    expect(intruder.received[0]).toMatchObject({ data: 'own' });
    expect(fixture.relay.app.signalingTopics.get('meshpad:doc-b')?.size).toBe(1);
    honest.socket.close();
    intruder.socket.close();
  });
});

describe('in open mode', () => {
  it('lets a connection without a token edit, and still refuses a bad token', async () => {
    await fixture.start();
    const client = fixture.client('doc');
    await synced(client);
    const bad = await refusal('doc', 'garbage');
    expect(bad.code).toBe(CloseCode.Unauthorized.code);
    const expired = await refusal(
      'doc',
      await hostToken({ sub: 'doc', scope: 'edit', exp: Math.floor(Date.now() / 1000) - 60 }),
    );
    expect(expired.code).toBe(CloseCode.Forbidden.code);
  });
});

describe('the HTTP API', () => {
  it('creates a document once, with links carrying each token in the fragment', async () => {
    await fixture.start({ env: REQUIRED });
    const response = await api('/api/docs', { body: { id: 'chosen-offline' } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Created & { links: Record<CapabilityScope, string> };
    expect(body.id).toBe('chosen-offline');
    expect(body.links.edit).toBe(`http://127.0.0.1:${fixture.relay.port}/d/chosen-offline#edit=${body.tokens.edit}`);
    expect((await api('/api/docs', { body: { id: 'chosen-offline' } })).status).toBe(409);
    const generated = (await (await api('/api/docs', { body: {} })).json()) as Created;
    expect(generated.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('lets anyone create documents at 30 a minute per address, or only holders of the create token', async () => {
    await fixture.start({ env: REQUIRED });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await api('/api/docs', { body: {} })).status);
    expect(statuses.slice(0, 30).every((status) => status === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
    await fixture.relay.close();

    const createToken = 'operators-create-token-1234';
    await fixture.start({ env: { ...REQUIRED, MESHPAD_CREATE_TOKEN: createToken } });
    expect((await api('/api/docs', { body: { id: 'a' } })).status).toBe(401);
    expect((await api('/api/docs', { body: { id: 'a' }, token: 'wrong-token-of-the-same-size' })).status).toBe(401);
    expect((await api('/api/docs', { body: { id: 'a' }, token: createToken })).status).toBe(201);
    expect(await (await api('/api/info')).json()).toEqual({ auth: 'required', createNeedsToken: true });
  });

  it('mints tokens and reads the document for holders of the right capability only', async () => {
    await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const writer = fixture.client('doc', new Y.Doc(), { params: { token: tokens.edit } });
    await synced(writer);
    writer.text.insert(0, 'hello api');
    await waitFor(async () => (await fixture.relay.store.load('doc')).updates.length > 0, 'stored');

    const text = await api('/api/docs/doc/text', { token: tokens.view });
    expect(text.status).toBe(200);
    expect(await text.text()).toBe('hello api');
    const state = await api('/api/docs/doc/state', { token: tokens.view });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await state.arrayBuffer()));
    expect(doc.getText('content').toString()).toBe('hello api');
    expect((await api('/api/docs/doc/text')).status).toBe(401);
    expect((await api('/api/docs/doc/tokens', { token: tokens.edit, body: { scope: 'view' } })).status).toBe(403);

    const minted = await api('/api/docs/doc/tokens', { token: tokens.owner, body: { scope: 'view', expiresIn: 60 } });
    expect(minted.status).toBe(200);
    const { token } = (await minted.json()) as { token: string };
    expect((await api('/api/docs/doc/text', { token })).status).toBe(200);
  });

  it('writes an update for an edit token: validated, stored, forwarded; refused whole when it cannot integrate', async () => {
    await fixture.start({ env: REQUIRED });
    const { tokens } = await create('doc');
    const reader = fixture.client('doc', new Y.Doc(), { params: { token: tokens.view } });
    await synced(reader);
    const post = (update: Uint8Array, token: string | null = tokens.edit) =>
      fetch(`http://127.0.0.1:${fixture.relay.port}/api/docs/doc/updates`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: update,
      });

    const author = new Y.Doc();
    author.getText('content').insert(0, 'from a script');
    const written = await post(Y.encodeStateAsUpdate(author));
    expect(written.status).toBe(200);
    expect(await written.json()).toEqual({ stored: true });
    expect(reader.text.toString()).toBe('from a script');
    expect(textOfUpdates((await fixture.relay.store.load('doc')).updates)).toBe('from a script');
    // The same update again adds nothing, and is fine.
    expect((await post(Y.encodeStateAsUpdate(author))).status).toBe(200);

    expect((await post(Y.encodeStateAsUpdate(author), tokens.view)).status).toBe(403);
    expect((await post(Y.encodeStateAsUpdate(author), null)).status).toBe(401);
    // An item pointing at a later clock of its own client can never integrate.
    const poison = await post(itemUpdate({ client: 77, clock: 0, origin: Y.createID(77, 5) }));
    expect(poison.status).toBe(422);
    // One that needs an edit the relay never saw is not held for an HTTP client: refused.
    const early = await post(itemUpdate({ client: 78, clock: 3 }));
    expect(early.status).toBe(409);
    expect((await post(new Uint8Array(70 * 1024))).status).toBe(413);
    const stored = (await fixture.relay.store.load('doc')).updates;
    expect(textOfUpdates(stored)).toBe('from a script');
    expect(stored).toHaveLength(1);
  });

  it('answers unknown API paths and bad bodies with JSON, and serves its OpenAPI description', async () => {
    await fixture.start({ env: REQUIRED });
    const missing = await api('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: expect.stringContaining('not part of the API') });
    const tooLong = await api('/api/docs', { body: { id: 'x'.repeat(5000) } });
    expect(tooLong.status).toBe(413);
    expect(await (await api('/api/info')).json()).toEqual({ auth: 'required', createNeedsToken: false });
    const description = (await (await api('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(description.paths)).toContain('/api/docs/{id}/rotate');
  });

  it('sends CORS headers only to the origins the relay names', async () => {
    await fixture.start({ env: { ...REQUIRED, MESHPAD_ALLOWED_ORIGINS: 'https://app.example.com' } });
    const url = `http://127.0.0.1:${fixture.relay.port}/api/docs`;
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const foreign = await fetch(url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await api('/api/info');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts tokens a host signs with its own private key when its public key is configured', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    await fixture.start({
      env: { ...REQUIRED, MESHPAD_JWT_PUBLIC_KEY: await exportSPKI(publicKey), MESHPAD_JWT_PUBLIC_KEY_ALG: 'EdDSA' },
    });
    const token = await new SignJWT({ scope: 'view' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('hosted')
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await api('/api/docs/hosted/text', { token })).status).toBe(200);
    const client = fixture.client('hosted', new Y.Doc(), { protocols: tokenSubprotocols(token) });
    await synced(client);
  });

  it('never logs a token or the secret, even at trace level', async () => {
    const relay = await fixture.start({ env: { ...REQUIRED, LOG_LEVEL: 'trace' } });
    const { tokens } = await create('doc');
    const client = fixture.client('doc', new Y.Doc(), { params: { token: tokens.edit } });
    await synced(client);
    await refusal('doc', `${tokens.view}x`);
    await api('/api/docs/doc/rotate', { token: tokens.owner, body: { scope: 'view' } });
    const sig = new WebSocket(`ws://127.0.0.1:${relay.port}${SIGNALING_PATH}?token=${tokens.edit}`);
    await new Promise((resolve) => sig.once('open', resolve));
    sig.close();
    const log = relay
      .logs()
      .map((line) => JSON.stringify(line))
      .join('\n');
    expect(log.length).toBeGreaterThan(1000);
    for (const token of Object.values(tokens)) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split('.')[2]);
    }
    expect(log).not.toContain(TEST_SECRET);
  });
});
