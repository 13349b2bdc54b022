import { type LocalCopyStatus, LocalStoreError, relayClose } from '@meshpad/client';
import { AccessDenial, CloseCode, type CloseCodeName, isPermanentClose } from '@meshpad/protocol';
import { describe, expect, it } from 'vitest';
import { describeRelayProblem, type RelayCloseStatus, transientCloseReason } from './relay-close-text.js';

const ready: LocalCopyStatus = { state: 'ready' };
const closedWith = (name: CloseCodeName, overrides: Partial<RelayCloseStatus> = {}): RelayCloseStatus => ({
  connection: 'offline',
  relayClose: relayClose(CloseCode[name].code, CloseCode[name].reason),
  localCopy: ready,
  ...overrides,
});

const names = Object.keys(CloseCode) as CloseCodeName[];
const permanentNames = names.filter((name) => isPermanentClose(CloseCode[name].code));

describe('describeRelayProblem', () => {
  it('explains every permanent close: the edits are kept here, syncing stopped, and what to do', () => {
    for (const name of permanentNames) {
      const problem = describeRelayProblem(closedWith(name));
      expect(problem, name).toBeDefined();
      expect(problem?.title, name).toMatch(/\.$/);
      expect(problem?.advice, name).toMatch(/^Your edits are kept in this browser, but they no longer reach the relay/);
      expect(problem?.advice, name).toMatch(/\.$|”\.$/);
    }
    expect(describeRelayProblem(closedWith('InvalidUpdate'))?.advice).toMatch(/Reload the page/);
    expect(describeRelayProblem(closedWith('Forbidden'))?.advice).toMatch(/Ask the document’s owner for access/);
    expect(describeRelayProblem(closedWith('UnknownMessageType'))?.advice).toMatch(
      /The relay said: “Unknown message type”/,
    );
  });

  it('says where the edits are when this browser cannot keep them, and for a workspace', () => {
    const failed: LocalCopyStatus = { state: 'failed', error: new LocalStoreError('unavailable', 'no IndexedDB') };
    expect(describeRelayProblem(closedWith('InvalidUpdate', { localCopy: failed }))?.advice).toMatch(
      /^Your edits are only in this tab, so keep it open/,
    );
    const { localCopy: _, ...workspace } = closedWith('Forbidden');
    expect(describeRelayProblem(workspace)?.advice).toMatch(/^Changes made here now stay in this tab only/);
  });

  it('explains the size limit whatever the connection does, with deleting still accepted', () => {
    for (const connection of ['connected', 'connecting', 'offline'] as const) {
      const problem = describeRelayProblem(closedWith('DocumentTooLarge', { connection }));
      expect(problem?.title).toBe('This document has reached the relay’s size limit.');
      expect(problem?.advice).toMatch(/Deleting text is still accepted/);
      expect(problem?.advice).toMatch(/newest edits stay in this browser/);
    }
    expect(describeRelayProblem(closedWith('MessageTooBig'))?.advice).toMatch(/smaller parts/);
  });

  it('has nothing to say about transient closes, a dropped connection, or a permanent close it reconnected from', () => {
    for (const name of names.filter((n) => !isPermanentClose(CloseCode[n].code))) {
      if (name === 'DocumentTooLarge' || name === 'MessageTooBig') continue;
      expect(describeRelayProblem(closedWith(name)), name).toBeUndefined();
    }
    expect(describeRelayProblem({ connection: 'offline', relayClose: relayClose(1006, '') })).toBeUndefined();
    expect(describeRelayProblem(closedWith('InvalidUpdate', { connection: 'connected' }))).toBeUndefined();
    expect(describeRelayProblem({ connection: 'offline', relayClose: undefined })).toBeUndefined();
  });
});

describe('describeRelayProblem for refused links', () => {
  const refused = (code: 4401 | 4403, reason: string): RelayCloseStatus => ({
    connection: 'offline',
    relayClose: relayClose(code, reason),
    localCopy: ready,
  });

  it('says a revoked or expired link keeps the edits made since in this tab, to copy', () => {
    const revoked = describeRelayProblem(refused(4403, AccessDenial.Revoked));
    expect(revoked?.title).toBe('Your link was revoked by the document’s owner.');
    expect(revoked?.advice).toMatch(/^Your edits made since are still here: copy them before closing this tab\./);
    const expired = describeRelayProblem(refused(4403, AccessDenial.Expired));
    expect(expired?.title).toBe('Your link has expired.');
    expect(expired?.advice).toMatch(/copy them before closing this tab\. .*ask the document’s owner for a new link\.$/);
  });

  it('says what to do about an invalid link, one for another document, and a relay that needs one', () => {
    expect(describeRelayProblem(refused(4401, AccessDenial.InvalidToken))?.advice).toMatch(/open the whole link again/);
    expect(describeRelayProblem(refused(4403, AccessDenial.OtherDocument))?.advice).toMatch(/a link to this one\.$/);
    const required = describeRelayProblem(refused(4401, AccessDenial.TokenRequired));
    expect(required?.title).toBe('This relay requires a link with access: ask the document’s owner.');
    expect(required?.advice).toMatch(/^Your edits are kept in this browser, but they no longer reach the relay/);
  });

  it('reads an unknown reason as a plain refusal, and says nothing once connected again', () => {
    expect(describeRelayProblem(refused(4403, 'something new'))?.title).toBe(
      'You no longer have access to this document on the relay.',
    );
    expect(describeRelayProblem({ ...refused(4403, AccessDenial.Revoked), connection: 'connected' })).toBeUndefined();
  });
});

describe('transientCloseReason', () => {
  it('names the reason while reconnecting, and nothing once connected or for closes explained elsewhere', () => {
    expect(transientCloseReason(closedWith('DiskFull'))).toBe('The relay’s disk is full.');
    expect(transientCloseReason(closedWith('DiskFull', { connection: 'connected' }))).toBeUndefined();
    expect(transientCloseReason(closedWith('InvalidUpdate'))).toBeUndefined();
    expect(transientCloseReason(closedWith('DocumentTooLarge'))).toBeUndefined();
  });
});
