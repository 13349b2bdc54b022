import { isDocId } from '@meshpad/client';

/** Which page a path shows. */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'doc'; readonly docId: string; readonly workspaceId?: string }
  | { readonly page: 'workspace'; readonly workspaceId: string }
  | { readonly page: 'not-found'; readonly path: string };

/** The path of a document's page. */
export const docPath = (docId: string): string => `/d/${docId}`;

/** The path of a workspace's page (workspace ids are made like document ids). */
export const workspacePath = (workspaceId: string): string => `/w/${workspaceId}`;

/** The path of a document opened from a workspace: the editor, with the workspace's title for it. */
export const workspaceDocPath = (workspaceId: string, docId: string): string => `/w/${workspaceId}/d/${docId}`;

/** Maps a URL path to the page it shows; a malformed document or workspace id is `not-found`, never a page. */
export const parseRoute = (pathname: string): Route => {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (match !== null && isDocId(match[1]!)) return { page: 'doc', docId: match[1]! };
  const workspace = /^\/w\/([^/]+)(?:\/d\/([^/]+))?\/?$/.exec(pathname);
  const workspaceId = workspace?.[1];
  if (workspaceId !== undefined && isDocId(workspaceId)) {
    const docId = workspace?.[2];
    if (docId === undefined) return { page: 'workspace', workspaceId };
    if (isDocId(docId)) return { page: 'doc', docId, workspaceId };
  }
  return { page: 'not-found', path: pathname };
};
