/**
 * Integration point with the risk model compiler (compiler/risk/, issue 4). The bundle calls
 * `$risk(ctx)` before any rule; it returns `{score, level, factors, action, alert, template?,
 * error?}`. Without a RiskModel document the risk compiler's default applies (score 0, `low`).
 */
import type { ContextSchema, Diagnostic } from "../../grammar/index.js";
import { M } from "../diagnostics/catalogue.js";
import { error } from "../diagnostics/report.js";
import type { ApprovalTemplateNode, RiskModelNode } from "../model.js";
import { compileRiskModel, defaultRiskCode } from "../risk/index.js";
import { didYouMean } from "../validate/did-you-mean.js";

export interface RiskCode {
  code: string;
  hoisted: string[];
  diagnostics: Diagnostic[];
}

export function riskCode(
  model: RiskModelNode | undefined,
  schema: ContextSchema,
  templates: readonly ApprovalTemplateNode[],
): RiskCode {
  if (!model) return { code: defaultRiskCode, hoisted: [], diagnostics: [] };
  const r = compileRiskModel(model.value, model.locate, schema, {
    expressionOrigin: (path) => model.expressionAt(path),
    file: model.file,
  });
  const diagnostics = [...r.diagnostics];
  // a level's approval template must exist among the ApprovalTemplate documents
  const names = templates.map((t) => t.name);
  const levels = (r.model?.levels ?? []) as { name: string; template?: string }[];
  levels.forEach((l) => {
    if (l.template !== undefined && !names.includes(l.template)) {
      diagnostics.push(
        error(
          M.unknownTemplate(l.template, didYouMean(l.template, names)),
          model.locate(["spec", "levels", l.name, "template"]),
        ),
      );
    }
  });
  return { code: r.code, hoisted: r.hoisted, diagnostics };
}
