/**
 * The compact range [0, n) of an RFC 9162 tree: the hashes of the complete subtrees given by the
 * binary decomposition of n, largest (leftmost) first. Appending a leaf merges equal-sized
 * neighbours (O(log n), amortised one node hash per leaf), and the root is the right fold
 * MTH = H(s0, H(s1, … H(s_{k-2}, s_{k-1}))) — exactly RFC 9162 §2.1.1's recursion.
 */
import { fastNodeHash } from "./fast-hash.js";
import { EMPTY_ROOT, type NodeSource, nodeHash, rangeHash } from "./merkle.js";

/** One complete, aligned subtree: 2^level leaves starting at leaf index·2^level. */
export interface TreeNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

export class CompactRange {
  #nodes: TreeNode[];
  #size: number;

  /** `nodes` must be the decomposition of `size` (see {@link decomposition}). */
  constructor(size = 0, nodes: TreeNode[] = []) {
    this.#size = size;
    this.#nodes = nodes.slice();
  }

  get size(): number {
    return this.#size;
  }

  get nodes(): readonly TreeNode[] {
    return this.#nodes;
  }

  /**
   * Appends one leaf hash; returns every subtree it completed (the leaf itself first), which a
   * store persists so proofs can be answered without rehashing.
   */
  push(leaf: Uint8Array): TreeNode[] {
    const created: TreeNode[] = [{ level: 0, index: this.#size, hash: leaf }];
    this.#append(created[0]!, created);
    return created;
  }

  /**
   * Appends one leaf hash like {@link push}, adding only the subtrees of level ≥ 1 it completed
   * to `completed` (the writer's batch list; no array per leaf).
   */
  pushInto(leaf: Uint8Array, completed: TreeNode[]): void {
    this.#append({ level: 0, index: this.#size, hash: leaf }, completed);
  }

  #append(leafNode: TreeNode, created: TreeNode[]): void {
    this.#nodes.push(leafNode);
    this.#size += 1;
    for (;;) {
      const n = this.#nodes.length;
      const right = this.#nodes[n - 1];
      const left = this.#nodes[n - 2];
      if (!right || !left || left.level !== right.level) break;
      const merged = {
        level: left.level + 1,
        index: left.index / 2,
        hash: fastNodeHash(left.hash, right.hash),
      };
      this.#nodes.length = n - 2;
      this.#nodes.push(merged);
      created.push(merged);
    }
  }

  /** MTH of the first `size` leaves. */
  root(): Uint8Array {
    const nodes = this.#nodes;
    if (nodes.length === 0) return EMPTY_ROOT;
    let r = nodes[nodes.length - 1]!.hash;
    for (let i = nodes.length - 2; i >= 0; i--) r = fastNodeHash(nodes[i]!.hash, r);
    return r;
  }

  clone(): CompactRange {
    return new CompactRange(this.#size, this.#nodes);
  }
}

/** The (level, index) of the complete subtrees making up [0, size), largest first. */
export function decomposition(size: number): { level: number; index: number }[] {
  const out: { level: number; index: number }[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (start + width <= size) {
      out.push({ level, index: start / width });
      start += width;
    }
  }
  return out;
}

/** The complete aligned subtrees making up [start, end), left to right (greedy, largest aligned). */
export function rangeDecomposition(start: number, end: number): { level: number; index: number }[] {
  const out: { level: number; index: number }[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level++;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/**
 * MTH(D[0:size]) from complete aligned subtrees that together cover [0, size) (e.g. an archive's
 * leaves plus the subtrees to their left and right). Missing subtrees are derived from their
 * children; throws when some leaf range is not covered.
 */
export function rootFromNodes(nodes: Iterable<TreeNode>, size: number): Uint8Array {
  const known = new Map<string, Uint8Array>();
  for (const n of nodes) known.set(`${n.level}:${n.index}`, n.hash);
  const src: NodeSource = (level, index) => {
    const hit = known.get(`${level}:${index}`);
    if (hit) return hit;
    if (level === 0) throw new RangeError(`leaf \`${index}\` is not covered`);
    const h = nodeHash(src(level - 1, index * 2), src(level - 1, index * 2 + 1));
    known.set(`${level}:${index}`, h);
    return h;
  };
  return rangeHash(src, 0, size);
}
