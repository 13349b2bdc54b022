/** The OpenAPI 3.1 description of `/api/`, served at `/api/openapi.json`. */
export function openApiDocument(): Record<string, unknown> {
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 512 } };
  const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const failures = (...codes: number[]) =>
    Object.fromEntries(codes.map((code) => [String(code), { description: REASONS[code], ...json(error) }]));
  const scope = { type: 'string', enum: ['view', 'edit', 'owner'] };
  const link = {
    type: 'object',
    properties: { scope, token: { type: 'string' }, link: { type: 'string' }, expiresAt: { type: 'string' } },
    required: ['scope', 'token', 'link'],
  };
  const byScope = (items: unknown) => ({
    type: 'object',
    properties: { view: items, edit: items, owner: items },
    required: ['view', 'edit', 'owner'],
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Meshpad relay API',
      version: '1',
      description:
        'Documents and their capabilities. Tokens go in `Authorization: Bearer <token>`, never in the URL. See PROTOCOL.md, "Access control".',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths: {
      '/api/info': {
        get: {
          summary: "The relay's access mode, and whether creating documents needs the create token",
          responses: {
            '200': {
              description: 'OK',
              ...json({
                type: 'object',
                properties: {
                  auth: { type: 'string', enum: ['required', 'open'] },
                  createNeedsToken: { type: 'boolean' },
                },
              }),
            },
          },
        },
      },
      '/api/docs': {
        post: {
          summary: 'Create a document and get its owner, edit and view links',
          description:
            'Open to anyone (rate-limited per address) unless the relay has a create token (MESHPAD_CREATE_TOKEN), which the request must then bear.',
          requestBody: json({
            type: 'object',
            properties: {
              id: { type: 'string', maxLength: 512 },
              parent: {
                type: 'string',
                maxLength: 512,
                description:
                  "A workspace to create it in: the request bears that workspace's edit token, whose tokens then open it too",
              },
            },
          }),
          responses: {
            '201': {
              description: 'Created',
              ...json({
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  tokens: byScope({ type: 'string' }),
                  links: byScope({ type: 'string' }),
                },
              }),
            },
            ...failures(400, 401, 409, 429),
          },
        },
      },
      '/api/docs/{id}/rotate': {
        post: {
          summary: 'Rotate a capability: every token of it stops working and live connections holding one are closed',
          security: [{ bearer: [] }],
          parameters: [id],
          requestBody: json({ type: 'object', properties: { scope }, required: ['scope'] }),
          responses: {
            '200': { description: 'The new token of that capability', ...json(link) },
            ...failures(400, 401, 403),
          },
        },
      },
      '/api/docs/{id}/tokens': {
        post: {
          summary: 'Mint a token of a capability, optionally expiring after `expiresIn` seconds (owner token)',
          security: [{ bearer: [] }],
          parameters: [id],
          requestBody: json({
            type: 'object',
            properties: { scope, expiresIn: { type: 'integer', minimum: 1 } },
            required: ['scope'],
          }),
          responses: { '200': { description: 'The token', ...json(link) }, ...failures(400, 401, 403) },
        },
      },
      '/api/docs/{id}/state': {
        get: {
          summary: 'The whole document as one Yjs update (view token)',
          security: [{ bearer: [] }],
          parameters: [id],
          responses: {
            '200': { description: 'Yjs v1 update', content: { 'application/octet-stream': {} } },
            ...failures(400, 401, 403),
          },
        },
      },
      '/api/docs/{id}/updates': {
        post: {
          summary: 'Write a Yjs update (edit token): judged like any client update, stored whole or refused whole',
          security: [{ bearer: [] }],
          parameters: [id],
          requestBody: { content: { 'application/octet-stream': {} } },
          responses: {
            '200': {
              description: 'Stored and forwarded',
              ...json({ type: 'object', properties: { stored: { type: 'boolean' } } }),
            },
            ...failures(401, 403, 409, 413, 422, 429, 507),
          },
        },
      },
      '/api/docs/{id}/text': {
        get: {
          summary: "The document's text (view token)",
          security: [{ bearer: [] }],
          parameters: [id],
          responses: {
            '200': { description: 'Plain text', content: { 'text/plain': {} } },
            ...failures(400, 401, 403),
          },
        },
      },
    },
  };
}

const REASONS: Record<number, string> = {
  400: 'The request is malformed',
  401: 'No valid token (or create token)',
  403: 'The token is for another document, of too low a capability, revoked or expired',
  409: 'The id is taken; or the update depends on edits the relay does not have',
  413: 'The body or the document is over its limit',
  422: 'The update can never integrate into the document',
  507: 'The relay stores nothing more until its disk has room',
  429: 'Too many documents created from this address; try again in a minute',
};
