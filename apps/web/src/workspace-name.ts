/** The name shown for a workspace nobody has named. */
export const UNTITLED_WORKSPACE = 'Untitled workspace';

/** The name to show: the workspace's own, or a placeholder. */
export const displayWorkspaceName = (name: string | undefined): string => name || UNTITLED_WORKSPACE;
