import { readdirSync, readFileSync } from "node:fs";
import { CONTROL_CATALOGUE } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { ACCOUNT_CHECKS, CHECK_CONTROLS, checkControlsFor, ROOT_ACCESS_CONTROLS } from "./registry.js";

describe("the check registry", () => {
  it("gives the check-source controls, the root access ones apart", () => {
    expect(CHECK_CONTROLS).toEqual([
      "root-mfa",
      "root-hardware-mfa",
      "root-access-keys",
      "password-policy",
      "iam-user-mfa",
      "mfa-policy-in-use",
      "cloudtrail-enabled",
      "guardduty-enabled",
      "config-recorder",
    ]);
    expect(ROOT_ACCESS_CONTROLS).toEqual(["root-credentials-centralized", "root-credentials-present"]);
    expect(checkControlsFor(false)).toEqual(CHECK_CONTROLS);
    expect(checkControlsFor(true)).toEqual([...CHECK_CONTROLS, ...ROOT_ACCESS_CONTROLS]);
  });

  it("gives each control to one check only", () => {
    const controls = ACCOUNT_CHECKS.flatMap((c) => c.controls);
    expect(new Set(controls).size).toBe(controls.length);
  });

  it("how to add a check: every check file (one that takes a CheckContext) is in the registry, every control in the catalogue", () => {
    const dir = new URL(".", import.meta.url);
    const registry = readFileSync(new URL("registry.ts", dir), "utf8");
    const helpers = new Set(["account-check.ts", "check-account.ts", "registry.ts"]);
    const checks = readdirSync(dir).filter(
      (f) =>
        f.endsWith(".ts") &&
        !f.endsWith(".test.ts") &&
        !helpers.has(f) &&
        /\bCheckContext\b/.test(readFileSync(new URL(f, dir), "utf8")),
    );
    expect(checks.length).toBeGreaterThan(5);
    expect(checks.filter((f) => !registry.includes(`"./${f.replace(/\.ts$/, ".js")}"`))).toEqual([]);
    const known = new Set(CONTROL_CATALOGUE.map((c) => c.id));
    expect(ACCOUNT_CHECKS.flatMap((c) => c.controls).filter((c) => !known.has(c))).toEqual([]);
  });
});
