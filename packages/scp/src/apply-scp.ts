import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  type OrganizationsClient,
  paginateListPolicies,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import {
  collectPages,
  isAwsError,
  type Logger,
  OrgwardenError,
  pollUntil,
  silentLogger,
} from "@orgwarden/core";
import { describeOrganizationsWriteError, retryOrganizationsWrite } from "./organizations-errors.js";
import { type EnginePolicyType, kindNoun, policyKindOf } from "./policy-kind.js";
import type { ScpPlan, ScpStep } from "./scp-plan.js";

export interface ApplyScpOptions {
  organizations: OrganizationsClient;
  logger?: Logger;
  /** Called after each step that wrote to AWS. */
  onStep?: (step: ScpStep, done: number, total: number) => void;
  /** How long to wait for the policy type (SCP, RCP, S3, EC2 declarative) to become ENABLED. */
  enableTimeoutMs?: number;
  retryBaseDelayMs?: number;
}

export interface AppliedScp {
  /** Policy ids by managed name, including the ones this run created. */
  policyIds: Record<string, string>;
  written: number;
}

/**
 * Executes a plan step by step. Each step is safe to repeat: a run that stopped half-way is finished
 * by planning and applying again (the new plan finds what was already created and attached), and a
 * create that races another run stops with "run again" rather than making a duplicate.
 */
export async function applyScpPlan(plan: ScpPlan, options: ApplyScpOptions): Promise<AppliedScp> {
  const org = options.organizations;
  const logger = options.logger ?? silentLogger();
  const type = plan.policyType;
  const kind = policyKindOf(type);
  const guard = <T>(doing: string, fn: () => Promise<T>): Promise<T> =>
    fn().catch((err: unknown) => {
      throw describeOrganizationsWriteError(err, doing, kind);
    });
  const policyIds: Record<string, string> = {};
  const writes = plan.steps.filter((s) => s.kind !== "nothing-to-do");
  let done = 0;
  const retry = <T>(fn: () => Promise<T>) =>
    retryOrganizationsWrite(
      fn,
      options.retryBaseDelayMs === undefined ? {} : { baseDelayMs: options.retryBaseDelayMs },
    );

  for (const step of writes) {
    const log = logger.child({ scpStep: step.kind, target: plan.target.id });
    switch (step.kind) {
      case "enable-policy-type":
        await guard(`enabling ${kindNoun(kind)} on ${step.rootId}`, async () => {
          try {
            await retry(() =>
              org.send(new EnablePolicyTypeCommand({ RootId: step.rootId, PolicyType: step.policyType })),
            );
          } catch (err) {
            if (!isAwsError(err, "PolicyTypeAlreadyEnabledException")) throw err;
          }
          await waitUntilEnabled(org, step.rootId, step.policyType, options.enableTimeoutMs ?? 120_000);
        });
        break;
      case "create-policy":
        policyIds[step.policy.managedName] = await guard(`creating ${step.policy.managedName}`, async () => {
          try {
            const out = await retry(() =>
              org.send(
                new CreatePolicyCommand({
                  Name: step.policy.managedName,
                  Description: step.policy.description,
                  Type: type,
                  Content: step.policy.content,
                  // managed-by=orgwarden, the library name, the variant and its parameters.
                  Tags: step.policy.tags,
                }),
              ),
            );
            const id = out.Policy?.PolicySummary?.Id;
            if (!id) throw new OrgwardenError("AWS_ERROR", "CreatePolicy returned no policy id");
            return id;
          } catch (err) {
            if (!isAwsError(err, "DuplicatePolicyException")) throw err;
            // Another run created it between plan and apply: re-plan rather than guess its content.
            throw new OrgwardenError(
              "REFUSED",
              `${step.policy.managedName} was created by someone else while planning`,
              {
                hint: "Run the command again: the new plan will adopt or update it.",
                cause: err,
              },
            );
          }
        });
        break;
      case "update-policy":
        await guard(`updating ${step.policy.managedName}`, () =>
          retry(() =>
            org.send(new UpdatePolicyCommand({ PolicyId: step.policyId, Content: step.policy.content })),
          ),
        );
        policyIds[step.policy.managedName] = step.policyId;
        break;
      case "attach-policy": {
        const id =
          step.policyId ?? policyIds[step.policyName] ?? (await findPolicyId(org, step.policyName, type));
        await guard(`attaching ${step.policyName} to ${step.targetId}`, async () => {
          try {
            await retry(() => org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: step.targetId })));
          } catch (err) {
            if (!isAwsError(err, "DuplicatePolicyAttachmentException")) throw err;
          }
        });
        policyIds[step.policyName] = id;
        break;
      }
      case "detach-policy":
        await guard(`detaching ${step.policyName} from ${step.targetId}`, async () => {
          try {
            await retry(() =>
              org.send(new DetachPolicyCommand({ PolicyId: step.policyId, TargetId: step.targetId })),
            );
          } catch (err) {
            if (!isAwsError(err, "PolicyNotAttachedException")) throw err;
          }
        });
        break;
      case "tag-policy":
        await guard(`tagging ${step.policy.managedName}`, async () => {
          await retry(() =>
            org.send(new TagResourceCommand({ ResourceId: step.policyId, Tags: step.policy.tags })),
          );
          if (step.removeKeys.length > 0) {
            await retry(() =>
              org.send(new UntagResourceCommand({ ResourceId: step.policyId, TagKeys: step.removeKeys })),
            );
          }
          await retry(() =>
            org.send(
              new UpdatePolicyCommand({ PolicyId: step.policyId, Description: step.policy.description }),
            ),
          );
        });
        break;
      case "delete-policy":
        await guard(`deleting ${step.policyName}`, async () => {
          try {
            await retry(() => org.send(new DeletePolicyCommand({ PolicyId: step.policyId })));
          } catch (err) {
            if (isAwsError(err, "PolicyNotFoundException")) return;
            if (isAwsError(err, "PolicyInUseException")) {
              throw new OrgwardenError(
                "REFUSED",
                `${step.policyName} was attached somewhere while planning: not deleted`,
                {
                  hint: "Run the command again: the new plan only deletes policies attached nowhere.",
                  cause: err,
                },
              );
            }
            throw err;
          }
        });
        break;
    }
    done += 1;
    log.info({ done, total: writes.length }, "scp step done");
    options.onStep?.(step, done, writes.length);
  }
  return { policyIds, written: done };
}

