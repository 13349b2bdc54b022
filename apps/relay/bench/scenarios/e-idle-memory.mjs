import { sleep } from '../lib/clock.mjs';
import { rssKiB, waitQuiet } from '../lib/proc.mjs';

const ROOMS = 1000;
const CHUNKS = 10;
const CHUNK_LENGTH = 10;
const LEAVE_WAIT_MS = 5_000;
// y-websocket 3 clients drop a connection that received nothing for 30 s, expecting at least the
// echo of their own awareness renewal (every 15 s); idle long enough to see whether that happens.
const IDLE_MS = 35_000;

/**
 * (e) Server RSS with 1,000 rooms of one connected, idle client each (every client wrote 100
 * characters in 10 transactions), per room above the RSS before any connection; then after all
 * clients left and a few seconds passed. RSS is what the OS reports: V8 frees its heap lazily.
 */
export default {
  key: 'e',
  title: `RSS with ${ROOMS.toLocaleString('en-US')} idle rooms of one client, and after they leave`,
  clientProcesses: 2,
  // Without YPERSISTENCE the reference never unloads a document (it would lose it).
  serverOptions: () => ({ persistent: true }),
  usesHeap: true,
  metrics: [
    { key: 'baselineMiB', label: 'RSS before any connection', unit: 'MiB', better: 'info' },
    {
      key: 'perRoomKiB',
      label: 'RSS per idle room (doc + its connection)',
      unit: 'KiB',
      better: 'lower',
      target: { max: 10 },
    },
    { key: 'perEmptyRoomKiB', label: '… of which room + connection before writing', unit: 'KiB', better: 'lower' },
    { key: 'perDocContentKiB', label: '… of which the 100-char doc content', unit: 'KiB', better: 'lower' },
    { key: 'idlePerRoomKiB', label: 'RSS per room after 35 s idle', unit: 'KiB', better: 'lower' },
    { key: 'reconnects', label: 'reconnects of the idle clients in 35 s', unit: '', better: 'lower' },
    { key: 'afterLeavePerRoomKiB', label: 'RSS per room after all left', unit: 'KiB', better: 'lower' },
    { key: 'heapPerRoomKiB', label: 'live heap per idle room, after forced GC (--heap)', unit: 'KiB', better: 'lower' },
    {
      key: 'buffersPerRoomKiB',
      label: 'ArrayBuffers per idle room, after forced GC (--heap)',
      unit: 'KiB',
      better: 'lower',
    },
    {
      key: 'heapAfterLeavePerRoomKiB',
      label: 'live heap per room after all left (--heap)',
      unit: 'KiB',
      better: 'lower',
    },
  ],
  async run({ server, pool, quick, heap }) {
    const rooms = quick ? 200 : ROOMS;
    const inspector = heap ? server.inspector : undefined;
    // Live memory is read after RSS, so the forced collection never shrinks an RSS reading.
    const liveHeap = async () => {
      if (!inspector) return undefined;
      const { heap: h, arrayBuffers } = await inspector.liveMemory();
      return { heap: h / 1024, arrayBuffers: arrayBuffers / 1024 };
    };
    await sleep(1000);
    await waitQuiet(server.pid);
    const baseline = rssKiB(server.pid);
    const heapBaseline = await liveHeap();
    const specs = Array.from({ length: rooms }, (_, i) => ({ id: `e-${i}`, room: `e-${i}` }));
    await pool.connect(server.serverUrl, specs, { batch: 50 });
    await waitQuiet(server.pid);
    const connected = rssKiB(server.pid);
    const groups = pool.byProcess(specs.map((s) => s.id));
    await pool.all('writeText', (p) => ({ ids: groups.get(p), chunks: CHUNKS, chunkLength: CHUNK_LENGTH }));
    await sleep(1000);
    await waitQuiet(server.pid);
    const written = rssKiB(server.pid);
    const heapWritten = await liveHeap();
    await sleep(quick ? 0 : IDLE_MS);
    const idle = rssKiB(server.pid);
    const reconnects = (await pool.all('reconnects')).reduce((n, r) => n + r, 0);
    await pool.all('disconnect');
    await sleep(LEAVE_WAIT_MS);
    await waitQuiet(server.pid);
    const left = rssKiB(server.pid);
    const heapLeft = await liveHeap();
    const perRoom = (value, base, key) => (value === undefined ? undefined : (value[key] - base[key]) / rooms);
    return {
      values: {
        baselineMiB: baseline / 1024,
        perRoomKiB: (written - baseline) / rooms,
        perEmptyRoomKiB: (connected - baseline) / rooms,
        perDocContentKiB: (written - connected) / rooms,
        idlePerRoomKiB: (idle - baseline) / rooms,
        reconnects,
        afterLeavePerRoomKiB: (left - baseline) / rooms,
        heapPerRoomKiB: perRoom(heapWritten, heapBaseline, 'heap'),
        buffersPerRoomKiB: perRoom(heapWritten, heapBaseline, 'arrayBuffers'),
        heapAfterLeavePerRoomKiB: perRoom(heapLeft, heapBaseline, 'heap'),
      },
      details: {
        rooms,
        rssKiB: { baseline, connected, written, idle, left },
        idleMs: quick ? 0 : IDLE_MS,
        liveHeapKiB: heap ? { baseline: heapBaseline, written: heapWritten, left: heapLeft } : undefined,
      },
    };
  },
};
