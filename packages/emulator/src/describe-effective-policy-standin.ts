import type { ServerResponse } from "node:http";
import { POLICY_TYPES, type PolicyTypeName, policyTypeEntry } from "@orgwarden/core";
import { EMULATOR_CREDENTIALS } from "./emulator-credentials.js";
import { effectivePolicyOf } from "./management-policy-inheritance.js";
import { answer, askOrganizations, type OrganizationsInput, refuse } from "./organizations-standin-calls.js";
import type { PolicyTypesStandIn } from "./policy-types-standin.js";
import type { StandInRequest } from "./wire-protocol.js";

/**
 * Effective policies of the types the policy-types stand-in holds (S3_POLICY, DECLARATIVE_POLICY_EC2
 * and the other types moto lacks): DescribeEffectivePolicy, and the same merge for the stand-ins of
 * the services those policies configure (ec2-attributes-standin.ts, s3-account-bpa-standin.ts). The
 * documents come from the policies attached along the account's path, root first, merged as AWS
 * merges management policies (management-policy-inheritance.ts).
 *
 * DescribeEffectivePolicy as the API reference has it: an account only (a root or OU is
 * InvalidInputException), the caller's own account when TargetId is left out, another account only
 * from the management account, SCPs and RCPs refused (they have no effective policy), and
 * EffectivePolicyNotFoundException when nothing applies (or the type is not enabled).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeEffectivePolicy.html
 */
export interface EffectivePolicyStandIn {
  handle(r: StandInRequest, res: ServerResponse): Promise<boolean>;
  /** An account's effective policy of a type this stand-in holds, or undefined when none applies. */
  effective(accountId: string, type: string): Promise<Record<string, unknown> | undefined>;
}

export function effectivePolicyStandIn(
  upstream: URL,
  policyTypes: Pick<PolicyTypesStandIn, "holds" | "attachedContents">,
  callerAccount: (accessKey: string) => Promise<string>,
): EffectivePolicyStandIn {
  const effective = async (accountId: string, type: string) => {
    const path = await pathOf(upstream, accountId);
    if (!path) return undefined;
    const levels = path.map((id) => policyTypes.attachedContents(type, id).map(parse));
    return effectivePolicyOf(levels);
  };
  return {
    effective,
    handle: async (r, res) => {
      if (r.action !== "DescribeEffectivePolicy") return false;
      const input = JSON.parse(r.body.toString() || "{}") as OrganizationsInput;
      const type = String(input.PolicyType);
      if (!isPolicyType(type) || !policyTypeEntry(type).effectivePolicies)
        return refuse(res, "InvalidInputException", `${type} has no effective policy.`);
      // moto's own types are left to moto.
      if (!policyTypes.holds(type)) return false;
      const caller = await callerAccount(r.accessKey);
      const target = typeof input.TargetId === "string" ? input.TargetId : caller;
      if (!/^\d{12}$/.test(target))
        return refuse(
          res,
          "InvalidInputException",
          "Specifying an organization root or organizational unit (OU) as the target is not supported.",
        );
      const management = await managementAccount(upstream);
      if (target !== caller && caller !== management)
        return refuse(res, "AccessDeniedException", "You don't have permissions to access this resource.");
      if (!(await pathOf(upstream, target)))
        return refuse(
          res,
          "TargetNotFoundException",
          "We can't find a root, OU, account, or policy with the TargetId that you specified.",
        );
      const policy = await effective(target, type);
      if (!policy)
        return refuse(
          res,
          "EffectivePolicyNotFoundException",
          "We can't find an effective policy of the specified type.",
        );
      return answer(res, {
        EffectivePolicy: {
          PolicyContent: JSON.stringify(policy),
          LastUpdatedTimestamp: Date.now() / 1000,
          TargetId: target,
          PolicyType: type,
        },
      });
    },
  };
}

/** Asks moto as the management account (the emulator's own credentials). */
function askAsManagement(upstream: URL, action: string, input: unknown) {
  const authorization = `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0`;
  return askOrganizations(upstream, { req: { headers: { authorization } } } as StandInRequest, action, input);
}

async function managementAccount(upstream: URL): Promise<string | undefined> {
  const org = (await askAsManagement(upstream, "DescribeOrganization", {})).json().Organization as
    | { MasterAccountId?: string }
    | undefined;
  return org?.MasterAccountId;
}

/** The account's path, root first and the account last; undefined when the account is not in the organization. */
async function pathOf(upstream: URL, accountId: string): Promise<string[] | undefined> {
  const path = [accountId];
  for (let id = accountId; ; ) {
    const out = await askAsManagement(upstream, "ListParents", { ChildId: id });
    if (out.status !== 200) return undefined;
    const parent = (out.json().Parents as Array<{ Id: string; Type: string }> | undefined)?.[0];
    if (!parent) return path;
    path.unshift(parent.Id);
    if (parent.Type === "ROOT") return path;
    id = parent.Id;
  }
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

function isPolicyType(type: string): type is PolicyTypeName {
  return (POLICY_TYPES as readonly string[]).includes(type);
}