async function findPolicyId(org: OrganizationsClient, name: string, type: EnginePolicyType): Promise<string> {
  const policies = await collectPages(
    paginateListPolicies({ client: org, pageSize: 20 }, { Filter: type }),
    (p) => p.Policies,
  );
  const id = policies.find((p) => p.Name === name)?.Id;
  if (!id) throw new OrgwardenError("NOT_FOUND", `policy ${name} disappeared before it could be attached`);
  return id;
}

/** EnablePolicyType is asynchronous: ListRoots says when the type is ENABLED at the root. */
async function waitUntilEnabled(
  org: OrganizationsClient,
  rootId: string,
  type: EnginePolicyType,
  timeoutMs: number,
): Promise<void> {
  let status: string | undefined;
  await pollUntil(
    async () => {
      const roots = await org.send(new ListRootsCommand({}));
      const root = roots.Roots?.find((r) => r.Id === rootId);
      status = root?.PolicyTypes?.find((t) => t.Type === type)?.Status;
      return status === "ENABLED" ? true : undefined;
    },
    {
      timeoutMs,
      firstDelayMs: 500,
      maxDelayMs: 5_000,
      timedOut: () =>
        new OrgwardenError(
          "AWS_ERROR",
          `the ${type} policy type is still ${status ?? "not enabled"} after ${timeoutMs / 1000} s`,
          {
            hint: "AWS enables policy types asynchronously; run the command again in a minute.",
          },
        ),
    },
  );
}

/** The Organizations actions a step calls (what a delegated administrator must be allowed). */
export function stepActions(step: ScpStep): string[] {
  switch (step.kind) {
    case "enable-policy-type":
      return ["organizations:EnablePolicyType"];
    case "create-policy":
      return ["organizations:CreatePolicy"];
    case "update-policy":
      return ["organizations:UpdatePolicy"];
    case "attach-policy":
      return ["organizations:AttachPolicy"];
    case "detach-policy":
      return ["organizations:DetachPolicy"];
    case "delete-policy":
      return ["organizations:DeletePolicy"];
    case "tag-policy":
      return [
        "organizations:TagResource",
        ...(step.removeKeys.length ? ["organizations:UntagResource"] : []),
      ];
    case "nothing-to-do":
      return [];
  }
}
