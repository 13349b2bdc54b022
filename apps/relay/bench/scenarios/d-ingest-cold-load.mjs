import { sleep } from '../lib/clock.mjs';
import { waitQuiet } from '../lib/proc.mjs';
import { median } from '../lib/stats.mjs';

const INGEST_ROOM = 'ingest';
const LOAD_ROOM = 'load';
// A 32-bit id like the random ones Yjs gives, so updates have their real size.
const WRITER_CLIENT_ID = 3_141_592_653;
const MEMORY_LOADS = 5;
const RESTART_LOADS = 3;
const SETTLE_MS = 3_000;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * (d) One client sends the first 20,000 transactions of the automerge-paper trace as 20,000 updates,
 * back to back on its socket; the time until a second client has the whole text, after which the
 * server is SIGTERMed at once and restarted to check that all of it was stored. Then cold loads of
 * that document by fresh clients: from memory (another client connected) and after a restart.
 */
export default {
  key: 'd',
  title: 'ingest of a 20,000-update burst, then cold loads',
  clientProcesses: 2,
  // The reference keeps documents in memory only unless YPERSISTENCE (LevelDB) is set.
  serverOptions: () => ({ persistent: true }),
  metrics: [
    {
      key: 'ingestMs',
      label: 'burst sent → 2nd client has all of it',
      unit: 'ms',
      better: 'lower',
      target: { max: 1000 },
    },
    { key: 'durable', label: 'all of it there after immediate SIGTERM + restart', unit: '', better: 'info' },
    { key: 'burstRestartSyncedMs', label: 'load right after that restart: synced', unit: 'ms', better: 'lower' },
    { key: 'burstRestartFullMs', label: 'load right after that restart: full text', unit: 'ms', better: 'lower' },
    { key: 'memorySyncedMs', label: 'cold load from memory: synced', unit: 'ms', better: 'lower' },
    { key: 'memoryFullMs', label: 'cold load from memory: full text', unit: 'ms', better: 'lower' },
    { key: 'memoryBytes', label: 'cold load from memory: bytes received', unit: 'KB', better: 'lower' },
    { key: 'restartSyncedMs', label: 'cold load after a later restart: synced', unit: 'ms', better: 'lower' },
    { key: 'restartFullMs', label: 'cold load after a later restart: full text', unit: 'ms', better: 'lower' },
    { key: 'restartCharsAtSync', label: 'after a restart: chars at synced (of all)', unit: '', better: 'info' },
    { key: 'doc', label: 'document', unit: '', better: 'info' },
  ],
  async run({ server, pool, quick }) {
    const txns = quick ? 5_000 : 20_000;
    const [writerProcess, readerProcess] = pool.processes;
    const trace = await writerProcess.call('prepareTrace', { key: 'burst', txns, clientID: WRITER_CLIENT_ID });
    const expected = trace.text;
    const coldLoad = (room) => readerProcess.call('coldLoad', { serverUrl: server.serverUrl, room, expected });

    // Ingest: a burst into a fresh room, until a second client has all of it.
    await pool.connect(server.serverUrl, [
      { id: 'writer', room: INGEST_ROOM, process: 0 },
      { id: 'reader', room: INGEST_ROOM, process: 1 },
    ]);
    const seen = readerProcess.call('waitText', { id: 'reader', expected, timeoutMs: 120_000 });
    const { startedAt, sentAt } = await writerProcess.call('sendPrepared', { key: 'burst', id: 'writer' });
    const ingestMs = (await seen) - startedAt;

    // Durability: SIGTERM right away (Meshpad flushes; the reference just exits), restart, read back.
    const stopped = await server.stop();
    await pool.all('disconnect');
    await server.start();
    const check = await coldLoad(INGEST_ROOM);
    const durable =
      check.fullMs !== null
        ? 'yes'
        : `NO: ${check.charsAtEnd} of ${expected.length} chars (exit ${stopped.code ?? stopped.signal})`;

    // Cold loads of the same document in another room, written the same way and left to settle.
    await pool.connect(server.serverUrl, [
      { id: 'seeder', room: LOAD_ROOM, process: 0 },
      { id: 'holder', room: LOAD_ROOM, process: 1 },
    ]);
    const held = readerProcess.call('waitText', { id: 'holder', expected, timeoutMs: 120_000 });
    await writerProcess.call('sendPrepared', { key: 'burst', id: 'seeder' });
    await held;
    await waitQuiet(server.pid, { maxMs: 60_000 });
    const memory = [];
    for (let i = 0; i < MEMORY_LOADS; i++) memory.push(await coldLoad(LOAD_ROOM));
    await pool.all('disconnect');
    // Let background work finish (Meshpad compacts a quiet document's log after 2 s).
    await sleep(SETTLE_MS);
    await waitQuiet(server.pid, { maxMs: 60_000 });
    const restarts = [];
    for (let i = 0; i < (quick ? 1 : RESTART_LOADS); i++) {
      await server.restart();
      restarts.push(await coldLoad(LOAD_ROOM));
    }

    const full = (loads) => (loads.every((l) => l.fullMs !== null) ? median(loads.map((l) => l.fullMs)) : 'never');
    return {
      values: {
        ingestMs,
        durable,
        burstRestartSyncedMs: check.syncedMs,
        burstRestartFullMs: check.fullMs ?? 'never',
        memorySyncedMs: median(memory.map((l) => l.syncedMs)),
        memoryFullMs: full(memory),
        memoryBytes: median(memory.map((l) => l.bytesReceived)) / 1024,
        restartSyncedMs: median(restarts.map((l) => l.syncedMs)),
        restartFullMs: full(restarts),
        restartCharsAtSync: `${[check, ...restarts].map((l) => l.charsAtSync).join(', ')} (of ${expected.length})`,
        doc: `${trace.updates} updates, ${expected.length} chars, log ${kb(trace.bytes)}, state ${kb(trace.state)}`,
      },
      details: {
        trace: { ...trace, text: undefined },
        sendLoopMs: sentAt - startedAt,
        ingestMs,
        check,
        memory,
        restarts,
      },
    };
  },
};
