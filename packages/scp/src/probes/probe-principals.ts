import type { ScpParameters } from "../scp-parameters.js";
import type { ProbeSetting } from "./probe.js";

interface PrincipalEntry {
  path: string;
  keys?: Readonly<Record<string, string>>;
}

/**
 * The principals the probes stand for, by the path of their ARN in the probe account, with the keys
 * AWS adds for them (aws:username for an IAM user).
 */
const PROBE_PRINCIPALS = {
  /** A person's IAM user. */
  "iam-user": { path: "user/alice", keys: { "aws:username": "alice" } },
  /** An IAM user with access keys only: CI, SES SMTP. */
  "keys-only-user": { path: "user/ci-deployer", keys: { "aws:username": "ci-deployer" } },
  /** The member account's root user (and centralized-root sessions, with aws:AssumedRoot). */
  root: { path: "root" },
  "workload-role": { path: "role/app-workload" },
  "sso-session": {
    path: "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef",
  },
  "config-service-linked-role": {
    path: "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
  },
  "stacksets-execution-role": { path: "role/stacksets-exec-0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
  "control-tower-execution": { path: "role/AWSControlTowerExecution" },
  /** An administrator of the member account: what the guardrails hold back. */
  "member-admin": { path: "role/member-admin" },
  "cloudformation-service-role": { path: "role/cfn-service-role" },
} as const satisfies Record<string, PrincipalEntry>;

/** A principal of the table above, or orgwarden's own role in the probe account. */
export type ProbePrincipal = keyof typeof PROBE_PRINCIPALS | "orgwarden-role";

export function probePrincipalArn(who: ProbePrincipal, params: ScpParameters, s: ProbeSetting): string {
  if (who === "orgwarden-role") return toolRoleArn(params, s);
  return `arn:${params.Partition}:iam::${s.account}:${PROBE_PRINCIPALS[who].path}`;
}

/** The request keys that come with the principal (aws:username), before the probe's own. */
export function probePrincipalKeys(who: ProbePrincipal): Readonly<Record<string, string>> {
  if (who === "orgwarden-role") return {};
  const entry: PrincipalEntry = PROBE_PRINCIPALS[who];
  return entry.keys ?? {};
}

/** orgwarden's role in the probe account: IAM's own ARN where the plan found it, else built from the name. */
function toolRoleArn(params: ScpParameters, s: ProbeSetting): string {
  return s.toolRoleArn ?? `arn:${params.Partition}:iam::${s.account}:role/${params.RoleName}`;
}
