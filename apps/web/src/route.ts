import { isDocId } from '@meshpad/client';

/** Which page a path shows. */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'doc'; readonly docId: string }
  | { readonly page: 'not-found'; readonly path: string };

/** The path of a document's page. */
export const docPath = (docId: string): string => `/d/${docId}`;

/** Maps a URL path to the page it shows; a malformed document id is `not-found`, never a document. */
export const parseRoute = (pathname: string): Route => {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (match !== null && isDocId(match[1]!)) return { page: 'doc', docId: match[1]! };
  return { page: 'not-found', path: pathname };
};
