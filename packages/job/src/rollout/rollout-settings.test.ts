import { describe, expect, it } from "vitest";
import { validateRunConfig } from "../config/run-config.js";
import { pollMs, rolloutSettings, rolloutSettingsFromConfig } from "./rollout-settings.js";

const NOW = new Date("2026-12-06T12:00:00Z");
const connection = { roleName: "OrganizationAccountAccessRole", region: "us-east-1" };

describe("orgwarden rollout's settings", () => {
  it("stages in order, the soak, and impact's defaults: 14d, lookup-events, no new denial, orgwarden-rollout.json", () => {
    const s = rolloutSettings(
      { policy: ["require-mfa"], stages: "Root/Sandbox, Root/Dev,Root/Prod", soak: "24h" },
      connection,
      undefined,
      NOW,
    );
    expect(s).toMatchObject({
      stages: ["Root/Sandbox", "Root/Dev", "Root/Prod"],
      soak: "24h",
      soakMs: 86_400_000,
      since: "14d",
      source: "lookup-events",
      maxNewDenials: 0,
      stateFile: "orgwarden-rollout.json",
      activityRegions: undefined,
    });
    expect(s.scp.policies).toEqual(["require-mfa"]);
  });

  it("takes --soak 0s (judged at once), --max-new-denials, --state and --regions", () => {
    const s = rolloutSettings(
      {
        stages: "ou-ab12-sand0001",
        soak: "0s",
        maxNewDenials: "5",
        state: "/tmp/r.json",
        regions: "eu-west-1",
        since: "36h",
      },
      connection,
      undefined,
      NOW,
    );
    expect(s).toMatchObject({ soakMs: 0, maxNewDenials: 5, stateFile: "/tmp/r.json", since: "36h" });
    expect(s.activityRegions).toEqual(["eu-west-1"]);
  });

  it.each([
    [{ soak: "24h" }, /--stages is required/],
    [{ stages: "Root/Dev" }, /--soak is required/],
    [{ stages: " , ", soak: "1h" }, /--stages names no stage/],
    [{ stages: "Root/Dev", soak: "a day" }, /--soak "a day" is not a duration/],
    [{ stages: "Root/Dev", soak: "1h", maxNewDenials: "-1" }, /--max-new-denials must be a whole number/],
    [{ stages: "Root/Dev", soak: "1h", since: "tomorrow" }, /neither a duration nor a date/],
  ])("refuses %o", (flags, message) => {
    expect(() => rolloutSettings(flags, connection, undefined, NOW)).toThrow(message);
  });

  it("--poll: 15m by default, between 1s and a day", () => {
    expect(pollMs(undefined)).toBe(900_000);
    expect(pollMs("30s")).toBe(30_000);
    expect(() => pollMs("0s")).toThrow(/between 1s and 24h/);
    expect(() => pollMs("2d")).toThrow(/between 1s and 24h/);
    expect(() => pollMs("often")).toThrow(/not a duration/);
  });
});

describe("the rollout: section of orgwarden.yaml", () => {
  it("is validated with the file, and run starts it with the top-level SCP parameters", () => {
    const { config, problems } = validateRunConfig({
      exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
      rollout: { policies: ["require-mfa"], stages: ["Root/Sandbox", "Root/Prod"], soak: "7d" },
    });
    expect(problems).toEqual([]);
    if (!config?.rollout) throw new Error("no rollout section");
    const s = rolloutSettingsFromConfig(config.rollout, connection, config, NOW);
    expect(s).toMatchObject({
      stages: ["Root/Sandbox", "Root/Prod"],
      soakMs: 7 * 86_400_000,
      deliveryMarginMs: 15 * 60_000,
      // In report.outputDir, the folder a scheduled job keeps between runs.
      stateFile: "orgwarden-reports/orgwarden-rollout.json",
      maxNewDenials: 0,
      since: "14d",
    });
    expect(s.scp.params.ExemptPrincipalArns).toContain("arn:aws:iam::*:role/BreakGlass");
  });

  it("names each bad field", () => {
    const { problems } = validateRunConfig({
      rollout: { policies: [], stages: ["Prod"], soak: "1 week", source: "ftp://x", extra: 1 },
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      "rollout",
      "rollout.policies",
      "rollout.soak",
      "rollout.source",
      "rollout.stages.0",
    ]);
  });
});
