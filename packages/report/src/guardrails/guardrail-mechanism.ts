import type { ControlId } from "@orgwarden/core";
import { foldRegions, type RegionVerdict } from "../checks/regions.js";
import type { ControlOutcome } from "../report-model.js";

/**
 * The mechanisms that can hold a guardrail's setting, as a row names them: an organization policy
 * (AWS applies it to every account in scope, and account administrators cannot change the setting)
 * or the account's own setting (an administrator of the account can change it).
 */
export const MECHANISM = {
  s3Policy: "the S3 organization policy",
  declarative: "the EC2 declarative policy",
  account: "the account's own setting",
} as const;

/** Who holds an EC2 setting in a region: EC2's `ManagedBy` (declarative-policy or account). */
export type Ec2Holder = "declarative-policy" | "account";

export function ec2Holder(managedBy: string | undefined): Ec2Holder {
  return managedBy === "declarative-policy" ? "declarative-policy" : "account";
}

export function holderName(holder: Ec2Holder): string {
  return holder === "declarative-policy" ? MECHANISM.declarative : MECHANISM.account;
}

/** One region's reading of an EC2 guardrail. */
export interface GuardrailVerdict extends Omit<RegionVerdict, "region"> {
  holder?: Ec2Holder;
}

/**
 * A regional guardrail's row: the status and regions of foldRegions (a region that refused the call
 * waits for the SCPs on the account's path, as the checks' do), with a reason that groups the
 * regions by what they read (`block-all-sharing, enforced by the EC2 declarative policy in all 17
 * regions`), and, when the row is COMPLIANT, `credit`: what the setting leaves to detective checks,
 * written with the mechanisms that hold it ("mitigated by the EC2 declarative policy").
 */
export function foldGuardrail(
  control: ControlId,
  verdicts: ReadonlyArray<RegionVerdict & Partial<GuardrailVerdict>>,
  credit?: (holders: string) => string | undefined,
): ControlOutcome {
  const outcome = foldRegions(control, verdicts);
  const judged = verdicts.filter((v) => v.status === "COMPLIANT" || v.status === "NON_COMPLIANT");
  if (judged.length === 0 || (outcome.status !== "COMPLIANT" && outcome.status !== "NON_COMPLIANT"))
    return outcome;
  const failing = judged.filter((v) => v.status === "NON_COMPLIANT");
  const passing = judged.filter((v) => v.status === "COMPLIANT");
  const errors = verdicts.filter((v) => v.status === "ERROR");
  const parts: string[] = [];
  if (failing.length > 0) {
    parts.push(`not compliant in ${failing.length} of ${verdicts.length} regions: ${grouped(failing)}`);
    if (passing.length > 0) parts.push(`compliant: ${grouped(passing)}`);
  } else {
    parts.push(grouped(passing, verdicts.length));
    const holders = [...new Set(passing.map((v) => holderName(v.holder ?? "account")))];
    const credited = credit?.(holders.join(" or "));
    if (credited) parts.push(credited);
  }
  if (errors.length > 0)
    parts.push(`could not check ${errors.map((v) => `${v.region}: ${v.reason}`).join("; ")}`);
  return { ...outcome, reason: parts.join("; ") };
}

/**
 * Regions grouped by their reason: `<reason> in all 3 regions` when every region read the same,
 * else `<reason> (us-east-1 eu-west-1); <reason> (us-west-2)`.
 */
function grouped(verdicts: ReadonlyArray<RegionVerdict>, total?: number): string {
  const byReason = new Map<string, string[]>();
  for (const v of verdicts) byReason.set(v.reason, [...(byReason.get(v.reason) ?? []), v.region]);
  if (byReason.size === 1 && total !== undefined && verdicts.length === total) {
    const [reason, regions] = [...byReason][0] as [string, string[]];
    return `${reason} in ${regions.length === 1 ? regions[0] : `all ${regions.length} regions`}`;
  }
  return [...byReason].map(([reason, regions]) => `${reason} (${regions.join(" ")})`).join("; ");
}
