import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { concurrentHistory } from '../test/histories.js';
import { countUpdateStructs } from './count-structs.js';
import { mergeUpdates } from './merge-updates.js';

const unlimited = { clients: Number.MAX_SAFE_INTEGER, structs: Number.MAX_SAFE_INTEGER };

/** An update with every kind of content Yjs has: maps, arrays, XML, embeds, formats, binary, sub-documents. */
function everyKind(): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('content');
  text.insert(0, 'plain', { bold: true });
  text.insertEmbed(2, { image: 'x.png' });
  text.insertEmbed(3, new Y.Map());
  const map = doc.getMap('meta');
  map.set('n', 1);
  map.set('bytes', new Uint8Array([1, 2, 3]));
  map.set('sub', new Y.Doc());
  const list = doc.getArray<unknown>('list');
  list.insert(0, [1, 'two', { three: [3] }, null]);
  const xml = doc.getXmlFragment('xml');
  const element = new Y.XmlElement('p');
  element.insert(0, [new Y.XmlText('hi')]);
  xml.insert(0, [element, new Y.XmlHook('hook') as unknown as Y.XmlElement]);
  text.delete(0, 1);
  return Y.encodeStateAsUpdate(doc);
}

/** Two one-clock GC ranges, of clients 200 and 201 in that order: hand-written, as Yjs writes 201 first. */
function ascendingClients(): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 2);
  for (const client of [200, 201]) {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, 0);
    new Y.GC(Y.createID(client, 0), 1).write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

describe('countUpdateStructs', () => {
  // Fuzz seed 6221074002000 (apps/relay/src/fuzz.test.ts): GC ranges of clients 6, 7 and 8 in that order were admitted
  // and forwarded whole, but Y.mergeUpdates kept only client 6 in the relay's state, so stored documents and
  // newcomers lacked what the clients in the room held.
  it('finds client runs out of the order Yjs writes them malformed (fuzz seed 6221074002000)', () => {
    const update = ascendingClients();
    const other = new Y.Doc();
    other.getText('content').insert(0, 'ab');
    const merged = Y.mergeUpdates([Y.encodeStateAsUpdate(other), update]);
    expect(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(merged)).has(201)).toBe(false);
    expect(countUpdateStructs(update, unlimited)).toEqual({
      kind: 'malformed',
      message: 'client runs out of order: client 201 after client 200',
    });
  });

  it('counts what Y.decodeUpdate decodes, for every kind of content', () => {
    const update = everyKind();
    const decoded = Y.decodeUpdate(update);
    expect(countUpdateStructs(update, unlimited)).toMatchObject({
      kind: 'counted',
      structs: decoded.structs.length,
      deletes: [...decoded.ds.clients.values()].reduce((sum, ranges) => sum + ranges.length, 0),
    });
  });

  it('agrees with Y.decodeUpdate on merged histories, and never throws on cut or flipped bytes', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (seed, cut, flip) => {
        const update = mergeUpdates(concurrentHistory(seed, 3, 30).updates);
        const count = countUpdateStructs(update, unlimited);
        expect(count).toMatchObject({ kind: 'counted', structs: Y.decodeUpdate(update).structs.length });
        const damaged = update.slice(0, 1 + (cut % update.length));
        const at = flip % damaged.length;
        damaged[at] = damaged[at]! ^ 0xff;
        const result = countUpdateStructs(damaged, unlimited);
        if (result.kind === 'counted') {
          let decoded: number | undefined;
          try {
            decoded = Y.decodeUpdate(damaged).structs.length;
          } catch {}
          if (decoded !== undefined) expect(result.structs).toBe(decoded);
        }
      }),
      { seed: 5, numRuns: 100 },
    );
  }, 30_000);

  it('stops at the first limit passed', () => {
    const update = mergeUpdates(concurrentHistory(1, 3, 60).updates);
    const { structs, clients } = countUpdateStructs(update, unlimited) as { structs: number; clients: number };
    expect(countUpdateStructs(update, { clients: clients - 1, structs })).toEqual({
      kind: 'over',
      what: 'clients',
      limit: clients - 1,
    });
    expect(countUpdateStructs(update, { clients, structs: structs - 1 })).toEqual({
      kind: 'over',
      what: 'structs',
      limit: structs - 1,
    });
    const { deletes } = countUpdateStructs(update, unlimited) as { deletes: number };
    expect(deletes).toBeGreaterThan(0);
    expect(countUpdateStructs(update, { clients, structs, work: structs + deletes })).toMatchObject({
      kind: 'counted',
    });
    expect(countUpdateStructs(update, { clients, structs, work: structs + deletes - 1 })).toEqual({
      kind: 'over',
      what: 'work',
      limit: structs + deletes - 1,
    });
  });
});
