import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * The response headers `@fastify/helmet` sets on every HTTP answer. The Content-Security-Policy is
 * the app's whole need: its own scripts, styles (CodeMirror and Lit inject style elements), images
 * (and the data: URLs of the favicon and CodeMirror's widgets), and connections to its own origin,
 * WebSockets included; WebRTC is outside CSP. Nothing may frame the app. No HSTS and no
 * `upgrade-insecure-requests`: a relay reached over plain HTTP on a LAN must keep working.
 * helmet's other defaults stay (CORP same-origin, nosniff, no DNS prefetch, X-XSS-Protection off):
 * none of them touches the service worker, IndexedDB, WebSockets or WebRTC.
 */
export const securityHeaders: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      styleSrc: ["'self'", "'unsafe-inline'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: false,
  // Over plain HTTP, other than on localhost, Chromium ignores COOP and logs a console error on every
  // page load; the app opens no other windows for it to protect anyway.
  crossOriginOpenerPolicy: false,
  // On a LAN name over plain HTTP, Chromium could not origin-key the page and warned on every load;
  // it no longer allows the document.domain relaxation this header guards against.
  originAgentCluster: false,
  // Document links are the key to a document: a link followed out of one must not carry its URL along.
  referrerPolicy: { policy: 'no-referrer' },
  // The same as frame-ancestors 'none', for browsers that predate it.
  xFrameOptions: { action: 'deny' },
};
