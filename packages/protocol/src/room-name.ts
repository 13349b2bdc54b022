import { MAX_ROOM_NAME_LENGTH } from './limits.js';
import { err, ok, type Result } from './result.js';

/**
 * Turns the URL path segment after `/yjs/` into a room name. y-websocket appends the room name to
 * the server URL as is, so names may contain slashes and percent-escapes.
 */
export function parseRoomName(pathAfterPrefix: string): Result<string, string> {
  let name: string;
  try {
    name = decodeURIComponent(pathAfterPrefix);
  } catch {
    return err('the room name is not valid percent-encoded UTF-8');
  }
  if (name.length === 0) return err('the room name is empty');
  if (name.length > MAX_ROOM_NAME_LENGTH) {
    return err(`the room name has ${name.length} characters; at most ${MAX_ROOM_NAME_LENGTH} are allowed`);
  }
  // Control characters would end up in log lines and storage keys.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return err('the room name contains a control character');
  }
  return ok(name);
}
