import * as Y from 'yjs';
import type { ChaosWriter } from './chaos-writer.js';

/** A run of deleted ids of one client. */
interface DeletedRange {
  readonly clock: number;
  readonly len: number;
}

/** What the relay must still hold of one client's edits: every struct below `clock`, and these deletions. */
interface ClientEvidence {
  clock: number;
  readonly deleted: DeletedRange[];
}

/** Per Yjs client id, the edits the relay confirmed saved or delivered, so a crash must not lose them. */
export type Evidence = Map<number, ClientEvidence>;

function entry(evidence: Evidence, client: number): ClientEvidence {
  let found = evidence.get(client);
  if (found === undefined) {
    found = { clock: 0, deleted: [] };
    evidence.set(client, found);
  }
  return found;
}

/** The edits each writer's confirmed saves cover. */
export function confirmedEvidence(writers: readonly ChaosWriter[]): Evidence {
  const evidence: Evidence = new Map();
  for (const writer of writers) {
    const own = entry(evidence, writer.clientId);
    own.clock = writer.confirmed.clock;
    for (const token of writer.deletions.slice(0, writer.confirmed.deletions)) {
      own.deleted.push({ clock: token.clock, len: token.text.length });
    }
  }
  return evidence;
}

/**
 * The edits that reached some client from another one. Clients share a document only through the
 * relay, which stores an update before it forwards it, so each of these was stored.
 */
export function deliveredEvidence(docs: readonly Y.Doc[]): Evidence {
  const evidence: Evidence = new Map();
  for (const doc of docs) {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) {
      if (client === doc.clientID) continue;
      const other = entry(evidence, client);
      other.clock = Math.max(other.clock, clock);
    }
    for (const [client, ranges] of Y.createDeleteSetFromStructStore(doc.store).clients) {
      if (client === doc.clientID) continue;
      entry(evidence, client).deleted.push(...ranges.map(({ clock, len }) => ({ clock, len })));
    }
  }
  return evidence;
}

/** Describes each part of `evidence` that the document stored as `updates` lacks (none: nothing lost). */
export function lostEvidence(updates: readonly Uint8Array[], evidence: Evidence): string[] {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  const lost: string[] = [];
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    lost.push('stored updates depend on structs that are not stored');
  }
  const state = Y.decodeStateVector(Y.encodeStateVector(doc));
  const deleteSet = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, { clock, deleted }] of evidence) {
    const stored = state.get(client) ?? 0;
    if (stored < clock) lost.push(`client ${client}: structs ${stored}..${clock - 1} are not stored`);
    for (const range of deleted) {
      for (let at = range.clock; at < range.clock + range.len; at++) {
        if (!Y.isDeleted(deleteSet, Y.createID(client, at))) {
          lost.push(`client ${client}: the deletion of ${range.clock}..${range.clock + range.len - 1} is not stored`);
          break;
        }
      }
    }
  }
  return lost;
}
