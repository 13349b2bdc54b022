import { PEER_ROUTES } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { describeRoute } from './route-text.js';

describe('describeRoute', () => {
  it('names the direct route peer-to-peer and the relay route as such', () => {
    expect(describeRoute('direct').label).toBe('peer-to-peer');
    expect(describeRoute('relay').label).toBe('via relay');
  });

  it('has a distinct label and a sentence for every route', () => {
    const texts = PEER_ROUTES.map(describeRoute);
    expect(new Set(texts.map((t) => t.label)).size).toBe(PEER_ROUTES.length);
    for (const text of texts) expect(text.sentence).toMatch(/\.$/);
  });
});
