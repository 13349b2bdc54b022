import { randomBytes, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { parseRoomName } from '@meshpad/protocol';
import { CAPABILITY_SCOPES, type CapabilityScope } from '@meshpad/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import * as Y from 'yjs';
import type { AccessGate, AccessRefusal } from '../access/access-gate.js';
import { openApiDocument } from './api-description.js';

/** Mints the relay's own tokens (the relay's `TokenAuthority`). */
export interface TokenMinter {
  mint(claims: {
    readonly room: string;
    readonly scope: CapabilityScope;
    readonly gen?: number;
    readonly expiresInSeconds?: number;
  }): Promise<string>;
}

export interface ApiPluginOptions {
  readonly gate: AccessGate;
  readonly minter: TokenMinter;
  /** When set, only requests bearing it may create documents; otherwise anyone may, within `createsPerMinute`. */
  readonly createToken: string | undefined;
  readonly createsPerMinute: number;
  /** The origin links point to; without it, the origin the request was addressed to. */
  readonly publicOrigin: string | undefined;
  /** Browser origins whose pages may call the API (CORS); none when the relay names no origin. */
  readonly corsOrigins: readonly string[];
  /** Largest update `POST /api/docs/:id/updates` takes; larger ones go over `/yjs`, judged off the event loop. */
  readonly maxUpdateBytes: number;
  /** Updates one address may write through the API per minute. */
  readonly writesPerMinute: number;
}

/** The name of the shared text in a Meshpad document (the editor's content). */
const CONTENT_TEXT_NAME = 'content';

/** Longest expiry a minted token may have: ten years, in seconds. */
const MAX_EXPIRES_IN = 10 * 365 * 24 * 3600;

const SCOPES = CAPABILITY_SCOPES;

const scopeSchema = { type: 'string', enum: SCOPES } as const;

/** JSON bodies are a few fields: anything longer is not a request of this API. */
const JSON_BODY_LIMIT = 1024;

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const refuse = (reply: FastifyReply, refusal: AccessRefusal) =>
  reply.code(refusal.status).send({ error: refusal.reason });

/**
 * `/api/`: create documents, rotate their capabilities, mint tokens, read their state (PROTOCOL.md,
 * "HTTP API"; the OpenAPI description is at `/api/openapi.json`). Tokens travel only in
 * `Authorization: Bearer`.
 */
async function apiRoutes(app: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const { gate, minter } = options;
  await app.register(rateLimit, { global: false });

  // Pages of the origins the operator named may call the API from the browser; no other page gets CORS headers.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !options.corsOrigins.includes(origin)) return;
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (request.method !== 'OPTIONS') return;
    await reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .send();
  });

  const originOf = (request: FastifyRequest) => options.publicOrigin ?? `${request.protocol}://${request.host}`;
  const linkOf = (request: FastifyRequest, id: string, scope: CapabilityScope, token: string) =>
    `${originOf(request)}/d/${encodeURIComponent(id)}#${scope}=${token}`;

  /** The document id of `/api/docs/:id/…`, or a 400 answer. */
  const docId = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): string | undefined => {
    const parsed = parseRoomName(encodeURIComponent(request.params.id));
    if (parsed.ok) return parsed.value;
    void reply.code(400).send({ error: `invalid document id: ${parsed.error}` });
    return undefined;
  };

  // A route rather than only a not-found handler: the web app's wildcard route would otherwise answer
  // GET /api/… with the app's page.
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).send({ error: `${request.method} ${request.url.split('?')[0]} is not part of the API` });
  app.setNotFoundHandler(notFound);
  app.all('/*', notFound);
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'API request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error: see the relay log' : error.message });
  });

  app.get('/openapi.json', async () => openApiDocument());

  // What the app tells people sharing a link: in open mode a view link does not stop anyone editing.
  app.get('/info', async () => ({ auth: gate.mode, createNeedsToken: options.createToken !== undefined }));

  app.post<{ Body: { id?: string; parent?: string } | undefined }>(
    '/docs',
    {
      bodyLimit: JSON_BODY_LIMIT,
      config:
        options.createToken === undefined ? { rateLimit: { max: options.createsPerMinute, timeWindow: 60_000 } } : {},
      schema: {
        body: {
          type: 'object',
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 512 },
            parent: { type: 'string', minLength: 1, maxLength: 512 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      // In a workspace, its edit token is the permission to create (and then opens the new document too);
      // otherwise the operator's create token, when there is one.
      const parent = request.body?.parent;
      if (parent !== undefined) {
        const checked = await gate.check(bearerOf(request), parent, 'edit');
        if (!checked.ok) return refuse(reply, checked.error);
      } else if (options.createToken !== undefined && !sameSecret(bearerOf(request), options.createToken)) {
        return reply.code(401).send({ error: 'creating documents needs the relay operator’s create token' });
      }
      const id = request.body?.id ?? randomBytes(16).toString('base64url');
      const parsed = parseRoomName(encodeURIComponent(id));
      if (!parsed.ok) return reply.code(400).send({ error: `invalid document id: ${parsed.error}` });
      const generations = await gate.register(id, parent);
      if (generations === undefined)
        return reply.code(409).send({ error: `a document with id "${id}" already exists` });
      const tokens = Object.fromEntries(
        await Promise.all(
          SCOPES.map(
            async (scope) => [scope, await minter.mint({ room: id, scope, gen: generations[scope] })] as const,
          ),
        ),
      ) as Record<CapabilityScope, string>;
      const links = Object.fromEntries(SCOPES.map((scope) => [scope, linkOf(request, id, scope, tokens[scope])]));
      return reply.code(201).send({ id, tokens, links });
    },
  );

  app.post<{ Params: { id: string }; Body: { scope: CapabilityScope } }>(
    '/docs/:id/rotate',
    {
      bodyLimit: JSON_BODY_LIMIT,
      schema: {
        body: { type: 'object', required: ['scope'], properties: { scope: scopeSchema }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const id = docId(request, reply);
      if (id === undefined) return reply;
      const checked = await gate.check(bearerOf(request), id, 'owner');
      if (!checked.ok) return refuse(reply, checked.error);
      const { scope } = request.body;
      const generations = await gate.rotate(id, scope);
      const token = await minter.mint({ room: id, scope, gen: generations[scope] });
      return { scope, token, link: linkOf(request, id, scope, token) };
    },
  );

  app.post<{ Params: { id: string }; Body: { scope: CapabilityScope; expiresIn?: number } }>(
    '/docs/:id/tokens',
    {
      bodyLimit: JSON_BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          required: ['scope'],
          properties: { scope: scopeSchema, expiresIn: { type: 'integer', minimum: 1, maximum: MAX_EXPIRES_IN } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const id = docId(request, reply);
      if (id === undefined) return reply;
      const checked = await gate.check(bearerOf(request), id, 'owner');
      if (!checked.ok) return refuse(reply, checked.error);
      const { scope, expiresIn } = request.body;
      const generations = await gate.generations(id);
      const token = await minter.mint({
        room: id,
        scope,
        gen: generations[scope],
        ...(expiresIn === undefined ? {} : { expiresInSeconds: expiresIn }),
      });
      return {
        scope,
        token,
        link: linkOf(request, id, scope, token),
        ...(expiresIn === undefined ? {} : { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }),
      };
    },
  );

  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: options.maxUpdateBytes },
    (_request, body, done) => done(null, body),
  );

  app.post<{ Params: { id: string }; Body: Buffer }>(
    '/docs/:id/updates',
    {
      bodyLimit: options.maxUpdateBytes,
      config: { rateLimit: { max: options.writesPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const id = docId(request, reply);
      if (id === undefined) return reply;
      const checked = await gate.check(bearerOf(request), id, 'edit');
      if (!checked.ok) return refuse(reply, checked.error);
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        return reply.code(415).send({ error: 'send the Yjs update as application/octet-stream' });
      }
      const written = await app.writeUpdate(id, new Uint8Array(request.body));
      if (!written.ok) return reply.code(written.status).send({ error: written.reason });
      return { stored: true };
    },
  );

  /** The document's whole state, once its token is checked; the room is loaded for as long as it takes. */
  async function readState(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const id = docId(request, reply);
    if (id === undefined) return undefined;
    const checked = await gate.check(bearerOf(request), id, 'view');
    if (!checked.ok) {
      await refuse(reply, checked.error);
      return undefined;
    }
    const room = app.rooms.acquire(id);
    try {
      await room.ready;
      return room.state();
    } finally {
      app.rooms.release(room);
    }
  }

  app.get<{ Params: { id: string } }>('/docs/:id/state', async (request, reply) => {
    const state = await readState(request, reply);
    if (state === undefined) return reply;
    return reply.type('application/octet-stream').header('cache-control', 'no-store').send(Buffer.from(state));
  });

  app.get<{ Params: { id: string } }>('/docs/:id/text', async (request, reply) => {
    const state = await readState(request, reply);
    if (state === undefined) return reply;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, state);
      const text = doc.getText(CONTENT_TEXT_NAME).toString();
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
    } finally {
      doc.destroy();
    }
  });
}

async function apiPlugin(app: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  await app.register(apiRoutes, { ...options, prefix: '/api' });
}

export default fp(apiPlugin, { name: 'meshpad-api', fastify: '5.x', dependencies: ['meshpad-sync'] });
