// Side-by-side benchmark of @meshpad/crdt against a Y.Map used as a set/map and Automerge.
// Run: pnpm --filter @meshpad/crdt build && pnpm --filter @meshpad/crdt bench
// Writes bench/results/<time>.json (git-ignored). Not part of the tests.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as Automerge from '@automerge/automerge';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';

const dist = new URL('../dist/index.js', import.meta.url);
if (!existsSync(dist)) {
  console.error('dist/ is missing: run `pnpm --filter @meshpad/crdt build` first.');
  process.exit(1);
}
const M = await import(dist.href);

const ADDS = 100_000;
const REMOVES = 50_000;
const CONCURRENT_OPS = 50_000;
const UNIVERSE = 10_000;
const MAP_KEYS = 1_000;
const MAP_UPDATES = 100_000;
// Automerge copies its immutable JS view of a map on every change, so one change per operation
// costs ~1 ms and grows with the map: 100,000 of them would take tens of minutes. Its workloads
// run in changes of AM_BATCH operations, which also makes its history and merges cheaper (the
// comparison favours Automerge); AM_SINGLE_SAMPLE single-operation changes measure its per-op rate.
const AM_BATCH = 1_000;
const AM_SINGLE_SAMPLE = 2_000;
const SEED = 0x5eed;
const MERGE_REPEATS = 5;

// With --expose-gc (the bench script passes it), collect before timed sections so that a major
// collection of earlier garbage does not land inside them.
const collectGarbage = () => globalThis.gc?.();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const now = () => performance.now();
const time = (fn) => {
  collectGarbage();
  const start = now();
  const result = fn();
  return { ms: now() - start, result };
};
const element = (i) => `doc-${i}`;
// Fixed client ids: Y.Map resolves concurrent writes by client id, so random ones vary its result.
const docWithClient = (clientID) => {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
};

