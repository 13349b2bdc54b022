/**
 * The STUN and TURN servers the app's WebRTC mesh uses, set at build time as JSON in `VITE_MESHPAD_ICE_SERVERS`
 * (for example `[{"urls":"stun:stun.example.com:3478"}]`). None by default: peers then connect directly only where
 * their own addresses reach each other (the same network), and everyone else goes through the relay. A value that is
 * not a list of `{ urls }` objects is a build mistake, so it throws.
 */
export const parseIceServers = (json: string | undefined): RTCIceServer[] => {
  if (json === undefined || json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new TypeError(`VITE_MESHPAD_ICE_SERVERS is not JSON: ${json}`, { cause });
  }
  const isServer = (entry: unknown): entry is RTCIceServer => {
    if (typeof entry !== 'object' || entry === null) return false;
    const { urls } = entry as { urls?: unknown };
    return typeof urls === 'string' || (Array.isArray(urls) && urls.every((url) => typeof url === 'string'));
  };
  if (!Array.isArray(value) || !value.every(isServer)) {
    throw new TypeError(`VITE_MESHPAD_ICE_SERVERS must be a JSON list of { "urls": … } objects, got ${json}`);
  }
  return value;
};

/** The ICE servers of this build. */
export const iceServers = (): RTCIceServer[] => parseIceServers(import.meta.env.VITE_MESHPAD_ICE_SERVERS);
