import { GetAccountSummaryCommand } from "@aws-sdk/client-iam";
import { type ControlId, describeAwsError } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type {
  AccountCheckClients,
  AccountCheckSettings,
  CheckContext,
  RootAccessCheckContext,
  SummaryMap,
} from "./account-check.js";
import { type AuthorizationDetails, readAuthorizationDetails } from "./authorization-details.js";
import { ACCOUNT_CHECKS } from "./registry.js";

/**
 * The direct checks for one account, each call made once: GetAccountSummary serves root-mfa,
 * root-hardware-mfa and root-access-keys, GetAccountAuthorizationDetails serves mfa-exempt-user
 * and mfa-policy-in-use; a check that fails becomes an ERROR outcome for its
 * control only, so one denied API does not hide the others.
 */
export async function checkAccount(
  clients: AccountCheckClients,
  settings: AccountCheckSettings,
): Promise<ControlOutcome[]> {
  const now = settings.now ?? (() => new Date());
  const guard = async (
    controls: readonly ControlId[],
    fn: () => Promise<ControlOutcome[]>,
  ): Promise<ControlOutcome[]> => {
    try {
      return await fn();
    } catch (err) {
      const e = describeAwsError(err);
      return controls.map((control) => ({
        control,
        status: "ERROR",
        reason: e.hint ? `${e.message} (${e.hint})` : e.message,
      }));
    }
  };
  // GetAccountSummary serves the root controls; the root audit (an AssumeRoot session) runs beside it.
  let summary: Promise<SummaryMap> | undefined;
  let details: Promise<AuthorizationDetails> | undefined;
  const root = settings.rootAccess;
  const ctx: CheckContext = {
    clients,
    settings,
    accountSummary() {
      summary ??= clients.iam.send(new GetAccountSummaryCommand({})).then((o) => o.SummaryMap ?? {});
      return summary;
    },
    authorizationDetails() {
      details ??= readAuthorizationDetails(clients.iam);
      return details;
    },
    rootAudit: root?.audit(settings.accountId),
  };
  const rootCtx: RootAccessCheckContext | undefined =
    root && ctx.rootAudit ? { ...ctx, rootAccess: root, rootAudit: ctx.rootAudit } : undefined;
  const results = await Promise.all(
    ACCOUNT_CHECKS.flatMap((check) => {
      if (check.needs !== "root-access") return [guard(check.controls, () => check.run(ctx))];
      return rootCtx ? [guard(check.controls, () => check.run(rootCtx))] : [];
    }),
  );
  const at = now();
  return results.flat().map((o) => ({
    resourceType: "AWS::::Account",
    resourceId: settings.accountId,
    evaluatedAt: at,
    ...o,
  }));
}
