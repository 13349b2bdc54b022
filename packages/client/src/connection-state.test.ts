import { describe, expect, it } from 'vitest';
import { type ConnectionState, nextConnectionState, type ProviderSignal } from './connection-state.js';

const run = (signals: ProviderSignal[], start: ConnectionState = 'connecting'): ConnectionState[] => {
  const seen: ConnectionState[] = [];
  let state = start;
  for (const signal of signals) {
    state = nextConnectionState(state, signal);
    seen.push(state);
  }
  return seen;
};

describe('nextConnectionState', () => {
  it('goes connecting → connected on a healthy start', () => {
    expect(run(['connecting', 'connected'])).toEqual(['connecting', 'connected']);
  });

  it('goes offline when an open connection drops', () => {
    expect(run(['connected', 'connection-closed', 'disconnected'])).toEqual(['connected', 'offline', 'offline']);
  });

  it('goes offline when the relay cannot be reached at all', () => {
    expect(run(['connecting', 'connection-error', 'connection-closed'])).toEqual(['connecting', 'offline', 'offline']);
  });

  it('stays offline while the provider retries, and recovers when a retry connects', () => {
    expect(run(['connection-closed', 'connecting', 'connection-closed', 'connecting', 'connected'])).toEqual([
      'offline',
      'offline',
      'offline',
      'offline',
      'connected',
    ]);
  });

  it('shows connecting again for a reconnect that starts from connected (no failure seen)', () => {
    expect(nextConnectionState('connected', 'connecting')).toBe('connecting');
  });

  it('maps every signal from every state to a known state', () => {
    const states: ConnectionState[] = ['connecting', 'connected', 'offline'];
    const signals: ProviderSignal[] = [
      'connecting',
      'connected',
      'disconnected',
      'connection-closed',
      'connection-error',
    ];
    for (const state of states) {
      for (const signal of signals) expect(states).toContain(nextConnectionState(state, signal));
    }
  });
});
