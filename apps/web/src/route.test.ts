import { newDocId } from '@meshpad/client';
import { describe, expect, it } from 'vitest';
import { docPath, parseRoute, workspaceDocPath, workspacePath } from './route.js';

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

  it('opens a workspace at /w/<id>, and a document from it at /w/<id>/d/<docId>', () => {
    const workspaceId = newDocId();
    const docId = newDocId();
    expect(parseRoute(`/w/${workspaceId}`)).toEqual({ page: 'workspace', workspaceId });
    expect(parseRoute(`/w/${workspaceId}/`)).toEqual({ page: 'workspace', workspaceId });
    expect(parseRoute(workspacePath(workspaceId))).toEqual({ page: 'workspace', workspaceId });
    expect(parseRoute(workspaceDocPath(workspaceId, docId))).toEqual({ page: 'doc', docId, workspaceId });
    expect(parseRoute(`${workspaceDocPath(workspaceId, docId)}/`)).toEqual({ page: 'doc', docId, workspaceId });
    expect(parseRoute(docPath(docId))).not.toHaveProperty('workspaceId');
  });

  it.each([
    '/w/',
    '/w/short',
    `/w/${'A'.repeat(22)}/d/`,
    `/w/${'A'.repeat(22)}/d/short`,
    `/w/short/d/${'A'.repeat(22)}`,
    `/w/${'A'.repeat(22)}/x/${'A'.repeat(22)}`,
    `/w/${'A'.repeat(22)}/d/${'A'.repeat(22)}/extra`,
  ])('does not open a workspace for %s', (path) => {
    expect(parseRoute(path)).toEqual({ page: 'not-found', path });
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
