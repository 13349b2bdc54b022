import { describe, expect, it } from 'vitest';
import {
  PRECACHE_MANIFEST_TOKEN,
  parsePrecacheManifest,
  precacheManifest,
  routeRequest,
} from './service-worker-routes.js';

const origin = 'http://127.0.0.1:4321';
const precached = new Set(['/index.html', '/assets/index-abc.js']);
const get = (path: string, mode = 'cors') => ({ url: `${origin}${path}`, method: 'GET', mode });

describe('routeRequest', () => {
  it('serves precached assets from the cache and navigations as pages', () => {
    expect(routeRequest(get('/assets/index-abc.js'), origin, precached)).toBe('precached');
    expect(routeRequest(get('/d/AAAAAAAAAAAAAAAAAAAAAQ', 'navigate'), origin, precached)).toBe('page');
    expect(routeRequest(get('/', 'navigate'), origin, precached)).toBe('page');
  });

  it('leaves the relay’s endpoints, other origins, other methods and unknown files to the network', () => {
    expect(routeRequest(get('/yjs/AAAAAAAAAAAAAAAAAAAAAQ'), origin, precached)).toBe('network');
    expect(routeRequest(get('/healthz', 'navigate'), origin, precached)).toBe('network');
    expect(routeRequest(get('/api/info'), origin, precached)).toBe('network');
    expect(routeRequest(get('/api/openapi.json', 'navigate'), origin, precached)).toBe('network');
    expect(routeRequest({ ...get('/api/docs'), method: 'POST' }, origin, precached)).toBe('network');
    expect(routeRequest({ ...get('/assets/index-abc.js'), method: 'POST' }, origin, precached)).toBe('network');
    expect(routeRequest(get('/assets/other.js'), origin, precached)).toBe('network');
    expect(routeRequest({ url: 'https://example.org/x.js', method: 'GET', mode: 'cors' }, origin, precached)).toBe(
      'network',
    );
  });
});

describe('precacheManifest', () => {
  it('lists the page and assets without source maps or the worker, with a version that follows the files', () => {
    const files = ['index.html', 'assets/a-1.js', 'assets/a-1.js.map', 'service-worker.js', '.vite/manifest.json'];
    const manifest = precacheManifest(files, 'service-worker.js');
    expect(manifest.urls).toEqual(['/assets/a-1.js', '/index.html']);
    expect(precacheManifest(files, 'service-worker.js').version).toBe(manifest.version);
    expect(precacheManifest(['index.html', 'assets/a-2.js'], 'service-worker.js').version).not.toBe(manifest.version);
  });

  it('round-trips through the JSON the build writes, and rejects anything else', () => {
    const manifest = precacheManifest(['index.html'], 'service-worker.js');
    expect(parsePrecacheManifest(JSON.stringify(manifest))).toEqual(manifest);
    expect(() => parsePrecacheManifest('{"version":1,"urls":[]}')).toThrow(TypeError);
    expect(() => parsePrecacheManifest(JSON.stringify({ version: 'x', urls: ['relative.js'] }))).toThrow(TypeError);
    expect(() => parsePrecacheManifest(PRECACHE_MANIFEST_TOKEN)).toThrow();
  });
});
