import { isRegionName, OrgwardenError } from "@orgwarden/core";
import type { RunConfig } from "../config/run-config.js";

/**
 * The connection family. Precedence, for every command: a flag (or its environment variable) wins,
 * then orgwarden.yaml's `connection:`, then the default. The config file's connection settings fill
 * in every global option the user did not give on the command line or through the environment.
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

/**
 * The home region, for every command: --region (or the file's connection.region), then
 * AWS_REGION / AWS_DEFAULT_REGION, then the region of the profile (--profile, AWS_PROFILE, else
 * default) in the shared config file, then us-east-1: the chain the AWS CLI follows.
 */
export async function homeRegion(
  flag: string | undefined,
  profile: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  return (
    flag ??
    (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined) ??
    (await profileRegion(profile ?? env.AWS_PROFILE ?? "default", env)) ??
    "us-east-1"
  );
}

/** The `region` of a profile in ~/.aws/config (AWS_CONFIG_FILE); undefined when unset or unreadable. */
async function profileRegion(profile: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    // Loaded only when no flag or variable names the region: most commands never need it.
    const { loadSharedConfigFiles } = await import("@smithy/core/config");
    const files = await loadSharedConfigFiles({
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    });
    const region = files.configFile?.[profile]?.region;
    return typeof region === "string" && region ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `--regions a,b` over `connection.regions` of orgwarden.yaml; undefined when neither names any.
 * apply-scp, deploy-rules, report and run all take the regions through this one merge; only what
 * "none given" means differs, and each family says it (workRegions, the report's every enabled region).
 */
export function connectionRegions(
  flag: string | undefined,
  config: RunConfig | undefined,
): string[] | undefined {
  if (flag !== undefined) return parseRegionList(flag);
  return config?.connection.regions ? [...config.connection.regions] : undefined;
}

/**
 * The regions orgwarden works in (the lockout guard checks its own calls there; regional Config
 * rules go there): --regions, else connection.regions, else the home region.
 */
export function workRegions(flag: string | undefined, config: RunConfig | undefined, home: string): string[] {
  return connectionRegions(flag, config) ?? [home];
}

/** `--regions a,b` as the file's `regions: [a, b]`: region names, duplicates dropped, at least one. */
export function parseRegionList(raw: string): string[] {
  const regions = raw
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length === 0)
    throw new OrgwardenError("INVALID_INPUT", "--regions needs at least one region name", {
      hint: "Give region names separated by commas, e.g. --regions us-east-1,eu-west-1; leave --regions out for the default.",
    });
  for (const r of regions) {
    if (!isRegionName(r))
      throw new OrgwardenError("INVALID_INPUT", `--regions: "${r}" is not a region name`, {
        hint: "Give region names separated by commas, e.g. --regions us-east-1,eu-west-1.",
      });
  }
  return [...new Set(regions)];
}
