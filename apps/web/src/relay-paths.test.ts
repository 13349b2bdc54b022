import { describe, expect, it } from 'vitest';
import { isRelayPath } from './relay-paths.js';

describe('isRelayPath', () => {
  it('claims the relay’s API and endpoints, and leaves the app’s pages', () => {
    for (const path of ['/api/info', '/api/docs/x/rotate', '/api/openapi.json', '/yjs/doc', '/signal', '/healthz']) {
      expect(isRelayPath(path), path).toBe(true);
    }
    for (const path of ['/', '/d/AAAAAAAAAAAAAAAAAAAAAQ', '/w/AAAAAAAAAAAAAAAAAAAAAQ', '/apis', '/assets/a.js']) {
      expect(isRelayPath(path), path).toBe(false);
    }
  });
});
