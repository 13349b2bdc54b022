import type { PeerRoute } from '@meshpad/client';

/** How a collaborator's route is shown: a short label beside the name, and a sentence for its tooltip. */
export interface RouteText {
  readonly label: string;
  readonly sentence: string;
}

/** Describes how a collaborator reaches this browser, in plain words. */
export const describeRoute = (route: PeerRoute): RouteText => {
  switch (route) {
    case 'direct':
      return { label: 'peer-to-peer', sentence: 'Connected directly: edits go straight between your browsers.' };
    case 'same-browser':
      return { label: 'this browser', sentence: 'Another tab or window of this browser.' };
    case 'relay':
      return { label: 'via relay', sentence: 'No direct connection: edits go through the relay.' };
    case 'mesh':
      return { label: 'via peers', sentence: 'Reached through other people’s browsers, not directly or by the relay.' };
  }
};
