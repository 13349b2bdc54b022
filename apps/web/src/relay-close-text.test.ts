import { type LocalCopyStatus, LocalStoreError, relayClose } from '@meshpad/client';
import { CloseCode, type CloseCodeName, isPermanentClose } from '@meshpad/protocol';
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

describe('transientCloseReason', () => {
  it('names the reason while reconnecting, and nothing once connected or for closes explained elsewhere', () => {
    expect(transientCloseReason(closedWith('DiskFull'))).toBe('The relay’s disk is full.');
    expect(transientCloseReason(closedWith('DiskFull', { connection: 'connected' }))).toBeUndefined();
    expect(transientCloseReason(closedWith('InvalidUpdate'))).toBeUndefined();
    expect(transientCloseReason(closedWith('DocumentTooLarge'))).toBeUndefined();
  });
});
