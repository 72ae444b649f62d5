/**
 * Integration point with the risk model compiler (compiler/risk/, issue 4). The bundle calls
 * `$risk(ctx)` before any rule; it returns `{score, level, factors, action}`.
 *
 * RISK_INTEGRATION: while compiler/risk/index.ts does not exist, every bundle gets the default
 * model below (score 0, level `low`, no action) and a RiskModel document is reported as not yet
 * supported. Once it lands, `riskCode` calls its `compileRiskModel` / `defaultRiskCode`.
 */
import type { ContextSchema, Diagnostic } from "../../grammar/index.js";
import type { RiskModelNode } from "../model.js";

export const DEFAULT_RISK_CODE = `function $risk(ctx) {
  return { score: 0, level: "low", factors: [], action: undefined };
}`;

export interface RiskCode {
  code: string;
  hoisted: string[];
  diagnostics: Diagnostic[];
}

export function riskCode(model: RiskModelNode | undefined, _schema: ContextSchema): RiskCode {
  if (!model) return { code: DEFAULT_RISK_CODE, hoisted: [], diagnostics: [] };
  return {
    code: DEFAULT_RISK_CODE,
    hoisted: [],
    diagnostics: [
      {
        code: "risk-model-unsupported",
        severity: "error",
        message:
          "`RiskModel` documents need the risk compiler (compiler/risk), which is not available in this build",
        span: model.span,
      },
    ],
  };
}
