import { OrgwardenError, requestedRegion } from "@orgwarden/core";
import type { ProbeRequest } from "./evaluate-scps.js";
import { principalKeys, resourceKeys } from "./probes/probe-requests.js";
import type { KeyValue } from "./request-keys.js";

/** One `--context` entry: a key set (one value, or a list) or, with `value` null, taken out. */
export interface ContextOverride {
  key: string;
  value: KeyValue | null;
}

/** Where a simulated request is made, in the organization. */
export interface RequestSetting {
  organizationId: string;
  /** The account whose SCPs decide: the target account, or the example account of a path. */
  account: string;
  /** aws:ResourceOrgPaths of an account of the organization; undefined for an account outside it. */
  orgPathOf: (account: string) => string | undefined;
}

export interface SimulatedRequestInput {
  /** An IAM user, role or root ARN, or `root`, `user/NAME`, `role/PATH/NAME` in the setting's account. */
  principal: string;
  action: string;
  resource: string;
  /** aws:RequestedRegion (IAM's actions carry us-east-1, as AWS sends them). */
  region: string;
  partition: string;
  overrides: readonly ContextOverride[];
}

export interface SimulatedRequest {
  request: ProbeRequest;
  principalArn: string;
  /** Keys orgwarden set by default (no --context names them), by name. */
  assumed: string[];
  /** Default keys --context took out (`KEY=`). */
  removed: string[];
}

const PRINCIPAL_ARN = /^arn:(aws[\w-]*):iam::(\d{12}):(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;
const PRINCIPAL_IN_ACCOUNT = /^(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;
const STS_SESSION = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)(\/.*)?$/;

/**
 * Refuses a principal that no request carries as aws:PrincipalArn: a role session ARN (the key
 * holds the role's ARN), a pattern, anything but an IAM user, role or root.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function checkSimulatedPrincipal(principal: string): void {
  const sts = STS_SESSION.exec(principal);
  if (sts) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--principal ${principal} is a role session (sts assumed-role) ARN: aws:PrincipalArn of a role session is the role's ARN`,
      {
        hint: `Give the role's ARN: arn:aws:iam::${sts[1]}:role/${sts[2]} (with the role's path if it has one).`,
      },
    );
  }
  if (!PRINCIPAL_ARN.test(principal) && !PRINCIPAL_IN_ACCOUNT.test(principal)) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--principal "${principal}" is not an IAM user, role or root ARN (no wildcards)`,
      {
        hint: "e.g. arn:aws:iam::111122223333:user/alice, arn:aws:iam::111122223333:role/ops/Deploy or arn:aws:iam::111122223333:root; or user/alice, role/Deploy, root for that principal in the account the SCPs are evaluated for.",
      },
    );
  }
}

/**
 * The request AWS would send for the principal's call, as the lockout guard's probes carry it: the
 * principal's keys (its account is the one its ARN names), the region, the keys of a resource of an
 * account in the organization; then the --context overrides, which replace, add or take out keys.
 * Nothing about the network or MFA is assumed: aws:SourceIp, aws:MultiFactorAuthPresent and the
 * principal's tags are absent unless --context sets them (long-term keys carry no MFA key).
 */
export function simulatedRequest(input: SimulatedRequestInput, setting: RequestSetting): SimulatedRequest {
  const principalArn = input.principal.startsWith("arn:")
    ? input.principal
    : `arn:${input.partition}:iam::${setting.account}:${input.principal}`;
  const principalAccount = PRINCIPAL_ARN.exec(principalArn)?.[2] ?? setting.account;
  const region = requestedRegion(input.action, input.region);
  const at = (account: string) => ({
    regions: [region],
    organizationId: setting.organizationId,
    account,
    orgPath: setting.orgPathOf(account),
  });
  const resource = resourceKeys(input.resource, at(setting.account));
  const owner = resource["aws:ResourceAccount"];
  if (typeof owner === "string" && setting.orgPathOf(owner) === undefined) {
    // A resource of an account outside the organization: AWS sends no organization keys for it.
    delete resource["aws:ResourceOrgID"];
    delete resource["aws:ResourceOrgPaths"];
  } else if (typeof owner === "string") {
    resource["aws:ResourceOrgPaths"] = [setting.orgPathOf(owner) as string];
  }
  const principal = principalKeys(principalArn, at(principalAccount), region);
  // A principal of an account outside the organization carries no organization id.
  if (setting.orgPathOf(principalAccount) === undefined) delete principal["aws:PrincipalOrgID"];
  const defaults: Record<string, KeyValue> = { ...principal, ...resource };
  const named = new Set(input.overrides.map((o) => o.key.toLowerCase()));
  const keys: Record<string, KeyValue> = {};
  for (const [k, v] of Object.entries(defaults)) if (!named.has(k.toLowerCase())) keys[k] = v;
  for (const o of input.overrides) if (o.value !== null) keys[o.key] = o.value;
  const defaultNames = Object.keys(defaults);
  return {
    request: { action: input.action, resource: input.resource, keys },
    principalArn,
    assumed: defaultNames.filter((k) => !named.has(k.toLowerCase()) && k !== "aws:PrincipalArn"),
    removed: defaultNames.filter((k) =>
      input.overrides.some((o) => o.value === null && o.key.toLowerCase() === k.toLowerCase()),
    ),
  };
}
