import { AccessDenial, CloseCode, type CloseCodeInfo, err, ok, type Result } from '@meshpad/protocol';
import type { AccessStore, CapabilityScope, Generations } from '@meshpad/storage';
import type { Grant, TokenRefusal } from './grant.js';

/** `required`: every connection needs a token. `open`: one without a token may edit; a bad token is still refused. */
export type AuthMode = 'required' | 'open';

/** Checks a token's signature and claims; the relay's `TokenAuthority`. */
export interface TokenVerifier {
  verify(token: string): Promise<Result<Grant, TokenRefusal>>;
}

/** What a connection may do in its room. */
export interface Access {
  readonly scope: CapabilityScope;
  /** The token's grant; undefined for a connection without a token in open mode. */
  readonly grant: Grant | undefined;
}

/** Why a connection was refused: the close code for WebSockets, the status for HTTP, and a reason for the client. */
export interface AccessRefusal {
  readonly code: CloseCodeInfo;
  readonly status: 401 | 403;
  /** Sent to the client, as the close frame's reason or the HTTP error. */
  readonly reason: AccessDenial;
  /** For the relay log, with what to do; never quotes the token. */
  readonly detail: string;
}

const ZERO: Generations = { view: 0, edit: 0, owner: 0 };

/** Generations kept in memory; past it the least recently used are read again from the store. */
const MAX_CACHED_ROOMS = 10_000;

const RANK: Record<CapabilityScope, number> = { view: 0, edit: 1, owner: 2 };

/** Whether a connection holding `scope` may do what `needed` allows. */
export const allows = (scope: CapabilityScope, needed: CapabilityScope): boolean => RANK[scope] >= RANK[needed];

const unauthorized = (reason: AccessDenial, detail: string): AccessRefusal => ({
  code: CloseCode.Unauthorized,
  status: 401,
  reason,
  detail,
});
const forbidden = (reason: AccessDenial, detail: string): AccessRefusal => ({
  code: CloseCode.Forbidden,
  status: 403,
  reason,
  detail,
});

/**
 * Decides who may open a room: verifies the token (before anything of the room is read), checks it is
 * for this room and of the capability's current generation, and rotates generations, telling its
 * listeners so that they close connections holding revoked tokens.
 */
export class AccessGate {
  readonly #cache = new Map<string, Generations>();
  readonly #loading = new Map<string, Promise<Generations>>();
  /** Parents never change once registered; null: the room has none. */
  readonly #parents = new Map<string, string | null>();
  readonly #listeners = new Set<(room: string, generations: Generations) => void>();

  constructor(
    readonly mode: AuthMode,
    private readonly verifier: TokenVerifier,
    private readonly store: AccessStore,
  ) {}

  /**
   * Whom `token` (undefined: none was presented) lets into `room` (undefined: the token's own), with at
   * least `needed`.
   */
  async check(
    token: string | undefined,
    room: string | undefined,
    needed: CapabilityScope = 'view',
  ): Promise<Result<Access, AccessRefusal>> {
    if (token === undefined || token === '') {
      if (this.mode === 'open' && allows('edit', needed)) return ok({ scope: 'edit', grant: undefined });
      const detail = this.mode === 'open' ? `an ${needed} token is needed for this` : 'this relay requires one';
      return err(unauthorized(AccessDenial.TokenRequired, `no token: ${detail}`));
    }
    const verified = await this.verifier.verify(token);
    if (!verified.ok) {
      if (verified.error.kind === 'expired') return err(forbidden(AccessDenial.Expired, verified.error.message));
      return err(unauthorized(AccessDenial.InvalidToken, `${verified.error.kind}: ${verified.error.message}`));
    }
    const grant = verified.value;
    // A workspace's token opens the documents registered in it, with its scope and generations.
    if (room !== undefined && grant.room !== room && (await this.parentOf(room)) !== grant.room) {
      return err(forbidden(AccessDenial.OtherDocument, 'the token is for another document'));
    }
    if (!allows(grant.scope, needed)) {
      return err(forbidden(AccessDenial.NotAllowed, `a ${grant.scope} token does not allow ${needed} access`));
    }
    if (grant.gen !== undefined && grant.gen !== (await this.generations(grant.room))[grant.scope]) {
      return err(
        forbidden(AccessDenial.Revoked, `the ${grant.scope} capability was rotated since this token was minted`),
      );
    }
    return ok({ scope: grant.scope, grant });
  }

  /** Whether `grant` is still of its capability's current generation (always, for a token without one). */
  isCurrent(grant: Grant, generations: Generations): boolean {
    return grant.gen === undefined || grant.gen === generations[grant.scope];
  }

  /** The room's current generations, from memory when it has them. */
  async generations(room: string): Promise<Generations> {
    const cached = this.#cache.get(room);
    if (cached !== undefined) {
      this.#cache.delete(room);
      this.#cache.set(room, cached);
      return cached;
    }
    let loading = this.#loading.get(room);
    if (loading === undefined) {
      loading = this.store.generations(room).then(
        (stored) => {
          this.#loading.delete(room);
          // A rotation while this read was under way left the newer generations here.
          const generations = this.#cache.get(room) ?? stored ?? ZERO;
          this.#remember(room, generations);
          return generations;
        },
        (cause: unknown) => {
          this.#loading.delete(room);
          throw cause;
        },
      );
      this.#loading.set(room, loading);
    }
    return loading;
  }

  /** The generations in memory, without reading the store. */
  cachedGenerations(room: string): Generations | undefined {
    return this.#cache.get(room);
  }

  /** Registers a new room, in `parent` if given; undefined when its id is taken. */
  async register(room: string, parent?: string): Promise<Generations | undefined> {
    const generations = await this.store.register(room, parent);
    if (generations === undefined) return undefined;
    this.#remember(room, generations);
    this.#rememberParent(room, parent ?? null);
    return generations;
  }

  /** The room `room` was registered in, read once. Asked only for a verified token of another room. */
  async parentOf(room: string): Promise<string | undefined> {
    let parent = this.#parents.get(room);
    if (parent === undefined) {
      parent = (await this.store.parent(room)) ?? null;
      this.#rememberParent(room, parent);
    }
    return parent ?? undefined;
  }

  #rememberParent(room: string, parent: string | null): void {
    this.#parents.set(room, parent);
    if (this.#parents.size > MAX_CACHED_ROOMS) this.#parents.delete(this.#parents.keys().next().value as string);
  }

  /** Revokes every token of `scope` for `room`: its generation moves on, and listeners close what held the old one. */
  async rotate(room: string, scope: CapabilityScope): Promise<Generations> {
    const generations = await this.store.rotate(room, scope);
    this.#remember(room, generations);
    for (const listener of this.#listeners) listener(room, generations);
    return generations;
  }

  /** Calls `listener` after every rotation; returns how to stop. */
  onRotate(listener: (room: string, generations: Generations) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #remember(room: string, generations: Generations): void {
    this.#cache.delete(room);
    this.#cache.set(room, generations);
    if (this.#cache.size > MAX_CACHED_ROOMS) this.#cache.delete(this.#cache.keys().next().value as string);
  }
}
