import {
  APP_SHELL_URL,
  CACHE_PREFIX,
  PRECACHE_MANIFEST_TOKEN,
  parsePrecacheManifest,
  routeRequest,
} from './service-worker-routes.js';

// The DOM and WebWorker type libraries conflict in one program, so the few service-worker types used are declared here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as ServiceWorkerScope;
// The build replaces the token inside this string with the manifest (see vite.config.ts).
const manifest = parsePrecacheManifest(PRECACHE_MANIFEST_TOKEN);
const cacheName = `${CACHE_PREFIX}${manifest.version}`;
const precached = new Set(manifest.urls);

scope.addEventListener('install', (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(manifest.urls)));
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => scope.clients.claim()),
  );
});

const fromCache = async (url: string | Request): Promise<Response | undefined> =>
  (await caches.open(cacheName)).match(url);

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  switch (routeRequest(request, scope.location.origin, precached)) {
    case 'precached':
      event.respondWith(fromCache(request).then((cached) => cached ?? fetch(request)));
      return;
    case 'page':
      event.respondWith(
        fetch(request).catch(async (cause: unknown) => {
          const shell = await fromCache(APP_SHELL_URL);
          if (shell === undefined) throw cause;
          return shell;
        }),
      );
      return;
    case 'network':
      return;
  }
});
