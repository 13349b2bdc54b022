import { LocalStoreError, relayClose, type SessionStatus } from '@meshpad/client';
import { CloseCode } from '@meshpad/protocol';
import { describe, expect, it } from 'vitest';
import { describeLocalCopyProblem, describeSaveStatus, unsavedLabel } from './save-status-text.js';

const status = (overrides: Partial<SessionStatus>): SessionStatus => ({
  connection: 'connected',
  synced: true,
  loaded: true,
  unsaved: 0,
  localCopy: { state: 'ready' },
  relayClose: undefined,
  access: 'edit',
  ...overrides,
});

describe('describeSaveStatus', () => {
  it('says "All changes saved" only when no change is unconfirmed', () => {
    expect(describeSaveStatus(status({}))).toMatchObject({ label: 'All changes saved', tone: 'ok' });
    expect(describeSaveStatus(status({ unsaved: 1 }))?.label).toBe('1 change not saved yet');
    expect(describeSaveStatus(status({ unsaved: 12 }))?.label).toBe('12 changes not saved yet');
  });

  it('tells an offline user their changes are kept in the browser, or only in the tab when storage fails', () => {
    const offline = describeSaveStatus(status({ connection: 'offline', synced: false, unsaved: 3 }));
    expect(offline?.sentence).toMatch(/kept in this browser/);
    const error = new LocalStoreError('unavailable', 'no IndexedDB');
    const tabOnly = describeSaveStatus(status({ unsaved: 3, localCopy: { state: 'failed', error } }));
    expect(tabOnly).toMatchObject({ tone: 'bad', sentence: expect.stringMatching(/only in this tab/) });
  });

  it('says the changes no longer go to the relay after a permanent close, and wait for room at its size limit', () => {
    const refused = relayClose(CloseCode.InvalidUpdate.code, 'invalid update');
    const stopped = describeSaveStatus(status({ connection: 'offline', unsaved: 2, relayClose: refused }));
    expect(stopped).toMatchObject({ tone: 'bad', sentence: expect.stringMatching(/no longer takes them/) });
    const tooLarge = relayClose(CloseCode.DocumentTooLarge.code, 'document over its size limit');
    expect(describeSaveStatus(status({ unsaved: 2, relayClose: tooLarge }))?.sentence).toMatch(
      /until the relay has room/,
    );
  });

  it('says nothing before the document has loaded', () => {
    expect(describeSaveStatus(status({ loaded: false, connection: 'connecting' }))).toBeUndefined();
  });
});

describe('describeLocalCopyProblem', () => {
  it('explains each storage error with something to do', () => {
    for (const code of ['unavailable', 'quota-exceeded', 'failed'] as const) {
      const problem = describeLocalCopyProblem({ state: 'failed', error: new LocalStoreError(code, 'disk error') });
      expect(problem?.title).not.toBe('');
      expect(problem?.advice).toMatch(/keep this tab open/i);
    }
    expect(describeLocalCopyProblem({ state: 'ready' })).toBeUndefined();
    expect(describeLocalCopyProblem({ state: 'off' })).toBeUndefined();
  });

  it('points a full disk at removing local copies', () => {
    const problem = describeLocalCopyProblem({ state: 'failed', error: new LocalStoreError('quota-exceeded', 'x') });
    expect(problem?.advice).toMatch(/home page/);
  });
});

describe('unsavedLabel', () => {
  it('agrees in number', () => {
    expect(unsavedLabel(1)).toBe('1 change not saved yet');
    expect(unsavedLabel(2)).toBe('2 changes not saved yet');
  });
});
