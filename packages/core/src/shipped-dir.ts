import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A data folder that ships with orgwarden (`scp/` and `rcp/`, the policy libraries; `config-rules/`, the rule
 * catalogue), found from the module asking for it: next to the bundle in the installed package
 * (`<package>/dist/x.js` → `<package>/scp/`), at the repository root in a checkout
 * (`packages/<name>/dist/x.js` → `scp/`).
 */
export function shippedDir(name: string, moduleUrl: string): string {
  const candidates = [`../${name}/`, `../../../${name}/`].map((rel) =>
    fileURLToPath(new URL(rel, moduleUrl)),
  );
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[candidates.length - 1] as string);
}
