/**
 * Paracle Governance — public library face. Re-exports only; see ARCHITECTURE.md.
 */
export type * from "./runtime/decision/types.js";
