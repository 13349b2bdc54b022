/** A keyboard shortcut the editor offers, in CodeMirror key notation (`Mod` is Ctrl, or ⌘ on Apple devices). */
export interface Shortcut {
  readonly keys: readonly string[];
  readonly action: string;
}

/** The shortcuts listed in the keyboard shortcuts panel; each is bound in the editor's keymap. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Mod-z'], action: 'Undo your last change' },
  { keys: ['Mod-Shift-z'], action: 'Redo your last undone change' },
  { keys: ['Mod-a'], action: 'Select all' },
  { keys: ['Mod-f'], action: 'Find and replace' },
  { keys: ['Mod-g', 'F3'], action: 'Find next' },
  { keys: ['Mod-Shift-g', 'Shift-F3'], action: 'Find previous' },
  { keys: ['Mod-d'], action: 'Select next occurrence' },
  { keys: ['Mod-Alt-g'], action: 'Go to line' },
  { keys: ['Escape'], action: 'Close the find panel' },
  { keys: ['Mod-]', 'Mod-['], action: 'Indent / outdent line' },
];

const APPLE_NAMES: Readonly<Record<string, string>> = { Mod: '⌘', Shift: '⇧', Alt: '⌥', Escape: 'Esc' };
const OTHER_NAMES: Readonly<Record<string, string>> = { Mod: 'Ctrl', Escape: 'Esc' };

/** Splits a key binding into the names of the keys to press, for the platform (`apple`: macOS and iOS). */
export const keyNames = (binding: string, apple: boolean): string[] => {
  const names = apple ? APPLE_NAMES : OTHER_NAMES;
  // The last key may itself be "-" or "[": split on "-" only between keys.
  return binding.split(/-(?!$)/).map((key) => names[key] ?? (key.length === 1 ? key.toUpperCase() : key));
};

/** Whether the browser runs on an Apple platform, where `Mod` means ⌘. */
export const isApplePlatform = (platform: string): boolean => /Mac|iPhone|iPad|iPod/i.test(platform);
