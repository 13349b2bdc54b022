/**
 * Registers the service worker that lets the app open with no network once it has been visited (production builds
 * only: the dev server has no built assets to cache).
 */
export const registerServiceWorker = (): void => {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // A browser that refuses (some private modes) still runs the app; it only cannot open it offline. The local copy
  // reports its own storage problems on the document page.
  navigator.serviceWorker.register('/service-worker.js').catch(() => undefined);
};
