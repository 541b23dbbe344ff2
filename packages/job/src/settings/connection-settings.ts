import type { RunConfig } from "../config/run-config.js";

/**
 * The config file's connection settings fill in every global option the user did not give on the
 * command line or through the environment (flags win over the file, the file over defaults).
 */
export function applyConnectionDefaults(
  raw: Record<string, unknown>,
  config: RunConfig,
  sourceOf: (name: string) => string | undefined,
): void {
  const c = config.connection;
  const values: Record<string, unknown> = {
    region: c.region,
    roleName: c.roleName,
    externalId: c.externalId,
    concurrency: c.concurrency,
    organizationsRate: c.organizationsRate,
    workers: c.workers,
    maxAttempts: c.maxAttempts,
    endpointUrl: c.endpointUrl,
    profile: c.profile,
  };
  for (const [name, value] of Object.entries(values)) {
    const source = sourceOf(name);
    if (value === undefined || source === "cli" || source === "env") continue;
    raw[name] = typeof value === "number" ? String(value) : value;
  }
}
