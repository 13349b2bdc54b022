import { type WorkspaceDocument, type WorkspaceProblem, WorkspaceSession, type WorkspaceStatus } from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { DeferredStart } from './deferred-start.js';

export interface WorkspaceSessionControllerOptions {
  readonly workspaceId: string;
  readonly relayUrl: string;
  /** The workspace's access token this browser holds, if any. */
  readonly token?: string | undefined;
  /** Settles when the session may start (a workspace created here is registered first, briefly). */
  readonly ready?: Promise<unknown> | undefined;
}

/**
 * Gives an element a live workspace: opens a {@link WorkspaceSession} when the element connects (if `options()` names
 * one), re-renders it on every status, list, name and problem, and destroys the session when the element disconnects.
 */
export class WorkspaceSessionController implements ReactiveController {
  session: WorkspaceSession | undefined;
  status: WorkspaceStatus = {
    connection: 'connecting',
    synced: false,
    loaded: false,
    relayClose: undefined,
    access: 'none',
  };
  documents: readonly WorkspaceDocument[] = [];
  name: string | undefined;
  /** The last piece of workspace data that could not be used, if any. */
  problem: WorkspaceProblem | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: () => WorkspaceSessionControllerOptions | undefined,
  ) {
    host.addController(this);
  }

  private readonly deferred = new DeferredStart();

  hostConnected(): void {
    this.deferred.run(this.options()?.ready, () => this.start());
  }

  /** Closes the session and opens a new one with the current options, e.g. after its token changed. */
  restart(): void {
    this.hostDisconnected();
    this.hostConnected();
  }

  private start(): void {
    const options = this.options();
    if (options === undefined) return;
    const { workspaceId, relayUrl, token } = options;
    const session = new WorkspaceSession({ workspaceId, relayUrl, ...(token === undefined ? {} : { token }) });
    session.on('status', this.onStatus);
    session.on('documents', this.onDocuments);
    session.on('name', this.onName);
    session.on('problem', this.onProblem);
    this.session = session;
    this.status = session.status;
    this.documents = session.documents;
    this.name = session.name;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.deferred.cancel();
    const session = this.session;
    if (session === undefined) return;
    session.off('status', this.onStatus);
    session.off('documents', this.onDocuments);
    session.off('name', this.onName);
    session.off('problem', this.onProblem);
    session.destroy();
    this.session = undefined;
  }

  private readonly onStatus = (status: WorkspaceStatus): void => {
    this.status = status;
    this.host.requestUpdate();
  };

  private readonly onDocuments = (documents: readonly WorkspaceDocument[]): void => {
    this.documents = documents;
    this.host.requestUpdate();
  };

  private readonly onName = (name: string | undefined): void => {
    this.name = name;
    this.host.requestUpdate();
  };

  private readonly onProblem = (problem: WorkspaceProblem): void => {
    this.problem = problem;
    this.host.requestUpdate();
  };
}
