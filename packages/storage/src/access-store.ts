/** The capabilities a document has: holding a token of one is the permission (PROTOCOL.md, "Access control"). */
export type CapabilityScope = 'view' | 'edit' | 'owner';

/** Every capability scope. */
export const CAPABILITY_SCOPES: readonly CapabilityScope[] = ['view', 'edit', 'owner'];

/** Throws a `RangeError` unless `scope` is one of `CAPABILITY_SCOPES`. */
export function assertCapabilityScope(scope: unknown): asserts scope is CapabilityScope {
  if (!CAPABILITY_SCOPES.includes(scope as CapabilityScope)) {
    const shown = typeof scope === 'string' ? JSON.stringify(scope) : String(scope);
    throw new RangeError(`Unknown capability scope ${shown}: expected one of ${CAPABILITY_SCOPES.join(', ')}`);
  }
}

/**
 * The generation of each capability of a document. Rotating a capability increments its generation,
 * which revokes every token minted for an older one.
 */
export interface Generations {
  readonly view: number;
  readonly edit: number;
  readonly owner: number;
}

/**
 * Where a relay keeps each document's capability generations. A document nobody registered or
 * rotated has no record: its generations are all 0. Records outlive `DocStore.delete`, so tokens of a
 * deleted document never come back to life.
 *
 * Backends implement it beside `DocStore`, in the same storage, so that `register` can see whether
 * a document has stored updates. Every method validates its arguments as `DocStore` does, rejects
 * with `StoreClosedError` after `close()`, and is atomic: rotations started together each return
 * a distinct generation.
 */
export interface AccessStore {
  /** The document's generations, or undefined when it has no record. */
  generations(docName: string): Promise<Generations | undefined>;
  /**
   * Records a new document with every generation at 0, and the room it belongs to (`parent`, e.g. its
   * workspace), whose tokens then open it too. Resolves undefined, changing nothing, when the document
   * already has a record or any stored update (its id is taken).
   */
  register(docName: string, parent?: string): Promise<Generations | undefined>;
  /** The room the document was registered in, or undefined when it was registered alone or not at all. */
  parent(docName: string): Promise<string | undefined>;
  /**
   * Increments one generation (creating the record at 0 first when there is none) and returns the
   * new ones. Rejects with a `RangeError` for a scope not in `CAPABILITY_SCOPES`.
   */
  rotate(docName: string, scope: CapabilityScope): Promise<Generations>;
}
