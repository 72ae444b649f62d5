import { editDistance } from "../../grammar/index.js";

/** Fuzzy suggestion for "did you mean `X`?" (Levenshtein distance, Cedar's habit). */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      if (d < bestD) bestD = d;
      best = c;
    }
  }
  return best;
}

/** Levenshtein distance (the grammar's; one implementation for the whole compiler). */
export const distance = editDistance;
