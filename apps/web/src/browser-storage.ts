import { createMemoryStorage, type KeyValueStorage } from '@meshpad/client';

/**
 * This browser's `localStorage`, or memory when the browser refuses storage (cookies disabled, some private modes).
 * A write the browser rejects (quota full) is dropped: Meshpad keeps working and only forgets names and the
 * recent-documents list, which is better than failing to open a document.
 */
export const browserStorage = (): KeyValueStorage => {
  let storage: Storage;
  try {
    storage = window.localStorage;
    storage.getItem('meshpad.probe');
  } catch {
    return createMemoryStorage();
  }
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => {
      try {
        storage.setItem(key, value);
      } catch {
        // Dropped on purpose; see above.
      }
    },
  };
};
