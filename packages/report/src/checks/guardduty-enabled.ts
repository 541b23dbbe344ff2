import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";
import { foldRegions, type RegionVerdict, regional } from "./regions.js";

/** guardduty-enabled: a detector enabled in every region checked, one row for the account. */
export function checkGuardDuty(ctx: CheckContext): Promise<ControlOutcome[]> {
  return regional(
    ctx.settings,
    (r) => guardDutyIn(ctx.clients.guardduty(r)),
    (verdicts) => foldRegions("guardduty-enabled", verdicts),
    "guardduty:ListDetectors",
  );
}

/**
 * GuardDuty in one region, as GUARDDUTY_ENABLED_CENTRALIZED judges it: a detector whose status is
 * ENABLED. https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html
 */
export async function guardDutyIn(guardduty: GuardDutyClient): Promise<Omit<RegionVerdict, "region">> {
  // Loaded on first use (see evaluate-account.ts): only the report reads GuardDuty.
  const { GetDetectorCommand, ListDetectorsCommand } = await import("@aws-sdk/client-guardduty");
  const ids = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  if (ids.length === 0) return { status: "NON_COMPLIANT", reason: "no GuardDuty detector" };
  for (const id of ids) {
    const d = await guardduty.send(new GetDetectorCommand({ DetectorId: id }));
    if (d.Status === "ENABLED") {
      return {
        status: "COMPLIANT",
        reason: `detector ${id} is enabled`,
        resourceType: "AWS::GuardDuty::Detector",
        resourceId: id,
      };
    }
  }
  return { status: "NON_COMPLIANT", reason: `detector(s) disabled: ${ids.join(" ")}` };
}
