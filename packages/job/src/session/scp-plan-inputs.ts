import {
  type AwsVerification,
  iamPolicySimulator,
  isLastingRefusal,
  listPrincipalsWith,
  type PlanApplyInput,
  type PolicyValidation,
  type ResolvedScpQuotas,
  resolveScpQuotas,
  type ScpQuotas,
  validateScpDocuments,
} from "@orgwarden/scp";
import type { AwsCheckSettings, ScpSettings } from "../settings/scp-settings.js";
import type { JobSession } from "./session.js";

/** The applied SCP quotas: Service Quotas where readable, else what was configured, else the defaults. */
export function scpQuotas(ctx: JobSession, configured: Partial<ScpQuotas>): Promise<ResolvedScpQuotas> {
  return resolveScpQuotas({ configured, factory: ctx.factory, credentials: ctx.operatorCredentials });
}

/**
 * What an SCP plan reads from AWS besides the organization: the applied quotas (Service Quotas),
 * AWS's validation of the documents (IAM Access Analyzer), and the roles and users behind exempt
 * principals (the management account with the operator's credentials, members through the role).
 * AWS's policy simulator for the lockout guard (--verify-with-aws) with the operator's credentials.
 * Each is optional: where the operator may not call it, the plan says so and falls back. Each answer
 * is kept for the command, so `run` with several SCP entries (and its re-plans) asks once.
 */
export async function scpPlanDependencies(
  ctx: JobSession,
  settings: Pick<ScpSettings, "configuredQuotas" | "awsCheck">,
): Promise<
  Pick<PlanApplyInput, "listPrincipals" | "validatePolicies" | "verifyWithAws"> & {
    quotas: ResolvedScpQuotas;
  }
> {
  const { configuredQuotas } = settings;
  const assumer = await ctx.roleAssumer();
  // The operator's own account with its credentials, every other one (the management account too,
  // from a delegated administrator) through the role.
  const list = listPrincipalsWith(ctx.factory, (accountId) => assumer.providerFor(accountId));
  const listed = new Map<string, Promise<string[]>>();
  const validated = new Map<string, Promise<PolicyValidation>>();
  return {
    quotas: await scpQuotas(ctx, configuredQuotas),
    listPrincipals: (accountId) => remember(listed, accountId, () => list(accountId)),
    validatePolicies: (documents) =>
      remember(validated, JSON.stringify(documents), () =>
        validateScpDocuments({ documents, factory: ctx.factory, credentials: ctx.operatorCredentials }),
      ),
    ...awsVerification(ctx, settings.awsCheck),
  };
}

/**
 * The simulator behind --verify-with-aws, each call's answer kept for the command (absent when off).
 * Once AWS refused a call for good (no permission, or an endpoint without the API), later plans of the same
 * command (run's other entries) are told so at once instead of asking again.
 */
export function awsVerification(
  ctx: Pick<JobSession, "factory" | "operatorCredentials">,
  check: AwsCheckSettings,
): { verifyWithAws?: AwsVerification } {
  if (check.mode === "off") return {};
  const simulate = iamPolicySimulator(ctx.factory, ctx.operatorCredentials);
  const answered = new Map<string, ReturnType<typeof simulate>>();
  let refused: unknown;
  return {
    verifyWithAws: {
      mode: check.mode,
      rate: check.rate,
      simulate: (call) => {
        if (refused !== undefined) return Promise.reject(refused);
        const key = JSON.stringify(call);
        const hit = answered.get(key);
        if (hit) return hit.then((r) => ({ answers: r.answers, pages: 0 }));
        const asked = simulate(call).catch((err: unknown) => {
          if (isLastingRefusal(err)) refused ??= err;
          answered.delete(key);
          throw err;
        });
        answered.set(key, asked);
        return asked;
      },
    },
  };
}

function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = load();
    cache.set(key, hit);
  }
  return hit;
}
