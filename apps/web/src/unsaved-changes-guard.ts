import type { DocSession } from '@meshpad/client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Asks the browser to warn before the page is left while a change exists only in this tab's memory (not yet written
 * to the local copy, nor stored by the relay): closing it then would lose that change.
 */
export class UnsavedChangesGuard implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly session: () => DocSession | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('beforeunload', this.onBeforeUnload);
  }

  hostDisconnected(): void {
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  private readonly onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (this.session()?.hasChangesOnlyInMemory !== true) return;
    event.preventDefault();
    // Older browsers show the warning only when returnValue is set.
    event.returnValue = '';
  };
}
