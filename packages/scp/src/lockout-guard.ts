import { evaluateScps, type PolicyLevel, type ProbeRequest, type ScpDecision } from "./evaluate-scps.js";
import type { ScpParameters } from "./render-policy.js";

/** Expected outcome of a probe; `blocking` says whether a mismatch refuses the change. */
export interface Probe {
  id: string;
  label: string;
  principalArn: string;
  requests: ProbeRequest[];
  expect: "ALLOW" | "DENY" | "ANY";
  /**
   * "any-deny": refuse whenever the probe is denied, whoever denies it (orgwarden's own role).
   * "managed": refuse only when an orgwarden-managed policy causes the mismatch; a denial by a
   * policy orgwarden does not manage is shown but was there before this change.
   */
  strictness: "any-deny" | "managed";
}

export interface ProbeResult {
  probe: Probe;
  decision: "ALLOW" | "DENY";
  /** The first request that was denied (or allowed, for an expected-deny probe), and why. */
  detail: string;
  ok: boolean;
  blocking: boolean;
}

export interface LockoutReport {
  pathDescription: string;
  results: ProbeResult[];
  blocking: ProbeResult[];
}

/** A stand-in member account for the probes; SCP conditions in the library never name one. */
export const PROBE_ACCOUNT = "210987654321";
/** A source address outside any allowed network (TEST-NET-3), to test restrict-source-ip's worst case. */
export const PROBE_SOURCE_IP = "203.0.113.10";

const ORGWARDEN_ACTIONS = [
  "iam:GetAccountSummary",
  "iam:ListVirtualMFADevices",
  "iam:GenerateCredentialReport",
  "iam:GetCredentialReport",
  "iam:GetAccountPasswordPolicy",
  "iam:ListEntitiesForPolicy",
  "iam:CreatePolicy",
  "config:DescribeConfigurationRecorderStatus",
  "config:PutConfigRule",
  "config:DeleteConfigRule",
  "cloudtrail:DescribeTrails",
  "guardduty:ListDetectors",
];
const ADMIN_ACTIONS = [
  "iam:CreateUser",
  "s3:ListAllMyBuckets",
  "ec2:DescribeInstances",
  "cloudtrail:StopLogging",
];
const WORKLOAD_ACTIONS = ["s3:GetObject", "dynamodb:GetItem", "sqs:SendMessage"];
const MFA_ENROLMENT_ACTIONS = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:ListMFADevices",
  "iam:GetUser",
  "sts:GetSessionToken",
];

/** Turns an ARN pattern into one concrete principal it matches (`*` account → the probe account). */
export function concretePrincipal(pattern: string): string {
  const parts = pattern.split(":");
  if (parts.length >= 6 && parts[4] && /[*?]/.test(parts[4])) parts[4] = PROBE_ACCOUNT;
  return parts.join(":").replace(/\*/g, "probe").replace(/\?/g, "x");
}

