import { newDocId } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { docPath, parseRoute } from './route.js';

describe('parseRoute', () => {
  it('shows the home page at the root', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('')).toEqual({ page: 'home' });
  });

  it('opens a document at /d/<id>, with or without a trailing slash', () => {
    const docId = newDocId();
    expect(parseRoute(`/d/${docId}`)).toEqual({ page: 'doc', docId });
    expect(parseRoute(`/d/${docId}/`)).toEqual({ page: 'doc', docId });
  });

  it('round-trips docPath', () => {
    const docId = newDocId();
    expect(parseRoute(docPath(docId))).toEqual({ page: 'doc', docId });
  });

  it.each([
    '/d/',
    '/d/short',
    `/d/${'A'.repeat(21)}%2F`,
    `/d/${'A'.repeat(22)}/extra`,
    `/x/${'A'.repeat(22)}`,
    '/index.html',
  ])('does not open a document for %s', (path) => {
    expect(parseRoute(path)).toEqual({ page: 'not-found', path });
  });
});
