import { afterEach, describe, expect, it } from 'vitest';
import {
  fakeToken,
  type HttpTestServer,
  type SeenRequest,
  startHttpTestServer,
  type TestAnswer,
} from './http-test-server.js';
import { createDoc, fetchRelayInfo, mintToken, rotateCapability } from './relay-api.js';

const DOC = 'AAAAAAAAAAAAAAAAAAAAAQ';
const token = (scope: string) => fakeToken(DOC, scope);

const servers: HttpTestServer[] = [];
const serve = async (answer: (seen: SeenRequest) => TestAnswer) => {
  const server = await startHttpTestServer(answer);
  servers.push(server);
  return server;
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('fetchRelayInfo', () => {
  it('reads the access mode', async () => {
    const { origin, seen } = await serve(() => ({ status: 200, body: { auth: 'open', createNeedsToken: false } }));
    expect(await fetchRelayInfo(origin)).toEqual({ ok: true, value: { auth: 'open', createNeedsToken: false } });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/info' });
  });

  it('calls an answer it does not understand malformed, e.g. an older relay serving the app’s page', async () => {
    const { origin } = await serve(() => ({ status: 200, body: '<!doctype html>', raw: true }));
    expect(await fetchRelayInfo(origin)).toEqual({
      ok: false,
      error: { code: 'malformed', status: 200, message: 'unexpected answer from /api/info' },
    });
  });

  it('says the relay is unreachable when nothing listens', async () => {
    const { origin } = await serve(() => ({ status: 200, body: {} }));
    await Promise.all(servers.splice(0).map((s) => s.close()));
    const result = await fetchRelayInfo(origin);
    expect(result.ok === false && result.error.code).toBe('unreachable');
  });
});

describe('createDoc', () => {
  it('posts the id and answers the three tokens', async () => {
    const tokens = { owner: token('owner'), edit: token('edit'), view: token('view') };
    const { origin, seen } = await serve(() => ({ status: 201, body: { id: DOC, tokens, links: {} } }));
    expect(await createDoc(origin, DOC)).toEqual({ ok: true, value: { id: DOC, tokens } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/docs', body: JSON.stringify({ id: DOC }) });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('keeps the relay’s error text when it refuses', async () => {
    const { origin } = await serve(() => ({
      status: 409,
      body: { error: `a document with id "${DOC}" already exists` },
    }));
    expect(await createDoc(origin, DOC)).toEqual({
      ok: false,
      error: { code: 'refused', status: 409, message: `a document with id "${DOC}" already exists` },
    });
  });

  it('rejects tokens that are not tokens, or an answer about another id', async () => {
    const bad = await serve(() => ({ status: 201, body: { id: DOC, tokens: { owner: 'x', edit: 'y', view: 'z' } } }));
    expect((await createDoc(bad.origin, DOC)).ok).toBe(false);
    const tokens = { owner: token('owner'), edit: token('edit'), view: token('view') };
    const other = await serve(() => ({ status: 201, body: { id: 'other', tokens } }));
    expect((await createDoc(other.origin, DOC)).ok).toBe(false);
  });
});

describe('rotateCapability and mintToken', () => {
  it('send the owner token as a bearer and the scope in the body', async () => {
    const fresh = token('edit');
    const { origin, seen } = await serve((req) =>
      req.url.endsWith('/rotate')
        ? { status: 200, body: { scope: 'edit', token: fresh, link: 'ignored' } }
        : {
            status: 200,
            body: { scope: 'view', token: fresh, link: 'ignored', expiresAt: '2030-01-01T00:00:00.000Z' },
          },
    );
    expect(await rotateCapability(origin, DOC, 'edit', token('owner'))).toEqual({
      ok: true,
      value: { scope: 'edit', token: fresh },
    });
    expect(seen[0]).toMatchObject({ method: 'POST', url: `/api/docs/${DOC}/rotate`, body: '{"scope":"edit"}' });
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token('owner')}`);

    expect(await mintToken(origin, DOC, 'view', token('owner'), 3600)).toEqual({
      ok: true,
      value: { scope: 'view', token: fresh, expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    expect(seen[1]).toMatchObject({ url: `/api/docs/${DOC}/tokens`, body: '{"scope":"view","expiresIn":3600}' });
  });

  it('answers the relay’s refusal of a revoked owner token', async () => {
    const { origin } = await serve(() => ({ status: 403, body: { error: 'link revoked' } }));
    expect(await rotateCapability(origin, DOC, 'view', token('owner'))).toEqual({
      ok: false,
      error: { code: 'refused', status: 403, message: 'link revoked' },
    });
  });

  it('calls a token of another scope malformed', async () => {
    const { origin } = await serve(() => ({ status: 200, body: { scope: 'owner', token: token('owner') } }));
    expect((await rotateCapability(origin, DOC, 'edit', token('owner'))).ok).toBe(false);
  });
});
