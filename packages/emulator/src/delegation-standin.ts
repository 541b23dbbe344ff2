import type { IncomingMessage, ServerResponse } from "node:http";
import { type Answered, sendAwsError, sendJson } from "./wire-protocol.js";

/**
 * AWS Organizations' delegated administration, which moto 5.2.1 lacks: the management account puts a
 * resource-based delegation policy (PutResourcePolicy, DescribeResourcePolicy), and a member account
 * it names may then call the actions the policy allows as if it were the management account (moto
 * answers a member's listing calls with ParentNotFoundException: it keeps the tree in the
 * management account). Calls the policy does not allow are refused with AccessDeniedException, as
 * Organizations refuses a member. Conditions in the policy are not judged.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_PutResourcePolicy.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html
 */
export type DelegationHandler = (
  req: IncomingMessage,
  action: string,
  body: Buffer,
  accessKey: string,
  res: ServerResponse,
) => Promise<Answered | "forward">;

interface Statement {
  Effect?: string;
  Principal?: { AWS?: string | string[] };
  Action?: string | string[];
}

export function delegationStandIn(
  management: { accountId: () => Promise<string | undefined>; accessKey: string },
  callerAccount: (accessKey: string) => Promise<string>,
): DelegationHandler & { reset(): void } {
  let policy: { content: string; id: string } | undefined;
  const allows = (account: string, action: string): boolean => {
    if (!policy) return false;
    const statements = (JSON.parse(policy.content) as { Statement?: Statement[] }).Statement ?? [];
    return statements.some((s) => {
      if (s.Effect !== "Allow") return false;
      const principals = [s.Principal?.AWS ?? []].flat();
      if (
        !principals.some((p) => p === account || new RegExp(`^arn:aws[\\w-]*:iam::${account}:root$`).test(p))
      )
        return false;
      return [s.Action ?? []].flat().some((a) => {
        const pattern = new RegExp(
          `^${a
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
          "i",
        );
        return pattern.test(`organizations:${action}`);
      });
    });
  };
  const handle: DelegationHandler = async (req, action, body, accessKey, res) => {
    const caller = await callerAccount(accessKey);
    const managementId = await management.accountId();
    if (!managementId) return "forward";
    if (
      action === "PutResourcePolicy" ||
      action === "DescribeResourcePolicy" ||
      action === "DeleteResourcePolicy"
    ) {
      if (caller !== managementId && !(action === "DescribeResourcePolicy" && allows(caller, action)))
        return accessDenied(res);
      const summary = () => ({
        Id: policy?.id,
        Arn: `arn:aws:organizations::${managementId}:resourcepolicy/o-delegated/rp-${policy?.id.slice(3)}`,
      });
      if (action === "PutResourcePolicy") {
        const content = (JSON.parse(body.toString() || "{}") as { Content?: string }).Content ?? "";
        try {
          JSON.parse(content);
        } catch {
          return sendAwsError(
            res,
            "json",
            400,
            "MalformedPolicyDocumentException",
            "The provided policy document doesn't meet the requirements of the specified policy type.",
          );
        }
        policy = { content, id: policy?.id ?? `rp-${Math.random().toString(36).slice(2, 10)}` };
        return sendJson(res, { ResourcePolicy: { ResourcePolicySummary: summary(), Content: content } });
      }
      if (!policy)
        return sendAwsError(
          res,
          "json",
          400,
          "ResourcePolicyNotFoundException",
          "We can't find a resource policy request with the ID that you specified.",
        );
      if (action === "DeleteResourcePolicy") {
        policy = undefined;
        return sendJson(res, {});
      }
      return sendJson(res, { ResourcePolicy: { ResourcePolicySummary: summary(), Content: policy.content } });
    }
    // Every member account may describe its organization; moto answers that itself.
    if (caller === managementId || action === "DescribeOrganization") return "forward";
    // Any member account may ask its own effective policies: the stand-in that answers judges the target.
    if (!allows(caller, action)) return action === "DescribeEffectivePolicy" ? "forward" : accessDenied(res);
    // As the management account: moto reads the account from the access key, not the signature.
    req.headers.authorization = String(req.headers.authorization ?? "").replace(
      /Credential=[^/]+\//,
      `Credential=${management.accessKey}/`,
    );
    return "forward";
  };
  // POST /moto-api/reset empties the organization, and with it its delegation policy.
  return Object.assign(handle, {
    reset: () => {
      policy = undefined;
    },
  });
}

/** Organizations' answer to a member account that calls what the delegation policy does not allow. */
function accessDenied(res: ServerResponse): Answered {
  return sendAwsError(
    res,
    "json",
    400,
    "AccessDeniedException",
    "You don't have permissions to access this resource.",
  );
}
