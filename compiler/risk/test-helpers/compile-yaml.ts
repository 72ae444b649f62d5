import { isNode, isScalar, LineCounter, parseDocument, Scalar } from "yaml";
import { defaultContextSchema, type Span } from "../../../grammar/index.js";
import { type CompiledRiskModel, compileRiskModel } from "../index.js";
import { instantiateRisk, type RiskResult } from "../scorer.js";

/** Compiles a RiskModel YAML text with real positions (as the compiler's locate does). */
export function compileYaml(
  text: string,
  file = "risk.yaml",
): CompiledRiskModel & { source: string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true });
  const locate = (path: (string | number)[]): Span => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const a = lc.linePos(node.range[0]);
        const b = lc.linePos(node.range[1]);
        return { file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
      }
    }
    return { file, line: 1, col: 1, endLine: 1, endCol: 1 };
  };
  // quoted scalars: the expression text starts after the quote (the compiler does the same)
  const expressionOrigin = (path: (string | number)[]) => {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || typeof node.value !== "string" || !node.range) return undefined;
    const quoted = node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE;
    const p = lc.linePos(node.range[0] + (quoted ? 1 : 0));
    return { text: node.value, origin: { file, line: p.line, col: p.col } };
  };
  return {
    ...compileRiskModel(doc.toJS(), locate, defaultContextSchema, { file, expressionOrigin }),
    source: text,
  };
}

/** Compiles and instantiates; throws with the diagnostics when the model has errors. */
export function riskOf(text: string): (ctx: Record<string, unknown>) => RiskResult {
  const c = compileYaml(text);
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new Error(
      errors.map((d) => `${d.span.line}:${d.span.col} ${d.code}: ${d.message}`).join("\n"),
    );
  }
  const fn = instantiateRisk(c.code, c.hoisted);
  return (ctx) => fn({ time: "2026-01-05T10:00:00Z", ...ctx });
}

/** `diagnostics` as compact `line:col code: message` strings. */
export function problems(text: string): string[] {
  return compileYaml(text).diagnostics.map(
    (d) => `${d.span.line}:${d.span.col} ${d.code}: ${d.message}`,
  );
}
