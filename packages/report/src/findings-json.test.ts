import { OrgwardenError } from "@orgwarden/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { AccountFindings } from "./evaluate-account.js";
import { type FindingsKeysNotPlainJson, findingsFromJson, findingsToJson } from "./findings-json.js";

describe("findings as JSON", () => {
  it("gives back what was found: dates as dates, the Config error as an OrgwardenError", () => {
    const at = new Date("2026-12-01T08:30:00.123Z");
    const found: AccountFindings = {
      check: [
        { control: "root-mfa", status: "COMPLIANT", reason: "root user has MFA", evaluatedAt: at },
        {
          control: "guardduty-enabled",
          status: "ERROR",
          reason: "1 region refused",
          region: "eu-west-1",
          deniedRegions: [{ region: "eu-west-1", reason: "AccessDenied", action: "guardduty:ListDetectors" }],
          noRegionJudged: true,
        },
      ],
      guardrails: [{ control: "s3-account-public-access-block", status: "COMPLIANT", reason: "all four on" }],
      config: [
        {
          rule: "root-account-mfa-enabled",
          control: "root-mfa",
          region: "us-east-1",
          configRuleName: "orgwarden-root-account-mfa-enabled",
          state: "evaluated",
          evaluations: [
            {
              status: "COMPLIANT",
              resourceType: "AWS::::Account",
              resourceId: "1",
              annotation: "",
              evaluatedAt: at,
            },
            {
              status: "NON_COMPLIANT",
              resourceType: "AWS::::Account",
              resourceId: "2",
              annotation: "x",
              evaluatedAt: undefined,
            },
          ],
        },
      ],
      configDeployed: ["root-mfa"],
      configError: new OrgwardenError("ACCESS_DENIED", "Config refused", {
        hint: "grant it",
        details: { region: "us-east-1" },
      }),
    };
    const back = findingsFromJson(findingsToJson(found));
    expect(back).toEqual(found);
    expect(back.check?.[0]?.evaluatedAt).toBeInstanceOf(Date);
    expect(back.config?.[0]?.evaluations[0]?.evaluatedAt?.toISOString()).toBe("2026-12-01T08:30:00.123Z");
    expect(back.configError).toBeInstanceOf(OrgwardenError);
    expect(back.configError).toMatchObject({
      code: "ACCESS_DENIED",
      hint: "grant it",
      details: { region: "us-east-1" },
    });
  });

  it("leaves a string that only looks like a date a string", () => {
    const found: AccountFindings = {
      check: [{ control: "root-mfa", status: "COMPLIANT", reason: "2026-12-01T08:30:00.000Z" }],
    };
    expect(findingsFromJson(findingsToJson(found)).check?.[0]?.reason).toBe("2026-12-01T08:30:00.000Z");
  });

  it("is made for findings whose only value JSON does not keep is the evaluatedAt date", () => {
    // A Date, Map, Set, bigint or function under another key would arrive changed: this fails to typecheck.
    expectTypeOf<FindingsKeysNotPlainJson>().toEqualTypeOf<"evaluatedAt">();
  });
});
