/**
 * Milliseconds on CLOCK_MONOTONIC: the same clock in every process on this machine, so a send time
 * taken in one client process and a receive time taken in another can be subtracted.
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
