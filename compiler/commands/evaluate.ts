/**
 * `paracle governance evaluate --bundle <dir> --input <file.json|-> [--explain]`: prints the
 * decision JSON. The bundle's bytes must match its manifest hash (signatures are the runtime
 * loader's job). With `--explain`, adds `explanation`: for each rule that decided, the value of
 * every sub-condition (grammar's explainExpression over the same context the rule saw).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  defaultContextSchema,
  explainExpression,
  extendSchema,
  parseExpression,
} from "../../grammar/index.js";
import { importBundle } from "../bundle-io.js";
import { sha256Hex } from "../write/manifest.js";
import { type CommandIO, EXIT, processIO } from "./io.js";

export interface EvaluateOptions {
  bundle: string;
  input: string;
  explain?: boolean;
}

export async function evaluateCommand(
  o: EvaluateOptions,
  io: CommandIO = processIO,
): Promise<number> {
  let input: unknown;
  let hash: string;
  try {
    const manifest = JSON.parse(await readFile(join(o.bundle, "manifest.json"), "utf8")) as {
      hash?: string;
    };
    hash = sha256Hex(await readFile(join(o.bundle, "bundle.mjs")));
    if (manifest.hash !== hash)
      throw new Error(
        `\`${join(o.bundle, "bundle.mjs")}\` does not match the hash in its manifest`,
      );
    const text = o.input === "-" ? await io.readStdin() : await readFile(o.input, "utf8");
    input = JSON.parse(text);
  } catch (e) {
    io.stderr(
      `paracle governance evaluate: error: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return EXIT.usage;
  }
  const bundle = await importBundle(o.bundle);
  const decision = bundle.decide(input as never) as unknown as Record<string, unknown>;
  decision.bundle = { hash };
  if (o.explain) decision.explanation = explain(bundle, input, decision);
  io.stdout(`${JSON.stringify(decision, null, 2)}\n`);
  return EXIT.ok;
}

function explain(
  bundle: Awaited<ReturnType<typeof importBundle>>,
  input: unknown,
  decision: Record<string, unknown>,
) {
  const reasons = new Set(decision.reasons as string[]);
  const matched = decision.matched as { id: string; reason?: string }[];
  const deciding = matched.filter((m) => m.reason !== undefined && reasons.has(m.reason));
  const ctx = bundle.context(input as never);
  const ext =
    (bundle.metadata as { schema_extension?: Record<string, Record<string, string>> })
      .schema_extension ?? {};
  const schema = extendSchema(defaultContextSchema, ext);
  return deciding.map((m) => {
    const rule = bundle.rules[m.id];
    if (!rule?.when)
      return {
        policy: m.id,
        when: null,
        why: "the rule has no condition: its match alone applies",
      };
    const { ast } = parseExpression(rule.when);
    return {
      policy: m.id,
      when: rule.when,
      why: ast ? explainExpression(ast, ctx, rule.constants, schema) : null,
    };
  });
}
