import { eventually } from './eventually.js';

/** Pending timers in this process. */
export const timeouts = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/**
 * Waits until no timer is pending: earlier tests' sessions leave a last reconnect timer that runs out
 * within the provider's backoff, and a count taken meanwhile would be thrown off by it.
 */
export const noTimersPending = (message: string): Promise<void> => eventually(() => timeouts() === 0, message, 5_000);