function shuffled(count, seed) {
  const gen = prng.create(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = prng.uint32(gen, 0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function amInBatches(doc, ops, apply) {
  for (let i = 0; i < ops.length; i += AM_BATCH) {
    const batch = ops.slice(i, i + AM_BATCH);
    doc = Automerge.change(doc, (d) => {
      for (const op of batch) apply(d, op);
    });
  }
  return doc;
}

// ── Workload 1: 100,000 adds then 50,000 removes on one replica ─────────────────────────────
function addRemove() {
  const removeOrder = shuffled(ADDS, SEED).slice(0, REMOVES);
  const adds = Array.from({ length: ADDS }, (_, i) => element(i));
  const removes = removeOrder.map(element);
  const rows = [];

  {
    const set = M.createOrSet();
    const a = time(() => {
      for (const e of adds) M.orSetAdd(set, 'replica-a', e);
    });
    const bytesAfterAdds = M.encodeOrSet(set).length;
    const r = time(() => {
      for (const e of removes) M.orSetRemove(set, e);
    });
    rows.push({
      system: 'meshpad OR-Set',
      addMs: a.ms,
      removeMs: r.ms,
      bytesAfterAdds,
      bytes: M.encodeOrSet(set).length,
    });
  }
  {
    const doc = new Y.Doc();
    const set = new M.YOrSet(doc.getMap('set'), { replica: 'replica-a' });
    const a = time(() => {
      for (const e of adds) set.add(e);
    });
    const bytesAfterAdds = Y.encodeStateAsUpdate(doc).length;
    const r = time(() => {
      for (const e of removes) set.remove(e);
    });
    rows.push({
      system: 'meshpad YOrSet (in Y.Doc)',
      addMs: a.ms,
      removeMs: r.ms,
      bytesAfterAdds,
      bytes: Y.encodeStateAsUpdate(doc).length,
      bytesV2: Y.encodeStateAsUpdateV2(doc).length,
    });
    set.compact();
    rows.push({
      system: 'meshpad YOrSet, then compact()',
      bytes: Y.encodeStateAsUpdate(doc).length,
      bytesV2: Y.encodeStateAsUpdateV2(doc).length,
    });
  }
  {
    const doc = new Y.Doc();
    const map = doc.getMap('set');
    const a = time(() => {
      for (const e of adds) map.set(e, true);
    });
    const bytesAfterAdds = Y.encodeStateAsUpdate(doc).length;
    const r = time(() => {
      for (const e of removes) map.delete(e);
    });
    rows.push({
      system: 'Y.Map as set',
      addMs: a.ms,
      removeMs: r.ms,
      bytesAfterAdds,
      bytes: Y.encodeStateAsUpdate(doc).length,
      bytesV2: Y.encodeStateAsUpdateV2(doc).length,
    });
  }
  {
    let doc = Automerge.from({ set: {} });
    const a = time(() => {
      doc = amInBatches(doc, adds, (d, e) => {
        d.set[e] = true;
      });
    });
    const bytesAfterAdds = Automerge.save(doc).length;
    const r = time(() => {
      doc = amInBatches(doc, removes, (d, e) => {
        delete d.set[e];
      });
    });
    rows.push({
      system: `Automerge (${AM_BATCH} ops/change)`,
      addMs: a.ms,
      removeMs: r.ms,
      bytesAfterAdds,
      bytes: Automerge.save(doc).length,
    });
    let single = Automerge.from({ set: {} });
    const s = time(() => {
      for (const e of adds.slice(0, AM_SINGLE_SAMPLE)) {
        single = Automerge.change(single, (d) => {
          d.set[e] = true;
        });
      }
    });
    rows.push({
      system: `Automerge (1 op/change, first ${AM_SINGLE_SAMPLE} adds)`,
      addMs: (s.ms * ADDS) / AM_SINGLE_SAMPLE,
      sampled: true,
    });
  }
  return rows.map((row) => ({
    ...row,
    addOpsPerSec: row.addMs === undefined ? undefined : ADDS / (row.addMs / 1000),
    removeOpsPerSec: row.removeMs === undefined ? undefined : REMOVES / (row.removeMs / 1000),
  }));
}

// ── Workload 2: two replicas, 50,000 concurrent random operations each, then merged ──────────
function concurrentOps(seed) {
  const gen = prng.create(seed);
  const present = [];
  const position = new Map();
  const ops = [];
  for (let i = 0; i < CONCURRENT_OPS; i++) {
    if (present.length === 0 || prng.real53(gen) < 0.6) {
      const e = element(prng.uint32(gen, 0, UNIVERSE - 1));
      ops.push(['add', e]);
      if (!position.has(e)) {
        position.set(e, present.length);
        present.push(e);
      }
    } else {
      const index = prng.uint32(gen, 0, present.length - 1);
      const e = present[index];
      ops.push(['remove', e]);
      const last = present.pop();
      if (last !== e) {
        present[index] = last;
        position.set(last, index);
      }
      position.delete(e);
    }
  }
  return ops;
}

// Merge times are the median of MERGE_REPEATS runs, each on fresh copies rebuilt (untimed) from
// the replicas' saved bytes; `encode` is what each side sends, `merge` is receiving both ways.
function concurrentMerge() {
  const opsA = concurrentOps(SEED + 1);
  const opsB = concurrentOps(SEED + 2);
  const rows = [];
  const measure = (system, { build, fresh, encode, merge, finish }) => {
    const local = time(build);
    const saved = local.result;
    const encodeTimes = [];
    const mergeTimes = [];
    let outcome;
    for (let i = 0; i < MERGE_REPEATS; i++) {
      const pair = fresh(saved);
      const sent = time(() => encode(pair));
      const merged = time(() => merge(pair, sent.result));
      encodeTimes.push(sent.ms);
      mergeTimes.push(merged.ms);
      outcome = { ...finish(pair), bytesExchanged: sent.result[0].length + sent.result[1].length };
    }
    rows.push({
      system,
      localMs: local.ms,
      encodeMs: median(encodeTimes),
      mergeMs: median(mergeTimes),
      mergeTimes,
      ...outcome,
    });
  };

  const applySet = (set, replica, ops) => {
    for (const [type, e] of ops) {
      if (type === 'add') M.orSetAdd(set, replica, e);
      else M.orSetRemove(set, e);
    }
  };
  measure('meshpad OR-Set', {
    build() {
      const [a, b] = [M.createOrSet(), M.createOrSet()];
      applySet(a, 'replica-a', opsA);
      applySet(b, 'replica-b', opsB);
      return [a, b];
    },
    fresh: ([a, b]) => [M.cloneOrSet(a), M.cloneOrSet(b)],
    encode: ([a, b]) => [M.encodeOrSet(a), M.encodeOrSet(b)],
    merge([a, b], [fromA, fromB]) {
      M.mergeOrSet(a, M.decodeOrSet(fromB));
      M.mergeOrSet(b, M.decodeOrSet(fromA));
    },
    finish: ([a, b]) => ({
      finalBytes: M.encodeOrSet(a).length,
      elements: M.orSetSize(a),
      converged: Buffer.compare(M.encodeOrSet(a), M.encodeOrSet(b)) === 0,
    }),
  });

  const docFrom = (update) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    return doc;
  };
  const yDiffs = ([a, b]) => [
    Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)),
    Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)),
  ];
  const yMerge = ([a, b], [fromA, fromB]) => {
    Y.applyUpdate(a.doc, fromB);
    Y.applyUpdate(b.doc, fromA);
  };
  measure('meshpad YOrSet (in Y.Doc)', {
    build() {
      const [docA, docB] = [docWithClient(1), docWithClient(2)];
      const apply = (set, ops) => {
        for (const [type, e] of ops) {
          if (type === 'add') set.add(e);
          else set.remove(e);
        }
      };
      apply(new M.YOrSet(docA.getMap('set'), { replica: 'replica-a' }), opsA);
      apply(new M.YOrSet(docB.getMap('set'), { replica: 'replica-b' }), opsB);
      return [Y.encodeStateAsUpdate(docA), Y.encodeStateAsUpdate(docB)];
    },
    fresh: (updates) =>
      updates.map((update, i) => {
        const doc = docFrom(update);
        return { doc, set: new M.YOrSet(doc.getMap('set'), { replica: `replica-${'ab'[i]}` }) };
      }),
    encode: yDiffs,
    merge: yMerge,
    finish: ([a, b]) => ({
      finalBytes: Y.encodeStateAsUpdate(a.doc).length,
      elements: a.set.size,
      converged: Buffer.compare(M.encodeOrSet(a.set.current), M.encodeOrSet(b.set.current)) === 0,
    }),
  });

  measure('Y.Map as set', {
    build() {
      const [docA, docB] = [docWithClient(1), docWithClient(2)];
      const apply = (map, ops) => {
        for (const [type, e] of ops) {
          if (type === 'add') map.set(e, true);
          else map.delete(e);
        }
      };
      apply(docA.getMap('set'), opsA);
      apply(docB.getMap('set'), opsB);
      return [Y.encodeStateAsUpdate(docA), Y.encodeStateAsUpdate(docB)];
    },
    fresh: (updates) => updates.map((update) => ({ doc: docFrom(update) })),
    encode: yDiffs,
    merge: yMerge,
    finish: ([a, b]) => ({
      finalBytes: Y.encodeStateAsUpdate(a.doc).length,
      elements: a.doc.getMap('set').size,
      converged: sameKeys(a.doc.getMap('set').toJSON(), b.doc.getMap('set').toJSON()),
    }),
  });

  const base = Automerge.from({ set: {} });
  const heads = Automerge.getHeads(base);
  measure(`Automerge (${AM_BATCH} ops/change)`, {
    build() {
      const apply = (doc, ops) =>
        amInBatches(doc, ops, (d, [type, e]) => {
          if (type === 'add') d.set[e] = true;
          else delete d.set[e];
        });
      return [
        Automerge.save(apply(Automerge.clone(base, { actor: 'aa'.repeat(16) }), opsA)),
        Automerge.save(apply(Automerge.clone(base, { actor: 'bb'.repeat(16) }), opsB)),
      ];
    },
    fresh: (saved) => saved.map((bytes) => ({ doc: Automerge.load(bytes) })),
    encode: ([a, b]) => [Automerge.saveSince(a.doc, heads), Automerge.saveSince(b.doc, heads)],
    merge([a, b], [fromA, fromB]) {
      a.doc = Automerge.loadIncremental(a.doc, fromB);
      b.doc = Automerge.loadIncremental(b.doc, fromA);
    },
    finish: ([a, b]) => ({
      finalBytes: Automerge.save(a.doc).length,
      elements: Object.keys(a.doc.set).length,
      converged: sameKeys(a.doc.set, b.doc.set),
    }),
  });
  return rows;
}

