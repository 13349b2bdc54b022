import { createMemoryStorage, type KeyValueStorage } from '@meshpad/client';
import { afterEach, describe, expect, it } from 'vitest';
import { readDocAccess, unregisteredDocs, updateDocAccess, withTokens } from './doc-access.js';
import { markCreatedHere, registerDoc, registerUnregisteredDocs } from './doc-registration.js';
import { fakeToken, type HttpTestServer, startHttpTestServer, type TestAnswer } from './http-test-server.js';

const A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const B = 'BBBBBBBBBBBBBBBBBBBBBQ';
const tokensOf = (id: string) => ({
  owner: fakeToken(id, 'owner'),
  edit: fakeToken(id, 'edit'),
  view: fakeToken(id, 'view'),
});

/** A relay API that creates any id once, answering 409 after. */
const created = new Set<string>();
const relayAnswer = (body: string): TestAnswer => {
  const { id } = JSON.parse(body) as { id: string };
  if (created.has(id)) return { status: 409, body: { error: `a document with id "${id}" already exists` } };
  created.add(id);
  return { status: 201, body: { id, tokens: tokensOf(id), links: {} } };
};

let server: HttpTestServer | undefined;
const start = async (answer: (body: string) => TestAnswer = relayAnswer) => {
  server = await startHttpTestServer((seen) => answer(seen.body));
  return server;
};

afterEach(async () => {
  created.clear();
  await server?.close();
  server = undefined;
});

const createdHere = (...ids: string[]): KeyValueStorage => {
  const storage = createMemoryStorage();
  for (const id of ids) markCreatedHere(storage, id);
  return storage;
};

describe('registerDoc', () => {
  it('keeps the owner, edit and view tokens of a document it registers, once even when called twice', async () => {
    const { origin, seen } = await start();
    const storage = createdHere(A);
    const outcomes = await Promise.all([registerDoc(storage, origin, A), registerDoc(storage, origin, A)]);
    expect(outcomes).toEqual(['registered', 'registered']);
    expect(seen).toHaveLength(1);
    expect(readDocAccess(storage, A)).toEqual(tokensOf(A));
    expect(await registerDoc(storage, origin, A)).toBe('registered');
    expect(seen).toHaveLength(1);
  });

  it('registers a workspace, then a document made in it with the workspace’s token', async () => {
    const { origin, seen } = await start();
    const workspace = `workspace/${B}`;
    const storage = createdHere(workspace);
    expect(await registerDoc(storage, origin, workspace)).toBe('registered');
    expect(readDocAccess(storage, workspace)).toEqual(tokensOf(workspace));
    markCreatedHere(storage, A, workspace);
    expect(await registerDoc(storage, origin, A)).toBe('registered');
    expect(JSON.parse(seen[1]!.body)).toEqual({ id: A, parent: workspace });
    expect(seen[1]!.headers.authorization).toBe(`Bearer ${tokensOf(workspace).owner}`);
    expect(readDocAccess(storage, A)).toEqual({ ...tokensOf(A), parent: workspace });
  });

  it('carries on without owner rights when someone registered the id first, keeping tokens it has', async () => {
    const { origin } = await start();
    created.add(A);
    const storage = createdHere(A);
    updateDocAccess(storage, A, withTokens({ edit: fakeToken(A, 'edit') }));
    expect(await registerDoc(storage, origin, A)).toBe('taken');
    expect(readDocAccess(storage, A)).toEqual({ edit: fakeToken(A, 'edit') });
  });

  it('tries again later when offline, rate limited or the relay fails, and gives up when refused', async () => {
    const storage = createdHere(A);
    const offline = await start();
    await offline.close();
    expect(await registerDoc(storage, offline.origin, A)).toBe('later');
    expect(unregisteredDocs(storage)).toEqual([A]);

    for (const status of [429, 502]) {
      const busy = await start(() => ({ status, body: { error: 'busy' } }));
      expect(await registerDoc(storage, busy.origin, A)).toBe('later');
      await busy.close();
    }
    expect(unregisteredDocs(storage)).toEqual([A]);

    await start(() => ({ status: 401, body: { error: 'creating documents needs the relay operator’s create token' } }));
    expect(await registerDoc(storage, server?.origin ?? '', A)).toBe('refused');
    expect(unregisteredDocs(storage)).toEqual([]);
  });
});

describe('registerUnregisteredDocs', () => {
  it('registers every document created here, and stops at the first that has to wait', async () => {
    const { origin } = await start();
    const storage = createdHere(A, B);
    await registerUnregisteredDocs(storage, origin);
    expect(unregisteredDocs(storage)).toEqual([]);
    expect(readDocAccess(storage, B)).toEqual(tokensOf(B));

    const offline = createdHere(A, B);
    await server?.close();
    await registerUnregisteredDocs(offline, origin);
    expect(unregisteredDocs(offline)).toEqual([A, B]);
  });
});
