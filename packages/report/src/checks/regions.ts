import { type ControlId, describeAwsError, isAwsError } from "@orgwarden/core";
import pLimit from "p-limit";
import type { ControlOutcome } from "../report-model.js";
import type { AccountCheckSettings } from "./account-check.js";

/** One region's answer for a regional control. */
export interface RegionVerdict {
  region: string;
  /** DENIED: the call was refused (e.g. a region-deny SCP); the region is named, not judged. */
  status: "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "DENIED";
  reason: string;
  resourceType?: string;
  resourceId?: string;
}

/** Regions of one account are checked a few at a time: each region is one or two calls per control. */
const REGIONS_AT_ONCE = 4;

/** Runs `check` in every region (at most four at once); a failed region is an ERROR verdict, not a failed account. */
export async function inEveryRegion<V extends Omit<RegionVerdict, "region">>(
  regions: readonly string[],
  check: (region: string) => Promise<V>,
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
 */
export function foldRegions(control: ControlId, verdicts: readonly RegionVerdict[]): ControlOutcome {
  const denied = verdicts.filter((v) => v.status === "DENIED");
  if (denied.length > 0 && denied.length < verdicts.length) {
    // Regions the role may not call (a region-deny SCP) are named, and the rest judged.
    const outcome = foldRegions(
      control,
      verdicts.filter((v) => v.status !== "DENIED"),
    );
    return {
      ...outcome,
      reason: `${outcome.reason}; not checked in ${denied.map((v) => v.region).join(" ")} (access denied there, e.g. by a region-deny SCP)`,
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
  s: AccountCheckSettings,
  check: (region: string) => Promise<V>,
  fold: (verdicts: Array<RegionVerdict & Partial<V>>) => ControlOutcome,
): Promise<ControlOutcome[]> {
  const where = "then" in s.regions ? await s.regions : { regions: s.regions };
  if ("error" in where && where.error) throw new Error(where.error);
  const outcome = fold(await inEveryRegion(where.regions, check));
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
