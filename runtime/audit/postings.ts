/**
 * Index entries as posting lists. An entry of the `index` db is keyed [tag, value, first seq]
 * and lists every record of one group commit with that indexed value: its LMDB value holds the
 * other seqs as uint32 big-endian offsets from the key's seq, ascending (an empty value lists the
 * key's seq alone — also the layout of logs written before posting lists). A batch of 2,000
 * appends by 50 actors thus writes 50 actor entries instead of 2,000, while a lone append writes
 * one entry per indexed value as before.
 *
 * Invariants: the seqs of an entry are ascending and all ≥ its key's seq; entries of the same
 * [tag, value] never overlap in seq, because batches are disjoint and increasing. So walking the
 * entries of one value in key order yields its records in seq order.
 */
import type { IndexKey } from "./storage.js";

const EMPTY = Buffer.alloc(0);

/** The seqs an entry lists (see the module comment). */
export function entrySeqs(key: IndexKey, value: Uint8Array | undefined): number[] {
  const first = key[2];
  if (!value || value.length < 4) return [first];
  const out = [first];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  for (let i = 0; i + 4 <= value.length; i += 4) out.push(first + view.getUint32(i));
  return out;
}

/** The stored value of an entry listing `seqs` (ascending, first = the key's seq). */
export function encodeSeqs(seqs: readonly number[]): Buffer {
  if (seqs.length <= 1) return EMPTY;
  const first = seqs[0]!;
  const buf = Buffer.allocUnsafe((seqs.length - 1) * 4);
  for (let i = 1; i < seqs.length; i++) buf.writeUInt32BE(seqs[i]! - first, (i - 1) * 4);
  return buf;
}

/** Groups the index keys of one batch (records in seq order) into posting-list entries. */
export function groupEntries(keys: Iterable<IndexKey>): { key: IndexKey; value: Buffer }[] {
  const groups = new Map<string, { key: IndexKey; seqs: number[] }>();
  for (const k of keys) {
    const id = `${k[0]}${typeof k[1]}\u0000${k[1]}`;
    const g = groups.get(id);
    if (g) g.seqs.push(k[2]);
    else groups.set(id, { key: k, seqs: [k[2]] });
  }
  const out: { key: IndexKey; value: Buffer }[] = [];
  for (const { key, seqs } of groups.values()) out.push({ key, value: encodeSeqs(seqs) });
  return out;
}

/**
 * Accumulates the index entries of one batch without a key array per record: one map per tag
 * from value to its seqs (a `Map` keeps `1` and `"1"` apart, as the keys' ordered-binary
 * encoding does). {@link entries} yields the same entries as {@link groupEntries} of the keys
 * added, in the same order within each tag.
 */
export class PostingBuilder {
  readonly #tags = new Map<string, Map<string | number, number[]>>();

  add(tag: string, value: string | number, seq: number): void {
    let values = this.#tags.get(tag);
    if (!values) {
      values = new Map();
      this.#tags.set(tag, values);
    }
    const seqs = values.get(value);
    if (seqs) seqs.push(seq);
    else values.set(value, [seq]);
  }

  *entries(): Generator<{ key: IndexKey; value: Buffer }> {
    for (const [tag, values] of this.#tags) {
      for (const [value, seqs] of values) {
        yield { key: [tag, value, seqs[0]!], value: encodeSeqs(seqs) };
      }
    }
  }
}