function sameKeys(a, b) {
  const keys = (o) => Object.keys(o).sort().join('\n');
  return keys(a) === keys(b);
}

// ── Workload 3: a 1,000-key LWW-Map updated 100,000 times ───────────────────────────────────
function mapGrowth() {
  const gen = prng.create(SEED + 3);
  const updates = Array.from({ length: MAP_UPDATES }, () => [
    `key-${prng.uint32(gen, 0, MAP_KEYS - 1)}`,
    prng.uint32(gen, 0, 1_000_000),
  ]);
  const checkpoints = [25_000, 50_000, 100_000];
  const rows = [];
  const measure = (system, setup, apply, size) => {
    const target = setup();
    for (let k = 0; k < MAP_KEYS; k++) apply(target, `key-${k}`, 0);
    const initialBytes = size(target);
    const sizes = [];
    let done = 0;
    const start = now();
    for (const upTo of checkpoints) {
      for (; done < upTo; done++) apply(target, updates[done][0], updates[done][1]);
      sizes.push(size(target));
    }
    const ms = now() - start;
    rows.push({
      system,
      initialBytes,
      sizes,
      finalBytes: sizes[sizes.length - 1],
      growthBytes: sizes[sizes.length - 1] - initialBytes,
      updatesPerSec: MAP_UPDATES / (ms / 1000),
    });
  };
  measure(
    'meshpad LWW-Map',
    () => ({ map: M.createLwwMap(), clock: new M.HybridLogicalClock('replica-a') }),
    (t, key, value) => M.lwwMapSet(t.map, key, value, t.clock),
    (t) => M.encodeLwwMap(t.map).length,
  );
  measure(
    'meshpad YLwwMap (in Y.Doc)',
    () => {
      const doc = new Y.Doc();
      return { doc, map: new M.YLwwMap(doc.getMap('map'), { replica: 'replica-a' }) };
    },
    (t, key, value) => t.map.set(key, value),
    (t) => Y.encodeStateAsUpdate(t.doc).length,
  );
  measure(
    'Y.Map',
    () => new Y.Doc(),
    (doc, key, value) => doc.getMap('map').set(key, value),
    (doc) => Y.encodeStateAsUpdate(doc).length,
  );
  // Automerge, batched: buffer writes and flush them as one change per AM_BATCH updates.
  measure(
    `Automerge (${AM_BATCH} ops/change)`,
    () => ({ doc: Automerge.from({ map: {} }), pending: [] }),
    (t, key, value) => {
      t.pending.push([key, value]);
      if (t.pending.length === AM_BATCH) flushAutomerge(t);
    },
    (t) => {
      flushAutomerge(t);
      return Automerge.save(t.doc).length;
    },
  );
  return rows;
}