function principalType(arn: string): string {
  if (/:root$/.test(arn)) return "Account";
  if (/:user\//.test(arn)) return "User";
  return "AssumedRole";
}

function requests(
  principalArn: string,
  actions: string[],
  mfa: "true" | "false" | undefined,
  extra: Record<string, string> = {},
): ProbeRequest[] {
  const keys: Record<string, string> = {
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalAccount": PROBE_ACCOUNT,
    "aws:PrincipalType": principalType(principalArn),
    "aws:ViaAWSService": "false",
    "aws:SourceIp": PROBE_SOURCE_IP,
    ...extra,
  };
  if (mfa !== undefined) keys["aws:MultiFactorAuthPresent"] = mfa;
  return actions.map((action) => ({ action, resource: "*", keys }));
}

/**
 * The probe requests of the lockout guard. `inEffect` is the set of library policy names (without
 * the orgwarden- prefix) that will be in effect on the target after the change.
 */
export function buildProbes(params: ScpParameters, inEffect: ReadonlySet<string>): Probe[] {
  const p = params.Partition;
  const ownRole = `arn:${p}:iam::${PROBE_ACCOUNT}:role/${params.RoleName}`;
  const user = `arn:${p}:iam::${PROBE_ACCOUNT}:user/alice`;
  const root = `arn:${p}:iam::${PROBE_ACCOUNT}:root`;
  const denyRoot = inEffect.has("deny-root-user");
  // People and workloads are probed from inside the allowed network when restrict-source-ip is in
  // effect (being denied outside it is that policy's job); orgwarden's role from outside, the worst case.
  const restrictIp = inEffect.has("restrict-source-ip");
  const inside = { "aws:SourceIp": params.AllowedCidrs[0]?.split("/")[0] ?? PROBE_SOURCE_IP };
  const probes: Probe[] = [
    {
      id: "orgwarden-role",
      label: `orgwarden's role (${params.RoleName}) without MFA`,
      principalArn: ownRole,
      requests: requests(ownRole, ORGWARDEN_ACTIONS, "false"),
      expect: "ALLOW",
      strictness: "any-deny",
    },
  ];
  for (const pattern of params.ExemptPrincipalArns.slice(1)) {
    const arn = concretePrincipal(pattern);
    probes.push({
      id: `exempt:${pattern}`,
      label: `exempt principal ${pattern} without MFA`,
      principalArn: arn,
      requests: requests(arn, ADMIN_ACTIONS, principalType(arn) === "User" ? undefined : "false", inside),
      expect: "ALLOW",
      strictness: "managed",
    });
  }
  const workload = `arn:${p}:iam::${PROBE_ACCOUNT}:role/app-workload`;
  probes.push(
    {
      id: "workload-role",
      label: "a workload role session without MFA",
      principalArn: workload,
      requests: requests(workload, WORKLOAD_ACTIONS, "false", inside),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-enrol-mfa",
      label: "IAM user without MFA enrolling an MFA device",
      principalArn: user,
      requests: requests(user, MFA_ENROLMENT_ACTIONS, "false", inside),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-no-mfa",
      label: "IAM user without MFA calling s3:ListAllMyBuckets",
      principalArn: user,
      requests: [
        ...requests(user, ["s3:ListAllMyBuckets"], "false", inside),
        // Long-term access keys carry no MFA key at all: BoolIfExists must deny them too.
        ...requests(user, ["s3:ListAllMyBuckets"], undefined, inside),
      ],
      expect: inEffect.has("require-mfa") ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "user-with-mfa",
      label: "IAM user signed in with MFA",
      principalArn: user,
      requests: requests(user, ["s3:ListAllMyBuckets", "ec2:DescribeInstances"], "true", inside),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "root-user",
      label: "the root user",
      principalArn: root,
      requests: requests(root, ["s3:ListAllMyBuckets", "iam:CreateAccessKey"], undefined),
      expect: denyRoot ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "assume-root",
      label: "a centralized-root (AssumeRoot) session",
      principalArn: root,
      requests: requests(root, ["iam:DeleteLoginProfile", "iam:ListMFADevices"], "false", {
        "aws:AssumedRoot": "true",
      }),
      expect: denyRoot ? (params.ExemptAssumeRoot ? "ALLOW" : "DENY") : "ANY",
      strictness: "managed",
    },
  );
  if (restrictIp) {
    probes.push({
      id: "user-outside-network",
      label: `IAM user with MFA from outside the allowed networks (${PROBE_SOURCE_IP})`,
      principalArn: user,
      requests: requests(user, ["s3:ListAllMyBuckets"], "true"),
      expect: "DENY",
      strictness: "managed",
    });
  }
  return probes;
}

/** Evaluates every probe against the policies in effect and says which mismatches refuse the change. */
export function checkLockout(levels: readonly PolicyLevel[], probes: readonly Probe[]): LockoutReport {
  const results = probes.map((probe) => runProbe(levels, probe));
  return {
    pathDescription: levels.map((l) => l.nodePath.split("/").at(-1)).join(" → "),
    results,
    blocking: results.filter((r) => r.blocking),
  };
}

function runProbe(levels: readonly PolicyLevel[], probe: Probe): ProbeResult {
  const decisions = probe.requests.map((r) => ({ request: r, decision: evaluateScps(levels, r) }));
  const denied = decisions.find((d) => d.decision.effect === "DENY");
  const allowed = decisions.find((d) => d.decision.effect === "ALLOW");
  if (probe.expect === "DENY") {
    // Every request must be denied; one that gets through means the policy does not do its job.
    const ok = allowed === undefined;
    return {
      probe,
      decision: ok ? "DENY" : "ALLOW",
      detail: ok ? describe(denied?.decision) : `${allowed?.request.action} is allowed`,
      ok,
      blocking: !ok,
    };
  }
  if (!denied) return { probe, decision: "ALLOW", detail: "", ok: true, blocking: false };
  const d = denied.decision;
  const ok = probe.expect === "ANY";
  const byManaged = d.effect === "DENY" && d.by === "explicit-deny" && d.managed;
  const blocking = !ok && (probe.strictness === "any-deny" || byManaged);
  return { probe, decision: "DENY", detail: `${denied.request.action}: ${describe(d)}`, ok, blocking };
}

function describe(d: ScpDecision | undefined): string {
  if (!d || d.effect === "ALLOW") return "";
  const assumed = d.assumed ? `, assuming the stricter reading of ${d.assumed}` : "";
  if (d.by === "no-allow") return `no SCP at ${d.nodePath} allows it${assumed}`;
  return `denied by ${d.policy}${d.sid ? ` (${d.sid})` : ""} at ${d.nodePath}${assumed}`;
}

/** Accounts that share the same SCPs below the target, with the levels in effect for them. */
export interface AccountPathGroup {
  levels: PolicyLevel[];
  accountIds: string[];
}

/**
 * Runs the probes for every distinct path below the target (intermediate OUs and the account's own
 * SCPs), so an account-level SCP that combines badly with the new policies is caught too. Each
 * probe reports its worst outcome and how many accounts it applies to.
 */
export function checkLockoutAcross(
  groups: readonly AccountPathGroup[],
  probes: readonly Probe[],
): LockoutReport {
  const reports = groups.map((g) => checkLockout(g.levels, probes));
  const total = groups.reduce((n, g) => n + g.accountIds.length, 0);
  const results = probes.map((_, i) => {
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
  const first = reports[0];
  return {
    pathDescription:
      (first?.pathDescription ?? "") +
      (total > 0 ? ` and the SCPs below it for each of ${total} account${total === 1 ? "" : "s"}` : ""),
    results,
    blocking: results.filter((r) => r.blocking),
  };
}
