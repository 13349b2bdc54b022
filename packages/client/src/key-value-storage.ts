/**
 * The part of the Web Storage API that Meshpad uses to remember things in this browser. The web app passes
 * `localStorage`; Node tests and browsers without storage pass {@link createMemoryStorage}.
 * Both methods may throw (a full or disabled storage), and callers let those errors propagate.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** A storage that keeps values in memory only, for tests and for browsers where `localStorage` is unavailable. */
export const createMemoryStorage = (): KeyValueStorage => {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value);
    },
  };
};
