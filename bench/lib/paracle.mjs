// Our side of the comparisons: compile a policy directory with the real `paracle-compile` CLI
// (the contract users run in CI) and load the bundle as the runtime does.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(import.meta.dirname, "..", "..");

export function ensureBuilt() {
  if (!existsSync(join(ROOT, "dist", "cli", "paracle-compile.js"))) {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  }
}

/** Writes `yaml` as a policy dir under `work`, compiles it, returns {bundleDir, compileMs}. */
export function compileYaml(work, name, yaml) {
  const dir = join(work, name, "policies");
  const out = join(work, name, "bundle");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "policies.yaml"), yaml);
  const t0 = process.hrtime.bigint();
  execFileSync(
    process.execPath,
    [join(ROOT, "dist", "cli", "paracle-compile.js"), dir, "--out", out],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { bundleDir: out, compileMs };
}

export async function importBundle(bundleDir) {
  const manifest = JSON.parse(readFileSync(join(bundleDir, "manifest.json"), "utf8"));
  const mod = await import(
    `${pathToFileURL(join(bundleDir, "bundle.mjs")).href}?v=${manifest.hash}`
  );
  return { mod, manifest };
}
