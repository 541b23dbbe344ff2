import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGlobalOptions } from "./global-options.js";

// The home region comes from the usual chain: --region, AWS_REGION, the profile's region, us-east-1.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html
describe("the home region", () => {
  const dir = mkdtempSync(join(tmpdir(), "orgwarden-region-"));
  const configFile = join(dir, "config");
  writeFileSync(configFile, "[default]\nregion = ap-southeast-2\n[profile europe]\nregion = eu-west-1\n");
  const raw = { roleName: "R", concurrency: "4", maxAttempts: "3", requestTimeout: "30", logLevel: "warn" };
  const region = async (flags: Record<string, unknown>, env: NodeJS.ProcessEnv) =>
    (await parseGlobalOptions({ ...raw, ...flags }, { AWS_CONFIG_FILE: configFile, ...env })).region;

  it("--region wins over everything", async () => {
    expect(await region({ region: "ca-central-1" }, { AWS_REGION: "us-west-2", AWS_PROFILE: "europe" })).toBe(
      "ca-central-1",
    );
  });
  it("then AWS_REGION", async () => {
    expect(await region({}, { AWS_REGION: "us-west-2", AWS_PROFILE: "europe" })).toBe("us-west-2");
  });
  it("then the region of the profile (AWS_PROFILE or --profile), else of [default]", async () => {
    expect(await region({}, { AWS_PROFILE: "europe" })).toBe("eu-west-1");
    expect(await region({ profile: "europe" }, {})).toBe("eu-west-1");
    expect(await region({}, {})).toBe("ap-southeast-2");
  });
  it("then us-east-1", async () => {
    expect(await region({}, { AWS_CONFIG_FILE: join(dir, "missing") })).toBe("us-east-1");
  });
});
