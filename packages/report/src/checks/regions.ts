import { type ControlId, describeAwsError, isAwsError } from "@orgwarden/core";
import pLimit from "p-limit";
import type { ControlOutcome, DeniedRegion } from "../report-model.js";
import type { AccountCheckSettings } from "./account-check.js";

/** One region's answer for a regional control. */
export interface RegionVerdict {
  region: string;
  /**
   * DENIED: the call was refused (AccessDenied). The region is not judged here: the report asks the
   * SCPs on the account's path whether they deny it to everyone (settleDeniedRegions).
   */
  status: "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "DENIED";
  reason: string;
  /** DENIED: the call that was refused, e.g. guardduty:ListDetectors. */
  action?: string;
  resourceType?: string;
  resourceId?: string;
}

/** Regions of one account are checked a few at a time: each region is one or two calls per control. */
const REGIONS_AT_ONCE = 4;

/** Runs `check` in every region (at most four at once); a failed region is an ERROR verdict, not a failed account. */
export async function inEveryRegion<V extends Omit<RegionVerdict, "region">>(
  regions: readonly string[],
  check: (region: string) => Promise<V>,
  /** The IAM action of the check's first call in a region, named when that region refuses it. */
  action?: string,
): Promise<Array<RegionVerdict & Partial<V>>> {
  const limit = pLimit(REGIONS_AT_ONCE);
  return Promise.all(
    regions.map((region) =>
      limit(async (): Promise<RegionVerdict & Partial<V>> => {
        try {
          return { region, ...(await check(region)) };
        } catch (err) {
          const e = describeAwsError(err);
          const denied = isAwsError(err, "AccessDenied", "AccessDeniedException");
          const failed: RegionVerdict = {
            region,
            status: denied ? "DENIED" : "ERROR",
            reason: e.hint ? `${e.message} (${e.hint})` : e.message,
            ...(denied && action ? { action } : {}),
          };
          // A failed region has none of the check's own fields (e.g. recordsGlobal).
          return failed as RegionVerdict & Partial<V>;
        }
      }),
    ),
  );
}

/**
 * One row from the regions: COMPLIANT only when every region is; otherwise the failing regions are
 * named in the reason and in `region`. An ERROR in a region (and no failure elsewhere) is an ERROR.
 * Regions that refused the calls (DENIED) are set aside in `deniedRegions`: the outcome is not final
 * until settleDeniedRegions has asked the account's SCPs about them.
 */
export function foldRegions(control: ControlId, verdicts: readonly RegionVerdict[]): ControlOutcome {
  const denied = verdicts.filter((v) => v.status === "DENIED");
  if (denied.length > 0) {
    const judged = verdicts.filter((v) => v.status !== "DENIED");
    const outcome: ControlOutcome =
      judged.length > 0
        ? foldRegions(control, judged)
        : {
            control,
            status: "ERROR",
            reason: `access denied in every region: ${denied.map((v) => `${v.region}: ${v.reason}`).join("; ")}`,
            region: denied.map((v) => v.region).join(" "),
          };
    return {
      ...outcome,
      deniedRegions: denied.map((v) => ({
        region: v.region,
        reason: v.reason,
        ...(v.action ? { action: v.action } : {}),
      })),
      ...(judged.length === 0 ? { noRegionJudged: true } : {}),
    };
  }
  const failing = verdicts.filter((v) => v.status === "NON_COMPLIANT");
  const errors = verdicts.filter((v) => v.status === "ERROR" || v.status === "DENIED");
  const describe = (list: readonly RegionVerdict[]) => list.map((v) => `${v.region}: ${v.reason}`).join("; ");
  if (verdicts.length === 0) {
    return { control, status: "ERROR", reason: "no region to check", region: "" };
  }
  if (failing.length > 0) {
    return {
      control,
      status: "NON_COMPLIANT",
      reason: `not compliant in ${failing.length} of ${verdicts.length} regions: ${describe(failing)}${errors.length ? `; could not check ${describe(errors)}` : ""}`,
      region: failing.map((v) => v.region).join(" "),
    };
  }
  if (errors.length > 0) {
    return {
      control,
      status: "ERROR",
      reason: `could not check ${errors.length} of ${verdicts.length} regions: ${describe(errors)}`,
      region: errors.map((v) => v.region).join(" "),
    };
  }
  const one = verdicts.length === 1 ? verdicts[0] : undefined;
  return {
    control,
    status: "COMPLIANT",
    reason: one ? one.reason : `compliant in all ${verdicts.length} regions`,
    region: verdicts.map((v) => v.region).join(" "),
    ...(one?.resourceType ? { resourceType: one.resourceType, resourceId: one.resourceId ?? "" } : {}),
  };
}

