/**
 * @packageDocumentation
 * The Meshpad relay as a library: `createRelay` builds the Fastify server (y-websocket compatible
 * sync at `/yjs/<room>`, `GET /healthz`, the web app) over any `DocStore`; `parseConfig` reads the
 * options `meshpad-relay --help` lists.
 */
export { ConfigError, helpText, type LogLevel, parseConfig, type RelayConfig } from './config.js';
export { createRelay, type RelayOptions } from './server.js';