function flushAutomerge(t) {
  if (t.pending.length === 0) return;
  const batch = t.pending.splice(0);
  t.doc = Automerge.change(t.doc, (d) => {
    for (const [key, value] of batch) d.map[key] = value;
  });
}

// ── Report ────────────────────────────────────────────────────────────────────────────────
const fmt = (n, digits = 0) =>
  n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

function table(title, headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

console.log(
  `@meshpad/crdt benchmark — node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const started = now();
const w1 = addRemove();
const w2 = concurrentMerge();
const w3 = mapGrowth();

const yW1 = w1.find((r) => r.system === 'Y.Map as set');
const amW1 = w1.find((r) => r.system.startsWith('Automerge (1000'));
table(
  `1. ${fmt(ADDS)} adds then ${fmt(REMOVES)} removes, one replica (encoded size: Yjs update v1, Automerge save)`,
  ['system', 'adds/s', 'removes/s', 'bytes after adds', 'bytes after removes', 'vs Y.Map', 'vs Automerge'],
  w1.map((r) => [
    r.system,
    fmt(r.addOpsPerSec),
    fmt(r.removeOpsPerSec),
    r.bytesAfterAdds === undefined ? '—' : fmt(r.bytesAfterAdds),
    fmt(r.bytes),
    r.bytes === undefined ? '—' : ratio(r.bytes, yW1.bytes),
    r.bytes === undefined ? '—' : ratio(r.bytes, amW1.bytes),
  ]),
);

const yW2 = w2.find((r) => r.system === 'Y.Map as set');
const amW2 = w2.find((r) => r.system.startsWith('Automerge'));
table(
  `2. Two replicas, ${fmt(CONCURRENT_OPS)} concurrent random ops each (universe ${fmt(UNIVERSE)}), then merged both ways`,
  [
    'system',
    'merge ms (median)',
    'merge vs Y.Map',
    'merge vs Automerge',
    'encode ms',
    'bytes exchanged',
    'final bytes',
    'elements',
    'converged',
  ],
  w2.map((r) => [
    r.system,
    fmt(r.mergeMs, 1),
    ratio(r.mergeMs, yW2.mergeMs),
    ratio(r.mergeMs, amW2.mergeMs),
    fmt(r.encodeMs, 1),
    fmt(r.bytesExchanged),
    fmt(r.finalBytes),
    fmt(r.elements),
    r.converged ? 'yes' : 'NO',
  ]),
);

const yW3 = w3.find((r) => r.system === 'Y.Map');
table(
  `3. LWW-Map with ${fmt(MAP_KEYS)} keys updated ${fmt(MAP_UPDATES)} times (encoded size after 0 / 25k / 50k / 100k updates)`,
  ['system', 'updates/s', 'bytes at 0', 'at 25k', 'at 50k', 'at 100k', 'growth', 'growth vs Y.Map'],
  w3.map((r) => [
    r.system,
    fmt(r.updatesPerSec),
    fmt(r.initialBytes),
    ...r.sizes.map((s) => fmt(s)),
    fmt(r.growthBytes),
    ratio(r.growthBytes, yW3.growthBytes),
  ]),
);

const core = {
  w1: w1.find((r) => r.system === 'meshpad OR-Set'),
  w2: w2.find((r) => r.system === 'meshpad OR-Set'),
};
const binding = w2.find((r) => r.system.startsWith('meshpad YOrSet'));
const targets = [
  {
    target: 'merge at least 2× faster than Y.Map and Automerge (meshpad OR-Set)',
    pass: core.w2.mergeMs * 2 <= yW2.mergeMs && core.w2.mergeMs * 2 <= amW2.mergeMs,
    detail: `${fmt(core.w2.mergeMs, 1)} ms vs ${fmt(yW2.mergeMs, 1)} / ${fmt(amW2.mergeMs, 1)} ms`,
  },
  {
    target: 'merge at least 2× faster than Y.Map and Automerge (meshpad YOrSet, through Yjs)',
    pass: binding.mergeMs * 2 <= yW2.mergeMs && binding.mergeMs * 2 <= amW2.mergeMs,
    detail: `${fmt(binding.mergeMs, 1)} ms vs ${fmt(yW2.mergeMs, 1)} / ${fmt(amW2.mergeMs, 1)} ms`,
  },
  {
    target: 'encoded state after removes at most half of Y.Map’s (meshpad OR-Set)',
    pass: core.w1.bytes * 2 <= yW1.bytes,
    detail: `${fmt(core.w1.bytes)} vs ${fmt(yW1.bytes)} bytes`,
  },
  ...w1
    .filter((r) => r.system.startsWith('meshpad Y'))
    .map((r) => ({
      target: `encoded state after removes at most half of Y.Map’s (${r.system})`,
      pass: r.bytes * 2 <= yW1.bytes,
      detail: `${fmt(r.bytes)} vs ${fmt(yW1.bytes)} bytes`,
    })),
];
console.log('\nTargets\n');
for (const t of targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.detail}`);
console.log(`\nTotal ${fmt((now() - started) / 1000, 1)} s`);

const results = new URL('./results/', import.meta.url);
mkdirSync(results, { recursive: true });
const file = new URL(`${new Date().toISOString().replace(/[:.]/g, '-')}.json`, results);
writeFileSync(
  file,
  JSON.stringify(
    {
      node: process.version,
      loadAverage: os.loadavg(),
      config: { ADDS, REMOVES, CONCURRENT_OPS, UNIVERSE, MAP_KEYS, MAP_UPDATES, AM_BATCH, AM_SINGLE_SAMPLE, SEED },
      addRemove: w1,
      concurrentMerge: w2,
      mapGrowth: w3,
      targets,
    },
    null,
    2,
  ),
);
console.log(`Results written to ${file.pathname}`);
