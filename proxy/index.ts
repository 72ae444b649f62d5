/**
 * The sidecar proxy's public face (re-exports only): config, start, parts. See docs/sidecar.md.
 */
export type { AdminEnv, Principal } from "./admin/auth.js";
export { type CheckReport, checkConfigFile } from "./check.js";
export { ConfigError, loadConfig, validateConfig } from "./config/load.js";
export type { SidecarConfig } from "./config/types.js";
export { type OpenPartsOptions, openRuntimeParts, type RuntimeParts } from "./parts.js";
export { type ServeOptions, serveFromFile } from "./serve.js";
export { type Sidecar, type SidecarParts, startSidecar } from "./sidecar.js";
