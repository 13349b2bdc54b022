/** Token in the service worker's source that the build replaces with its {@link PrecacheManifest}, as a JSON string. */
export const PRECACHE_MANIFEST_TOKEN = '__MESHPAD_PRECACHE_MANIFEST__';

/** What the service worker keeps: the built page and its assets, under a version that changes with any of them. */
export interface PrecacheManifest {
  readonly version: string;
  /** Absolute paths, e.g. `/index.html` and `/assets/index-<hash>.js`. */
  readonly urls: readonly string[];
}

/** The page every navigation falls back to when the network fails. */
export const APP_SHELL_URL = '/index.html';

/** Prefix of the caches this service worker owns (older versions are deleted on activation). */
export const CACHE_PREFIX = 'meshpad-';

/**
 * How the service worker answers a request:
 * - `precached`: from the cache first (the hashed assets and the page never change under one version);
 * - `page`: a navigation, from the network, falling back to the cached page when it fails (offline);
 * - `network`: not handled (other origins, non-GET, the relay's endpoints).
 */
export type RequestRoute = 'precached' | 'page' | 'network';

/** Paths that belong to the relay (its API, sync, signaling, health), never to the app. */
const RELAY_PATHS = ['/api/', '/yjs/', '/signal', '/healthz', '/readyz', '/metrics'];

export const routeRequest = (
  request: { readonly url: string; readonly method: string; readonly mode: string },
  origin: string,
  precached: ReadonlySet<string>,
): RequestRoute => {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== origin) return 'network';
  if (RELAY_PATHS.some((path) => url.pathname.startsWith(path))) return 'network';
  if (request.mode === 'navigate') return 'page';
  return precached.has(url.pathname) ? 'precached' : 'network';
};

/** The precache list for a build's output files: the page and everything it loads, without source maps. */
export const precacheManifest = (fileNames: readonly string[], serviceWorkerFile: string): PrecacheManifest => {
  const urls = fileNames
    .filter((name) => name !== serviceWorkerFile && !name.endsWith('.map') && !name.startsWith('.vite/'))
    .map((name) => `/${name}`)
    .sort();
  return { version: versionOf(urls.join('\n')), urls };
};

/** A short FNV-1a hash, enough to tell builds apart. */
const versionOf = (text: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
};

/** Reads the manifest the build wrote into the service worker; throws a `TypeError` when it is not one. */
export const parsePrecacheManifest = (json: string): PrecacheManifest => {
  const value: unknown = JSON.parse(json);
  const manifest = value as PrecacheManifest;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof manifest.version !== 'string' ||
    !Array.isArray(manifest.urls) ||
    !manifest.urls.every((url) => typeof url === 'string' && url.startsWith('/'))
  ) {
    throw new TypeError(`Invalid precache manifest: ${json.slice(0, 80)}`);
  }
  return manifest;
};
