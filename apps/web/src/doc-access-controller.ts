import type { KeyValueStorage } from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  adoptLinkTokens,
  type DocAccess,
  readDocAccess,
  sessionToken,
  updateDocAccess,
  withTokens,
} from './doc-access.js';
import { registerDoc } from './doc-registration.js';
import type { AccessScope } from './link-fragment.js';
import { fetchRelayInfo, mintToken, type RelayApiResult, type RelayInfo, rotateCapability } from './relay-api.js';

/** Longest a new document's session waits for its registration before it connects without the owner's token. */
const REGISTRATION_WAIT_MS = 3000;

export interface DocAccessControllerOptions {
  readonly docId: string;
  readonly storage: KeyValueStorage;
  /** The relay's origin, where its API is. */
  readonly origin: string;
  /** Called when the token a session should present changed (registered, or a link brought a stronger one). */
  readonly onSessionTokenChange: () => void;
}

/**
 * The access this browser holds to one document: takes the tokens of the link it was opened with (and clears them
 * from the address bar, where they would be shared with a screenshot or the history), registers a document created
 * here once the relay can be reached, asks the relay its access mode, and rotates links for the owner.
 *
 * Add it to the page before the session's controller: the session reads {@link sessionToken} of `access` when it
 * starts.
 */
export class DocAccessController implements ReactiveController {
  access: DocAccess = {};
  /** The relay's mode, once known; undefined while offline or against a relay without the API. */
  info: RelayInfo | undefined;
  /**
   * Settles once a document created here is registered, or after at most {@link REGISTRATION_WAIT_MS}: the session
   * waits for it, so that it connects with the owner's token at once. Undefined when there is nothing to wait for.
   */
  registration: Promise<void> | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: () => DocAccessControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    const { docId, storage } = this.options();
    const hash = adoptLinkTokens(storage, docId, location.hash);
    if (hash !== undefined) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
    this.access = readDocAccess(storage, docId);
    window.addEventListener('online', this.onOnline);
    this.onOnline();
  }

  hostDisconnected(): void {
    this.connected = false;
    window.removeEventListener('online', this.onOnline);
  }

  /**
   * Revokes every link of `scope` and keeps the new token, which the share dialog then shows. Needs the owner token;
   * answers the relay's refusal otherwise.
   */
  rotate(scope: AccessScope): Promise<RelayApiResult<string>> {
    return this.asOwner(scope, (origin, docId, owner) => rotateCapability(origin, docId, scope, owner));
  }

  /** Gets a token of `scope` without revoking any (an owner whose link came from the operator holds no other). */
  mint(scope: AccessScope): Promise<RelayApiResult<string>> {
    return this.asOwner(scope, (origin, docId, owner) => mintToken(origin, docId, scope, owner));
  }

  private async asOwner(
    scope: AccessScope,
    call: (origin: string, docId: string, owner: string) => Promise<RelayApiResult<{ readonly token: string }>>,
  ): Promise<RelayApiResult<string>> {
    const { docId, storage, origin } = this.options();
    const owner = this.access.owner;
    if (owner === undefined) {
      return {
        ok: false,
        error: { code: 'refused', status: 403, message: 'this browser does not hold the owner link' },
      };
    }
    const result = await call(origin, docId, owner);
    if (!result.ok) return result;
    updateDocAccess(storage, docId, withTokens({ [scope]: result.value.token }));
    this.reload();
    return { ok: true, value: result.value.token };
  }

  /** Back online (or just opened): register a document created here, and learn the relay's mode. */
  private readonly onOnline = (): void => {
    const { docId, storage, origin } = this.options();
    if (this.access.unregistered === true && navigator.onLine) {
      const registered = registerDoc(storage, origin, docId).then(() => this.reload());
      this.registration = Promise.race([
        registered,
        new Promise<void>((resolve) => setTimeout(resolve, REGISTRATION_WAIT_MS)),
      ]);
    }
    if (this.info === undefined) {
      void fetchRelayInfo(origin).then((result) => {
        if (!result.ok || !this.connected) return;
        this.info = result.value;
        this.host.requestUpdate();
      });
    }
  };

  /** Reads the stored access again; tells the page when the session's token changed. */
  private reload(): void {
    if (!this.connected) return;
    const { docId, storage, onSessionTokenChange } = this.options();
    const before = sessionToken(this.access);
    this.access = readDocAccess(storage, docId);
    this.host.requestUpdate();
    if (sessionToken(this.access) !== before) onSessionTokenChange();
  }
}
