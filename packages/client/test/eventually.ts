/**
 * Polls `check` until it returns true, failing with `message` once `timeoutMs` passes. Tests use this instead of
 * sleeping for a fixed time and then asserting.
 */
export const eventually = async (check: () => boolean, message: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
