import {
  ConfigServiceClient,
  DeleteConfigRuleCommand,
  PutConfigRuleCommand,
} from "@aws-sdk/client-config-service";
import { CreatePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  type AccountResult,
  DEFAULT_CONCURRENCY,
  fanOut,
  isAwsError,
  MANAGED_TAG,
  type OrgAccount,
} from "@orgwarden/core";
import { mfaPolicyDocument } from "./mfa-policy.js";
import {
  type AccountRulePlan,
  type DeployRulesInput,
  partitionOf,
  type RulesPlan,
} from "./plan-rule-deployment.js";
import { toConfigRule } from "./rule-shapes.js";

export interface AppliedRules {
  written: number;
}

/** Makes the plan's writes, account by account under the concurrency limit. */
export async function applyRuleDeployment(
  plan: RulesPlan,
  input: Pick<
    DeployRulesInput,
    "clients" | "concurrency" | "logger" | "onProgress" | "settings" | "homeRegion" | "partition"
  >,
): Promise<Array<AccountResult<OrgAccount, AppliedRules>>> {
  const work = plan.accounts.filter((r): r is Extract<typeof r, { ok: true }> => r.ok);
  return fanOut(
    work.map((r) => r.account),
    async (account) => {
      const entry = work.find((r) => r.account.id === account.id)?.value as AccountRulePlan;
      let written = 0;
      if (entry.iamPolicy?.action === "create") {
        const iam = input.clients.get(IAMClient, account.id, input.homeRegion);
        try {
          await iam.send(
            new CreatePolicyCommand({
              PolicyName: input.settings.mfaPolicyName,
              PolicyDocument: JSON.stringify(mfaPolicyDocument(partitionOf(input))),
              Description: "Deny everything but MFA self-service until signed in with MFA (orgwarden)",
              Tags: [{ ...MANAGED_TAG }],
            }),
          );
        } catch (err) {
          if (!isAwsError(err, "EntityAlreadyExists", "EntityAlreadyExistsException")) throw err;
        }
        written += 1;
      }
      for (const change of entry.changes) {
        const config = input.clients.get(ConfigServiceClient, account.id, change.region);
        if ((change.action === "create" || change.action === "update") && change.rendered) {
          await config.send(
            // AWS ignores Tags on an update; some implementations replace them, so always send them.
            new PutConfigRuleCommand({
              ConfigRule: toConfigRule(change.rendered),
              Tags: [{ ...MANAGED_TAG }],
            }),
          );
          written += 1;
        } else if (change.action === "delete") {
          try {
            await config.send(new DeleteConfigRuleCommand({ ConfigRuleName: change.rule }));
          } catch (err) {
            if (!isAwsError(err, "NoSuchConfigRuleException")) throw err;
          }
          written += 1;
        }
      }
      input.clients.release(account.id);
      return { written };
    },
    {
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );
}
