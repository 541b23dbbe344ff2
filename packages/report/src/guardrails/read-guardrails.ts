import type { EC2Client } from "@aws-sdk/client-ec2";
import { type ControlId, describeAwsError } from "@orgwarden/core";
import type { AccountCheckSettings } from "../checks/account-check.js";
import { regional } from "../checks/regions.js";
import type { ControlOutcome } from "../report-model.js";
import { EC2_GUARDRAILS, ec2GuardrailIn } from "./ec2-account-attributes.js";
import { foldGuardrail } from "./guardrail-mechanism.js";
import {
  checkS3AccountBlockPublicAccess,
  type S3GuardrailClients,
} from "./s3-account-block-public-access.js";

/**
 * The guardrails source (`report --source guardrails`, never read by default): the account settings
 * an S3 organization policy or the EC2 declarative policy enforce, read in each account (and each
 * region for EC2's), each row naming the mechanism that holds the setting. A detective check that
 * fails on the same thing (S3.1, EC2.8, EC2.1, EC2.172) is then credited to the guardrail that
 * already blocks it, or told apart from a setting any account administrator can undo.
 */
export const GUARDRAIL_CONTROLS: readonly ControlId[] = [
  "s3-account-public-access-block",
  ...EC2_GUARDRAILS.map((g) => g.control),
];

/** The account's clients: S3 Control and Organizations (global), EC2 per region. */
export interface GuardrailClients extends S3GuardrailClients {
  ec2: (region: string) => Promise<EC2Client>;
}

export interface GuardrailSettings extends Pick<AccountCheckSettings, "regions"> {
  accountId: string;
  now?: () => Date;
}

/**
 * Every guardrail of one account: one row per control, a failed read an ERROR row of its control
 * only; the EC2 ones region by region (a region that refuses the call waits for the SCPs on the
 * account's path, as the checks' regional controls do).
 */
export async function readGuardrails(
  clients: GuardrailClients,
  settings: GuardrailSettings,
): Promise<ControlOutcome[]> {
  const guard = async (
    control: ControlId,
    read: () => Promise<ControlOutcome[]>,
  ): Promise<ControlOutcome[]> => {
    try {
      return await read();
    } catch (err) {
      const e = describeAwsError(err);
      return [{ control, status: "ERROR", reason: e.hint ? `${e.message} (${e.hint})` : e.message }];
    }
  };
  const results = await Promise.all([
    guard("s3-account-public-access-block", async () => [
      await checkS3AccountBlockPublicAccess(clients, settings.accountId),
    ]),
    ...EC2_GUARDRAILS.map((g) =>
      guard(g.control, () =>
        regional(
          settings,
          async (region) => ec2GuardrailIn(g, await clients.ec2(region)),
          (verdicts) => foldGuardrail(g.control, verdicts, g.credit),
          g.action,
        ),
      ),
    ),
  ]);
  const at = (settings.now ?? (() => new Date()))();
  return results.flat().map((o) => ({
    resourceType: "AWS::::Account",
    resourceId: settings.accountId,
    evaluatedAt: at,
    ...o,
  }));
}
