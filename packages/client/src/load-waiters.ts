interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Promises waiting for a session to load: all settle together, once. */
export class LoadWaiters {
  private waiters: Waiter[] = [];

  /** A promise that settles on the next `resolveAll` or `rejectAll`. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  resolveAll(): void {
    for (const waiter of this.take()) waiter.resolve();
  }

  rejectAll(error: Error): void {
    for (const waiter of this.take()) waiter.reject(error);
  }

  private take(): Waiter[] {
    const waiters = this.waiters;
    this.waiters = [];
    return waiters;
  }
}
