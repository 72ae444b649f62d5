// Cedar-wasm in process: a preparsed policy set, `statefulIsAuthorized` per request.
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

export function cedarVersion() {
  return cedar.getCedarVersion();
}

/** Preparses the policy text under an id; returns an `authorize(request)` → "allow" | "deny". */
export function prepareCedar(policyText, id) {
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: policyText });
  if (parsed.type !== "success") {
    throw new Error(`cedar: ${JSON.stringify(parsed.errors).slice(0, 500)}`);
  }
  return (req) => {
    const ans = cedar.statefulIsAuthorized({
      principal: req.principal,
      action: req.action,
      resource: req.resource,
      context: req.context,
      entities: req.entities,
      preparsedPolicySetId: id,
    });
    if (ans.type !== "success")
      throw new Error(`cedar: ${JSON.stringify(ans.errors).slice(0, 500)}`);
    return ans.response.decision;
  };
}
