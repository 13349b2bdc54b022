import { describe, expect, it } from 'vitest';
import { DocSession } from './doc-session.js';
import { DEFAULT_MAX_DIRECT_PEERS, meshState, peerMeshOptions } from './mesh-options.js';
import { meshRoomName } from './mesh-room.js';
import { DEFAULT_PEER_MESSAGE_LIMITS } from './peer-message-filter.js';

const DOC = 'AAAAAAAAAAAAAAAAAAAAAA';
class FakePeerConnection {}

describe('meshState', () => {
  it('is off when the options say false, whatever the runtime', () => {
    expect(meshState(false, { RTCPeerConnection: FakePeerConnection })).toBe('off');
  });

  it('is on where RTCPeerConnection exists, or a WebRTC implementation is given', () => {
    expect(meshState(undefined, { RTCPeerConnection: FakePeerConnection })).toBe('on');
    expect(meshState({ wrtc: {} }, {})).toBe('on');
  });

  it('is unsupported without WebRTC (Node, or a browser with WebRTC turned off)', () => {
    expect(meshState(undefined, {})).toBe('unsupported');
    expect(meshState({ password: 'k' }, { RTCPeerConnection: undefined })).toBe('unsupported');
  });
});

describe('peerMeshOptions', () => {
  it('signals through the relay, in the document’s room, with no ICE servers by default', () => {
    expect(peerMeshOptions(DOC, 'https://pad.example.com/base')).toEqual({
      signalingUrl: 'wss://pad.example.com/base/signal',
      roomName: meshRoomName(DOC),
      password: undefined,
      maxConnections: DEFAULT_MAX_DIRECT_PEERS,
      maxIncomingConnections: 2 * DEFAULT_MAX_DIRECT_PEERS,
      peerMessageLimits: DEFAULT_PEER_MESSAGE_LIMITS,
      iceServers: [],
      wrtc: undefined,
    });
  });

  it('takes a password, ICE servers, a bound and a signaling server', () => {
    const iceServers = [{ urls: 'stun:stun.example.com:3478' }];
    const options = peerMeshOptions(DOC, 'http://127.0.0.1:1', {
      password: 'k',
      iceServers,
      maxConnections: 3,
      signalingUrl: 'ws://127.0.0.1:2',
    });
    expect(options).toMatchObject({ password: 'k', iceServers, maxConnections: 3, signalingUrl: 'ws://127.0.0.1:2' });
    expect(options.roomName).toBe(meshRoomName(DOC, 'k'));
  });

  it('signals with the session’s token and meets the peers of its edit generation', () => {
    const options = peerMeshOptions(
      DOC,
      'https://pad.example.com',
      { password: 'k' },
      { token: 'a.b.c', editGeneration: 2 },
    );
    expect(options.signalingUrl).toBe('wss://pad.example.com/signal?token=a.b.c');
    expect(options.roomName).toBe(meshRoomName(DOC, 'k', 2));
    expect(peerMeshOptions(DOC, 'http://127.0.0.1:1', {}, { editGeneration: 0 }).roomName).toBe(meshRoomName(DOC));
  });

  it('accepts twice maxConnections offers by default, or what it is told; limits peer messages as told', () => {
    expect(peerMeshOptions(DOC, 'http://127.0.0.1:1', { maxConnections: 3 }).maxIncomingConnections).toBe(6);
    const options = peerMeshOptions(DOC, 'http://127.0.0.1:1', {
      maxConnections: 3,
      maxIncomingConnections: 4,
      peerMessageLimits: { maxAwarenessEntries: 50 },
    });
    expect(options.maxIncomingConnections).toBe(4);
    expect(options.peerMessageLimits).toEqual({ ...DEFAULT_PEER_MESSAGE_LIMITS, maxAwarenessEntries: 50 });
  });

  it.each([0, -1, 2.5, Number.NaN])(
    'rejects maxConnections, maxIncomingConnections or a peer message limit of %s',
    (n) => {
      const url = 'http://127.0.0.1:1';
      expect(() => peerMeshOptions(DOC, url, { maxConnections: n })).toThrow(RangeError);
      expect(() => peerMeshOptions(DOC, url, { maxIncomingConnections: n })).toThrow(RangeError);
      expect(() => peerMeshOptions(DOC, url, { peerMessageLimits: { maxMessageBytes: n } })).toThrow(
        /Invalid mesh peerMessageLimits.maxMessageBytes/,
      );
    },
  );
});

describe('DocSession mesh options', () => {
  it('refuses crossTab: false with the mesh on, since y-webrtc always uses BroadcastChannel', () => {
    expect(
      () =>
        new DocSession({
          docId: DOC,
          relayUrl: 'http://127.0.0.1:1',
          user: { name: 'Ada', colour: '#1670c9' },
          crossTab: false,
          localCopy: false,
          mesh: { wrtc: {} },
        }),
    ).toThrow(/crossTab: false needs mesh: false/);
  });
});
