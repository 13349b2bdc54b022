import type { DocAccess } from './doc-access.js';
import { ACCESS_SCOPES, type AccessScope, documentLink } from './link-fragment.js';

/** The link of each token this browser holds for a document, with its room key when it has one. */
export const shareLinks = (
  origin: string,
  docId: string,
  key: string | undefined,
  access: DocAccess,
): Partial<Record<AccessScope, string>> =>
  Object.fromEntries(
    ACCESS_SCOPES.flatMap((scope) => {
      const token = access[scope];
      return token === undefined ? [] : [[scope, documentLink(origin, docId, { key, scope, token })]];
    }),
  );

/** What a link of each scope lets whoever holds it do, in a sentence. */
export const SCOPE_TEXT: Readonly<Record<AccessScope, string>> = {
  owner: 'Whoever has it can edit, make new links and revoke the others. Keep it to yourself.',
  edit: 'Anyone with this link can read and edit the document.',
  view: 'Anyone with this link can read the document and see who is in it, but not change it.',
};

/** The sentence the share dialog shows when the relay runs in open mode. */
export const OPEN_MODE_NOTE =
  'This relay runs in open mode: anyone who can reach it can edit any document, so view links do not stop editing.';
