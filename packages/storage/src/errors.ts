/** The `DocStore` or `AccessStore` operation an error comes from (`open` is a backend's constructor). */
export type StoreOperation =
  | 'open'
  | 'load'
  | 'append'
  | 'compact'
  | 'logStats'
  | 'list'
  | 'delete'
  | 'check'
  | 'sync'
  | 'close'
  | 'generations'
  | 'register'
  | 'parent'
  | 'rotate';

/** Every call made after `close()` rejects with this. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';
  readonly operation: StoreOperation;

  constructor(operation: StoreOperation) {
    super(`Cannot ${operation}: the document store is closed`);
    this.operation = operation;
  }
}

/** The backend failed to carry out an operation; `cause` holds the backend's own error. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly operation: StoreOperation;
  /** The documents the operation touched; empty for store-wide operations. */
  readonly docNames: readonly string[];

  /** `where` names the backend's location (a file, a URL) when that helps whoever reads the message. */
  constructor(operation: StoreOperation, docNames: readonly string[], cause: unknown, where?: string) {
    const target = docNames.length > 0 ? ` for ${describeDocNames(docNames)}` : '';
    const location = where === undefined ? '' : ` (${where})`;
    super(`Storage ${operation} failed${target}${location}: ${describeCause(cause)}`, { cause });
    this.operation = operation;
    this.docNames = docNames;
  }
}

/** The misuse `compact` reports: a snapshot cannot cover entries that were never appended. */
export function clockAheadError(docName: string, clock: number, current: number): RangeError {
  return new RangeError(`Cannot compact "${docName}" at clock ${clock}: its newest entry is at clock ${current}`);
}

const MAX_NAMES_IN_MESSAGE = 3;

function describeDocNames(names: readonly string[]): string {
  const shown = names
    .slice(0, MAX_NAMES_IN_MESSAGE)
    .map((name) => JSON.stringify(name))
    .join(', ');
  const rest = names.length - MAX_NAMES_IN_MESSAGE;
  const noun = names.length === 1 ? 'document' : 'documents';
  return rest > 0 ? `${noun} ${shown} and ${rest} more` : `${noun} ${shown}`;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}
