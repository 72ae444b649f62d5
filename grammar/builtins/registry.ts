import type { Builtin, BuiltinGroup } from "./builtin.js";
import { conversionBuiltins } from "./conversions.js";
import { detectorBuiltins } from "./detectors.js";
import { hasSizeBuiltins } from "./has-size.js";
import { listBuiltins } from "./lists.js";
import { stringBuiltins } from "./strings.js";
import { timeBuiltins } from "./time.js";

/**
 * Every builtin group, in PRELUDE order. To add a group, write `builtins/<group>.ts` exporting a
 * `BuiltinGroup` and add one line here.
 */
export const builtinGroups: readonly BuiltinGroup[] = [
  hasSizeBuiltins,
  stringBuiltins,
  listBuiltins,
  conversionBuiltins,
  timeBuiltins,
  detectorBuiltins,
];

/** Builtins by name (a name is defined by one group only). */
export const builtins: ReadonlyMap<string, Builtin> = new Map(
  builtinGroups.flatMap((g) => g.builtins.map((b) => [b.name, b] as const)),
);