/**
 * A regional control: judged in each region (the list is awaited here, so the global checks never
 * wait for it), folded into one row. Regions that could not be listed make the control ERROR
 * (thrown); chosen regions the account has not enabled are named in the reason, not dropped.
 */
export async function regional<V extends Omit<RegionVerdict, "region">>(
  s: Pick<AccountCheckSettings, "regions">,
  check: (region: string) => Promise<V>,
  fold: (verdicts: Array<RegionVerdict & Partial<V>>) => ControlOutcome,
  /** The IAM action of the check's first call in a region (asked of the SCPs when a region refuses it). */
  action?: string,
): Promise<ControlOutcome[]> {
  const where = "then" in s.regions ? await s.regions : { regions: s.regions };
  if ("error" in where && where.error) throw new Error(where.error);
  const outcome = fold(await inEveryRegion(where.regions, check, action));
  const skipped = "notEnabled" in where ? (where.notEnabled ?? []) : [];
  return [
    skipped.length === 0
      ? outcome
      : {
          ...outcome,
          reason: `${outcome.reason}; not enabled in this account, so not checked: ${skipped.join(" ")}`,
        },
  ];
}

/**
 * The final outcome of a control whose calls some regions refused, once the SCPs on the account's
 * path were asked (`explained`: region → the SCP denying it to every principal, or undefined).
 *
 * A region a region-deny SCP closes to everyone is named with that SCP and left out of the verdict:
 * no one can use it, orgwarden included. Any other refused region makes the row ERROR (unless it
 * already fails elsewhere), never COMPLIANT: access denied is a failure of the evaluation, not a fact
 * about the account. It is ERROR rather than INSUFFICIENT_DATA because INSUFFICIENT_DATA means the
 * evaluator ran and had nothing to judge yet (AWS Config's meaning); here it was refused, and the
 * operator has to act (grant orgwarden's role, or find the policy that denies it), as with any ERROR
 * row, which also makes the run incomplete (exit 3).
 */
export function settleDeniedRegions(
  outcome: ControlOutcome,
  explained: ReadonlyMap<string, string | undefined>,
): ControlOutcome {
  const { deniedRegions, noRegionJudged, ...base } = outcome;
  if (!deniedRegions?.length) return base;
  const closed = deniedRegions.filter((d) => explained.get(d.region));
  const refused = deniedRegions.filter((d) => !explained.get(d.region));
  const closedText = closed.length
    ? `not checked in ${closed.map((d) => `${d.region} (${explained.get(d.region)}: the region is closed to every principal)`).join(", ")}`
    : "";
  const refusedText = refused.length
    ? `could not check ${refused
        .map((d) => `${d.region}: access denied${d.action ? ` to ${d.action}` : ""} (${d.reason})`)
        .join(
          "; ",
        )}; no SCP on the account's path denies ${refused.length === 1 ? "that region" : "those regions"} to every principal, so orgwarden's role is refused there by something else (an SCP that names it, a permissions boundary, the role's own policy): allow it, or leave the region out with --regions / connection.regions`
    : "";
  const regions = (list: readonly DeniedRegion[]) => list.map((d) => d.region);
  const join = (...parts: string[]) => parts.filter(Boolean).join("; ");
  if (noRegionJudged) {
    return refused.length === 0
      ? { ...base, status: "NOT_APPLICABLE", reason: closedText, region: regions(closed).join(" ") }
      : {
          ...base,
          status: "ERROR",
          reason: join(refusedText, closedText),
          region: regions(refused).join(" "),
        };
  }
  if (refused.length > 0 && (base.status === "COMPLIANT" || base.status === "NOT_APPLICABLE")) {
    return {
      control: base.control,
      status: "ERROR",
      reason: join(
        refusedText,
        `${base.status.toLowerCase()} in the regions read: ${base.reason}`,
        closedText,
      ),
      region: regions(refused).join(" "),
    };
  }
  const region =
    base.status === "ERROR" && refused.length
      ? [base.region ?? "", ...regions(refused)].filter(Boolean).join(" ")
      : base.region;
  return {
    ...base,
    reason: join(base.reason, refusedText, closedText),
    ...(region !== undefined ? { region } : {}),
  };
}
