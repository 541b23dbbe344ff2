import { scpQuotas, scpSettings } from "@orgwarden/job";
import { planDetachScp, SCP_KIND } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory } from "../command.js";
import { registerDetach } from "./detach-policies.js";

/** `orgwarden detach-scp`: the reverse of apply-scp, for orgwarden-managed SCPs only. */
export function registerDetachScp(program: Command, action: ActionFactory): void {
  registerDetach(program, action, {
    kind: SCP_KIND,
    description:
      "detach orgwarden-managed SCPs from an OU or account; never touches policies it does not manage",
    policyHelp:
      "policy to detach: a library name (every variant of it on the target) or a full orgwarden-<name>-<variant> (repeatable; default: every orgwarden policy on the target)",
    policyExample: "require-mfa",
    deleteHelp:
      "also delete every orgwarden-managed SCP (e.g. an old variant) that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag",
    inventory: (ctx) => ctx.inventory(),
    plan: async (ctx, inventory, request) =>
      planDetachScp({
        ...request,
        inventory,
        organizations: ctx.factory.organizations(ctx.operatorCredentials),
        quotas: await scpQuotas(ctx, scpSettings({}, ctx.options, ctx.runConfig).configuredQuotas),
      }),
  });
}
