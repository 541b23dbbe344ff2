import {
  type ControlId,
  describeAwsError,
  type Inventory,
  type OrgAccount,
  type ScpSummary,
} from "@orgwarden/core";
import {
  attachedAlongPath,
  DEFAULT_RESOURCE_EXEMPT_TAG_KEYS,
  managedPolicyName,
  type PolicyKind,
  parseManagedName,
  RCP_KIND,
  SCP_KIND,
  type ScpJudgement,
  TAG_EXEMPT_RCPS,
  type TagExemptRcp,
} from "@orgwarden/scp";
import type { ControlOutcome } from "./report-model.js";

type ControlPolicies = ReadonlyArray<{ control: ControlId; policy: string }>;

const SCP_CONTROL_POLICIES: ControlPolicies = [
  { control: "scp-require-mfa", policy: "require-mfa" },
  { control: "scp-deny-root", policy: "deny-root-user" },
];

/** The RCP controls, each the library policy whose variants satisfy it. */
export const RCP_CONTROL_POLICIES: ControlPolicies = [
  { control: "rcp-identity-perimeter", policy: "identity-perimeter" },
  { control: "rcp-secure-transport", policy: "secure-transport" },
  { control: "rcp-confused-deputy", policy: "confused-deputy" },
  { control: "rcp-trusted-oidc", policy: "trusted-oidc-providers" },
];

/** Judges one orgwarden-named policy (drift against the library, the managed tag); read once each. */
export type JudgeScp = (policy: ScpSummary) => Promise<ScpJudgement>;

/**
 * SCP coverage: a control is COMPLIANT when a variant of its library policy that carries the
 * managed-by=orgwarden tag and is exactly what the library renders for its parameters is attached
 * to the account, an OU on its path, or the root. A drifted (edited) copy or an untagged policy of
 * that name is NON_COMPLIANT with the reason: a name proves nothing. SCPs never apply to the
 * management account, so it is NOT_APPLICABLE there.
 */
export function scpCoverage(
  inventory: Inventory,
  account: OrgAccount,
  judge: JudgeScp,
): Promise<ControlOutcome[]> {
  return policyCoverage(inventory, account, judge, SCP_KIND, SCP_CONTROL_POLICIES);
}

/**
 * RCP coverage, the same way: COMPLIANT when an in-sync, managed variant of the control's RCP is on
 * the account's path. RCPs never affect the management account's resources: NOT_APPLICABLE there.
 * Where the RCP type is enabled, only for an inventory that has read the RCPs (readRcps); where it
 * is not, every member account is NON_COMPLIANT and nothing is read.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
export function rcpCoverage(
  inventory: Inventory,
  account: OrgAccount,
  judge: JudgeScp,
): Promise<ControlOutcome[]> {
  return policyCoverage(inventory, account, judge, RCP_KIND, RCP_CONTROL_POLICIES);
}

async function policyCoverage(
  inventory: Inventory,
  account: OrgAccount,
  judge: JudgeScp,
  kind: PolicyKind,
  controls: ControlPolicies,
): Promise<ControlOutcome[]> {
  const many = `${kind.short}s`;
  const enabled =
    (kind.family === "rcp"
      ? (inventory.rcps?.status ?? inventory.rcpPolicyType)
      : inventory.scpPolicyType) === "ENABLED";
  return Promise.all(
    controls.map(async ({ control, policy }): Promise<ControlOutcome> => {
      const managedName = managedPolicyName(policy, undefined);
      const base = { control, resourceType: "AWS::Organizations::Policy", resourceId: managedName };
      if (account.isManagement) {
        return {
          ...base,
          status: "NOT_APPLICABLE",
          reason:
            kind.family === "rcp"
              ? "RCPs do not affect the management account's resources"
              : "SCPs do not affect the management account",
        };
      }
      if (!enabled) {
        return { ...base, status: "NON_COMPLIANT", reason: `${many} are not enabled in the organization` };
      }
      const found: Array<{ node: string; summary: ScpSummary; judgement: ScpJudgement }> = [];
      try {
        for (const level of attachedAlongPath(inventory, account.id, kind)) {
          for (const { summary } of level.policies) {
            if (!summary || parseManagedName(summary.name)?.name !== policy) continue;
            found.push({ node: level.nodeId, summary, judgement: await judge(summary) });
          }
        }
      } catch (err) {
        // A policy that could not be read (throttled, denied) is unknown, not drifted.
        const e = describeAwsError(err, "Organizations");
        return { ...base, status: "ERROR", reason: `${e.message}${e.hint ? ` (${e.hint})` : ""}` };
      }
      const where = (node: string) =>
        node === account.id ? "the account" : (inventory.units.get(node)?.path ?? node);
      const good = found.find((f) => f.judgement.state === "in-sync");
      if (good) {
        const exemptTagKey = isTagExemptRcp(kind, policy)
          ? exemptTagKeyOf(policy, good.judgement)
          : undefined;
        return {
          ...base,
          resourceId: good.summary.id,
          status: "COMPLIANT",
          reason: `${good.summary.name} attached at ${where(good.node)}, as the library renders it`,
          ...(exemptTagKey ? { exemptTagKey } : {}),
        };
      }
      const bad = found[0];
      if (bad) {
        const why =
          bad.judgement.state === "impostor"
            ? "is not tagged managed-by=orgwarden (an impostor)"
            : bad.judgement.state === "service-managed"
              ? "is an AWS service's policy (ManagedBy=service-access), not orgwarden's"
              : `has drifted: ${bad.judgement.detail}`;
        return {
          ...base,
          resourceId: bad.summary.id,
          status: "NON_COMPLIANT",
          reason: `${bad.summary.name} attached at ${where(bad.node)} ${why}`,
        };
      }
      return {
        ...base,
        status: "NON_COMPLIANT",
        reason: `${managedName} is not attached to the account, its OUs or the root`,
      };
    }),
  );
}

const isTagExemptRcp = (kind: PolicyKind, policy: string): policy is TagExemptRcp =>
  kind.family === "rcp" && (TAG_EXEMPT_RCPS as readonly string[]).includes(policy);

/** Each tag-exempt RCP's parameter that names its exemption tag key (rcp-parameters.ts). */
const EXEMPT_TAG_PARAMETER: Record<TagExemptRcp, string> = {
  "identity-perimeter": "IdentityExemptTagKey",
  "confused-deputy": "ConfusedDeputyExemptTagKey",
  "secure-transport": "TransportExemptTagKey",
};

/**
 * The exemption tag key an in-sync RCP was rendered with: its recorded parameters (the judgement's
 * `Key=value; …` line) say it; a variant that records none uses the default key. Tag keys hold no
 * `;`, so the line splits cleanly.
 */
function exemptTagKeyOf(policy: TagExemptRcp, judgement: ScpJudgement): string {
  const name = `${EXEMPT_TAG_PARAMETER[policy]}=`;
  const recorded = judgement.parameters
    .split("; ")
    .find((p) => p.startsWith(name))
    ?.slice(name.length);
  return recorded || DEFAULT_RESOURCE_EXEMPT_TAG_KEYS[policy];
}
