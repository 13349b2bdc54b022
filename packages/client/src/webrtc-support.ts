/**
 * Whether `scope` (the global object by default) can make WebRTC connections. y-webrtc's simple-peer throws on the
 * first peer it meets when it cannot, so a session checks first and stays relay-only instead.
 */
export const hasWebRtc = (scope: object = globalThis): boolean =>
  typeof (scope as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function';
