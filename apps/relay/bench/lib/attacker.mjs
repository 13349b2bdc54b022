/**
 * An attacker process for scenario (f): `node attacker.mjs <kind> <serverUrl> <room>`. It prepares
 * (for `non-reading`, writes a ~4 MB document), tells its parent `{ ready }`, then attacks until it
 * is killed, reconnecting 50 ms after every close. Every 500 ms it reports what it sent and how
 * the server closed it.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { sleep } from './clock.mjs';
import {
  awarenessFloodFrame,
  deleteSetBomb,
  emptySyncStep1Frame,
  poisonUpdate,
  structBomb,
  updateFrame,
} from './hostile-frames.mjs';

const [kind, serverUrl, room] = process.argv.slice(2);
const url = `${serverUrl}/${room}`;
const stats = { frames: 0, bytes: 0, connections: 0, closes: {} };
/** Fresh client ids per frame, far from the honest clients' (1,000,000 up) and random ones' range. */
let nextClient = 100_000_000;

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.once('open', () => {
      stats.connections++;
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('close', (code) => {
      stats.closes[code] = (stats.closes[code] ?? 0) + 1;
      reject(new Error(`closed ${code} before open`));
    });
  });
}

/** Sends frames from `next()` back to back (each once the previous one reached the kernel) until the socket closes. */
function sendUntilClosed(ws, next) {
  return new Promise((resolve) => {
    let open = true;
    ws.on('close', () => {
      open = false;
      resolve();
    });
    ws.on('error', () => {});
    const loop = () => {
      if (!open || ws.readyState !== WebSocket.OPEN) return;
      const frame = next();
      stats.frames++;
      stats.bytes += frame.length;
      ws.send(frame, (error) => {
        if (error) return;
        // Yield to the event loop between frames so close events and timers still run.
        setImmediate(loop);
      });
    };
    loop();
  });
}

/** Writes a ~4 MB text in 256 KiB updates, paced under the relay's default byte rate, then closes. */
async function writeBigDocument() {
  const ws = await open();
  const doc = new Y.Doc();
  doc.on('update', (update) => ws.send(updateFrame(update)));
  const text = doc.getText('t');
  const piece = 'x'.repeat(256 * 1024);
  for (let i = 0; i < 16; i++) {
    text.insert(text.length, piece);
    await sleep(160);
  }
  await sleep(500);
  ws.close();
}

const attacks = {
  'non-reading': {
    prepare: writeBigDocument,
    /** Never reads: every 4-byte request makes the server queue the whole document for it. */
    onOpen: (ws) => ws._socket.pause(),
    next: () => emptySyncStep1Frame(),
  },
  'struct-bomb': {
    next: () => {
      const frame = updateFrame(structBomb(10_000, nextClient));
      nextClient += 10_000;
      return frame;
    },
  },
  poison: { next: () => updateFrame(poisonUpdate(nextClient++)) },
  'delete-set-bomb': { next: () => updateFrame(deleteSetBomb(nextClient++, 200_000)) },
  'awareness-flood': {
    next: () => {
      const frame = awarenessFloodFrame(20_001, nextClient);
      nextClient += 20_001;
      return frame;
    },
  },
};

const attack = attacks[kind];
if (!attack) throw new Error(`unknown attack "${kind}"; one of ${Object.keys(attacks).join(', ')}`);
setInterval(() => process.send?.({ stats }), 500).unref();
process.on('disconnect', () => process.exit(0));
await attack.prepare?.();
process.send?.({ ready: true });
for (;;) {
  try {
    const ws = await open();
    attack.onOpen?.(ws);
    await sendUntilClosed(ws, attack.next);
  } catch {
    // Refused or closed before open: try again below.
  }
  await sleep(50);
}
