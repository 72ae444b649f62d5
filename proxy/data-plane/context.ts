/** What every data-plane handler shares. */
import type { SidecarConfig } from "../config/types.js";
import type { Enforcer } from "../enforce/enforcer.js";
import type { IdentityResolver } from "../identity.js";
import type { ProxyMetrics } from "../metrics.js";
import type { Upstreams } from "./upstream.js";

export interface DataPlaneContext {
  config: SidecarConfig;
  enforcer: Enforcer;
  upstreams: Upstreams;
  identity: IdentityResolver;
  metrics?: ProxyMetrics;
  /** Action kind of a tool (route table, then tool annotations seen in tools/list). */
  kindOf(tool: string): string | undefined;
  /** Remembers a kind learnt from a tool's annotations. */
  learnKind(tool: string, kind: string): void;
}
