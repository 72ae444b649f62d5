import { type Clock, systemClock } from "../clock.js";
import type { Decision, DecisionInput } from "../decision/types.js";
import { safeDecide, withTime } from "./evaluate.js";
import type { LoadedBundle } from "./loader.js";

/**
 * Evaluates a loaded bundle statelessly: the same input always gives the same decision. It fills
 * `time` when absent and `bundle.hash`, and fails closed (never throws), but it keeps no state:
 * `rate_limit` and `quota` obligations are returned, not enforced, `history` is whatever the input
 * carries, and no alert is sent. Use it for `paracle governance evaluate`, test runners and
 * what-if tools; use {@link PolicyEngine} to enforce.
 *
 * @example
 * const evaluator = new PolicyEvaluator(await loadBundle("dist-bundle"));
 * evaluator.evaluate({ agent: { id: "a1" }, action: { name: "db.read" } }).decision; // "allow"
 */
export class PolicyEvaluator {
  readonly bundle: LoadedBundle;
  readonly #clock: Clock;
  readonly #timeZone: string | undefined;

  constructor(bundle: LoadedBundle, opts: { clock?: Clock; timeZone?: string } = {}) {
    this.bundle = bundle;
    this.#clock = opts.clock ?? systemClock;
    this.#timeZone = opts.timeZone;
  }

  evaluate(input: DecisionInput): Decision {
    return safeDecide(
      this.bundle.module,
      withTime(input, this.#clock, this.#timeZone),
      this.bundle.hash,
    );
  }
}
