import {
  type AdvancedEventSelector,
  type CloudTrailClient,
  DescribeTrailsCommand,
  type EventSelector,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import { describeAwsError } from "@orgwarden/core";

/** One multi-region trail, judged the way MULTI_REGION_CLOUD_TRAIL_ENABLED judges it. */
export interface TrailJudgement {
  name: string;
  arn: string;
  organization: boolean;
  ok: boolean;
  /** Why it counts, or why not. */
  why: string;
}

/**
 * Management events, read and write, none excluded: basic selectors with IncludeManagementEvents
 * and ReadWriteType, or advanced selectors on eventCategory = Management (readOnly narrowing to one
 * side, eventSource NotEquals excluding sources). A trail without selectors logs all management
 * events, CloudTrail's default.
 * https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloudtrail-enabled.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
 */
export function managementEventsCovered(
  basic: readonly EventSelector[] | undefined,
  advanced: readonly AdvancedEventSelector[] | undefined,
): { ok: boolean; why: string } {
  let read = false;
  let write = false;
  const excluded: string[] = [];
  if ((basic ?? []).length === 0 && (advanced ?? []).length === 0) {
    return { ok: true, why: "no event selectors: all management events are logged (CloudTrail's default)" };
  }
  for (const s of basic ?? []) {
    if (s.IncludeManagementEvents === false) continue;
    const rw = s.ReadWriteType ?? "All";
    if (rw === "All" || rw === "ReadOnly") read = true;
    if (rw === "All" || rw === "WriteOnly") write = true;
    excluded.push(...(s.ExcludeManagementEventSources ?? []));
  }
  for (const s of advanced ?? []) {
    const fields = s.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === "eventCategory");
    if (!category?.Equals?.includes("Management")) continue;
    const readOnly = fields.find((f) => f.Field === "readOnly");
    const only = readOnly?.Equals?.[0];
    if (only === undefined || only === "true") read = true;
    if (only === undefined || only === "false") write = true;
    excluded.push(...(fields.find((f) => f.Field === "eventSource")?.NotEquals ?? []));
  }
  if (!read && !write) return { ok: false, why: "its event selectors exclude management events" };
  if (!read || !write) {
    return { ok: false, why: `it logs only ${read ? "read" : "write"} management events` };
  }
  if (excluded.length > 0) {
    return { ok: false, why: `it excludes management events from ${[...new Set(excluded)].join(", ")}` };
  }
  return { ok: true, why: "logs read and write management events" };
}

/** Judges one multi-region trail: logging, and management events read and write. */
export async function judgeTrail(client: CloudTrailClient, trail: Trail): Promise<TrailJudgement> {
  const id = trail.TrailARN ?? trail.Name ?? "";
  const base = { name: trail.Name ?? id, arn: id, organization: trail.IsOrganizationTrail === true };
  const [status, selectors] = await Promise.all([
    client.send(new GetTrailStatusCommand({ Name: id })),
    client.send(new GetEventSelectorsCommand({ TrailName: id })),
  ]);
  if (!status.IsLogging) return { ...base, ok: false, why: "it is not logging" };
  const events = managementEventsCovered(selectors.EventSelectors, selectors.AdvancedEventSelectors);
  return { ...base, ok: events.ok, why: events.ok ? `is logging and ${events.why}` : events.why };
}

/** Every multi-region trail visible from this client's region (shadow trails included). */
export async function multiRegionTrails(client: CloudTrailClient): Promise<Trail[]> {
  const trails =
    (await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  return trails.filter((t) => t.IsMultiRegionTrail);
}

/**
 * The organization trails of the management account, judged once for the whole report: each covers
 * every member account, which may have no trail of its own.
 */
export async function judgeOrganizationTrails(
  clientIn: (region: string) => CloudTrailClient,
  homeRegion: string,
): Promise<TrailJudgement[]> {
  const trails = (await multiRegionTrails(clientIn(homeRegion))).filter((t) => t.IsOrganizationTrail);
  return Promise.all(trails.map((t) => judgeTrailSafely(clientIn(t.HomeRegion ?? homeRegion), t)));
}

/** judgeTrail, with a trail that cannot be read judged "not ok" with the reason (others still count). */
export async function judgeTrailSafely(
  client: CloudTrailClient,
  trail: Trail,
): Promise<TrailJudgement & { error?: string }> {
  try {
    return await judgeTrail(client, trail);
  } catch (err) {
    const e = describeAwsError(err, "CloudTrail");
    const id = trail.TrailARN ?? trail.Name ?? "";
    return {
      name: trail.Name ?? id,
      arn: id,
      organization: trail.IsOrganizationTrail === true,
      ok: false,
      why: `could not be read: ${e.message}`,
      error: e.message,
    };
  }
}
