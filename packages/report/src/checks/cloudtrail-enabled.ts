import { type CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";
import { judgeTrailSafely, type TrailJudgement } from "./trails.js";

/** cloudtrail-enabled in the registry's shape: the account's trails, and the organization's judged once. */
export async function checkCloudTrailEnabled(ctx: CheckContext): Promise<ControlOutcome[]> {
  const s = ctx.settings;
  return checkCloudTrail(ctx.clients.cloudtrail, s.homeRegion, (await s.organizationTrails?.()) ?? []);
}

/**
 * cloudtrail-enabled for one account: COMPLIANT when one multi-region trail, its own or an
 * organization trail, is logging read and write management events with none excluded.
 */
export async function checkCloudTrail(
  clientIn: (region: string) => CloudTrailClient,
  homeRegion: string,
  organizationTrails: readonly TrailJudgement[],
): Promise<ControlOutcome[]> {
  const orgOk = organizationTrails.find((t) => t.ok);
  const found = (t: TrailJudgement): ControlOutcome[] => [
    {
      control: "cloudtrail-enabled",
      status: "COMPLIANT",
      reason: `${t.organization ? "organization trail" : "multi-region trail"} ${t.name} ${t.why}`,
      resourceType: "AWS::CloudTrail::Trail",
      resourceId: t.arn,
    },
  ];
  if (orgOk) return found(orgOk);
  const orgArns = new Set(organizationTrails.map((t) => t.arn));
  const all =
    (await clientIn(homeRegion).send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ??
    [];
  const own = all.filter((t) => t.IsMultiRegionTrail && !orgArns.has(t.TrailARN ?? ""));
  const judged: Array<TrailJudgement & { error?: string }> = [...organizationTrails];
  for (const t of own) {
    const j = await judgeTrailSafely(clientIn(t.HomeRegion ?? homeRegion), t);
    if (j.ok) return found(j);
    judged.push(j);
  }
  // No trail qualifies; when none could be read, the answer is unknown rather than NON_COMPLIANT.
  const unread = judged.filter((j) => j.error);
  if (unread.length > 0 && unread.length === judged.length) {
    return [
      {
        control: "cloudtrail-enabled",
        status: "ERROR",
        reason: `no trail could be judged: ${unread.map((j) => `${j.name}: ${j.why}`).join("; ")}`,
      },
    ];
  }
  return [
    {
      control: "cloudtrail-enabled",
      status: "NON_COMPLIANT",
      reason:
        judged.length === 0
          ? `no multi-region trail${all.length > 0 ? " (only single-region trails)" : ""}, and no organization trail covers the account`
          : `no multi-region trail logs read and write management events: ${judged.map((j) => `${j.name}: ${j.why}`).join("; ")}`,
    },
  ];
}
