/** Rejects {@link DocSession.whenSynced} promises that were still waiting when the session was destroyed. */
export class SessionDestroyedError extends Error {
  override readonly name = 'SessionDestroyedError';

  constructor(readonly docId: string) {
    super(`The session for document ${docId} was destroyed before it synced`);
  }
}
