import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** A run of one client's consecutive structs, the first one cut `offset` clocks into its start. */
export interface StructRun {
  readonly client: number;
  readonly structs: readonly (Y.Item | Y.GC | Y.Skip)[];
  readonly offset: number;
}

/** One deleted range `[start, end)` of a client. */
export type DeletedRange = readonly [client: number, start: number, end: number];

/**
 * Encodes runs of decoded structs and deleted ranges as one Yjs v1 update, the way Yjs writes them
 * (`Item.write` with an offset turns a cut item's origin into the clock right before the cut).
 */
export function encodeUpdateParts(runs: readonly StructRun[], deletes: readonly DeletedRange[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const out = encoder.restEncoder;
  encoding.writeVarUint(out, runs.length);
  for (const run of runs) {
    const first = run.structs[0]!;
    encoding.writeVarUint(out, run.structs.length);
    encoder.writeClient(run.client);
    encoding.writeVarUint(out, first.id.clock + run.offset);
    first.write(encoder, run.offset);
    for (let i = 1; i < run.structs.length; i++) run.structs[i]!.write(encoder, 0);
  }
  const byClient = new Map<number, Array<readonly [number, number]>>();
  for (const [client, start, end] of deletes) {
    let ranges = byClient.get(client);
    if (ranges === undefined) {
      ranges = [];
      byClient.set(client, ranges);
    }
    ranges.push([start, end]);
  }
  encoding.writeVarUint(out, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(out, client);
    encoding.writeVarUint(out, ranges.length);
    for (const [start, end] of ranges) {
      encoding.writeVarUint(out, start);
      encoding.writeVarUint(out, end - start);
    }
  }
  return encoder.toUint8Array();
}
