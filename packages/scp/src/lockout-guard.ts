import { evaluateScps, type PolicyLevel, type ProbeRequest, type ScpDecision } from "./evaluate-scps.js";
import { PROBE_ACCOUNT, type Probe } from "./probes.js";

/**
 * How the guard decides one probe request on a path: orgwarden's evaluator, or (once AWS's policy
 * simulator has answered) the stricter of the two for what the probe expects (aws-simulator/).
 */
export type Decide = (levels: readonly PolicyLevel[], request: ProbeRequest, probe: Probe) => ScpDecision;

/** orgwarden's own evaluator. */
export const evaluatorDecides: Decide = (levels, request) => evaluateScps(levels, request);

export interface ProbeResult {
  probe: Probe;
  decision: "ALLOW" | "DENY";
  /** The first request that was denied (or allowed, for an expected-deny probe), and why. */
  detail: string;
  ok: boolean;
  blocking: boolean;
  /** Set when the verdict is AWS's policy simulator's, against orgwarden's evaluator. */
  awsOnly?: true;
}

export interface LockoutReport {
  pathDescription: string;
  results: ProbeResult[];
  blocking: ProbeResult[];
}

/** Evaluates every probe against the policies in effect and says which mismatches refuse the change. */
export function checkLockout(
  levels: readonly PolicyLevel[],
  probes: readonly Probe[],
  decide: Decide = evaluatorDecides,
): LockoutReport {
  const results = probes.map((probe) => runProbe(levels, probe, decide));
  return {
    pathDescription: levels.map((l) => l.nodePath.split("/").at(-1)).join(" → "),
    results,
    blocking: results.filter((r) => r.blocking),
  };
}

export function runProbe(
  levels: readonly PolicyLevel[],
  probe: Probe,
  decide: Decide = evaluatorDecides,
): ProbeResult {
  const decisions = probe.requests.map((r) => ({ request: r, decision: decide(levels, r, probe) }));
  const denied = decisions.find((d) => d.decision.effect === "DENY");
  const allowed = decisions.find((d) => d.decision.effect === "ALLOW");
  if (probe.expect === "DENY") {
    // Every request must be denied; one that gets through means the policy does not do its job.
    const ok = allowed === undefined;
    const awsOnly = allowed?.decision.effect === "ALLOW" && allowed.decision.engine === "aws";
    return {
      ...(awsOnly ? { awsOnly } : {}),
      probe,
      decision: ok ? "DENY" : "ALLOW",
      detail: ok
        ? describeDecision(denied?.decision)
        : `${allowed?.request.action}${allowed ? requestWhere(allowed.request) : ""} is allowed${allowed?.decision.effect === "ALLOW" && allowed.decision.engine === "aws" ? " by AWS's policy simulator (orgwarden's evaluator denies it)" : ""}`,
      ok,
      blocking: !ok && probe.strictness !== "advisory",
    };
  }
  if (!denied) return { probe, decision: "ALLOW", detail: "", ok: true, blocking: false };
  const d = denied.decision;
  const ok = probe.expect === "ANY";
  // AWS's simulator names no policy: a denial only it sees is taken as the change's (the stricter reading).
  const byManaged =
    d.effect === "DENY" && ((d.by === "explicit-deny" && d.managed) || d.by === "aws-simulator");
  const blocking = !ok && (probe.strictness === "any-deny" || (probe.strictness === "managed" && byManaged));
  return {
    ...(d.effect === "DENY" && d.by === "aws-simulator" ? { awsOnly: true as const } : {}),
    probe,
    decision: "DENY",
    detail: `${denied.request.action}${requestWhere(denied.request)}: ${describeDecision(d)}`,
    ok,
    blocking,
  };
}

function requestWhere(r: ProbeRequest): string {
  const parts: string[] = [];
  if (r.resource !== "*") parts.push(`on ${r.resource}`);
  const region = r.keys["aws:RequestedRegion"];
  if (typeof region === "string") parts.push(`in ${region}`);
  if (r.keys["aws:SourceVpce"] !== undefined) parts.push("through a VPC endpoint");
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

export function describeDecision(d: ScpDecision | undefined): string {
  if (!d || d.effect === "ALLOW") return "";
  const assumed = d.assumed ? `, assuming the stricter reading of ${d.assumed}` : "";
  if (d.by === "aws-simulator") {
    return `AWS's policy simulator denies it (${d.decision === "explicitDeny" ? "an explicit Deny in an SCP" : "no SCP allows it at some level"} of the path to ${d.nodePath}); orgwarden's evaluator allows it`;
  }
  if (d.by === "no-allow") return `no SCP at ${d.nodePath} allows it${assumed}`;
  return `denied by ${d.policy}${d.sid ? ` (${d.sid})` : ""} at ${d.nodePath}${assumed}`;
}

/** Accounts that share the same SCPs below the target, with the levels in effect for them. */
export interface AccountPathGroup {
  levels: PolicyLevel[];
  accountIds: string[];
}

/**
 * The probes for one account: built per account, as its id appears in the ARNs and keys; with the
 * accounts whose path has the same policies (one account is probed for all of them).
 */
export type ProbesFor = (accountId: string, sharingPath: readonly string[]) => Probe[];

/**
 * Runs the probes for every distinct path below the target (intermediate OUs and the account's own
 * SCPs), so an account-level SCP that combines badly with the new policies is caught too. Each
 * probe reports its worst outcome and how many accounts it applies to.
 */
export function checkLockoutAcross(
  groups: readonly AccountPathGroup[],
  probes: readonly Probe[] | ProbesFor,
  decide: Decide = evaluatorDecides,
  /** What the levels below the target hold, for the path's description: "SCPs" or "RCPs". */
  many = "SCPs",
): LockoutReport {
  const probesFor: ProbesFor = typeof probes === "function" ? probes : () => [...probes];
  const reports = groups.map((g) =>
    checkLockout(g.levels, probesFor(g.accountIds[0] ?? PROBE_ACCOUNT, g.accountIds), decide),
  );
  const total = groups.reduce((n, g) => n + g.accountIds.length, 0);
  const first = reports[0];
  const results = (first?.results ?? []).map((_, i) => {
    const outcomes = reports.map((r, gi) => ({
      result: r.results[i] as ProbeResult,
      group: groups[gi] as AccountPathGroup,
    }));
    const worst =
      outcomes.find((o) => o.result.blocking) ??
      outcomes.find((o) => !o.result.ok) ??
      (outcomes[0] as (typeof outcomes)[number]);
    const affected = outcomes
      .filter((o) => o.result.decision === worst.result.decision && o.result.ok === worst.result.ok)
      .flatMap((o) => o.group.accountIds);
    const partial = groups.length > 1 && affected.length < total;
    const detail =
      partial && !worst.result.ok
        ? `${worst.result.detail} — in ${affected.length} of ${total} accounts (e.g. ${affected[0]})`
        : worst.result.detail;
    return { ...worst.result, detail };
  });
  return {
    pathDescription:
      (first?.pathDescription ?? "") +
      (total > 0 ? ` and the ${many} below it for each of ${total} account${total === 1 ? "" : "s"}` : ""),
    results,
    blocking: results.filter((r) => r.blocking),
  };
}
