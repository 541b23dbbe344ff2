import { rcpInventory, rcpQuotas, rcpSettings } from "@orgwarden/job";
import { planDetachScp, RCP_KIND } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory } from "../command.js";
import { registerDetach } from "./detach-policies.js";

/** `orgwarden detach-rcp`: the reverse of apply-rcp, for orgwarden-managed RCPs only. */
export function registerDetachRcp(program: Command, action: ActionFactory): void {
  registerDetach(program, action, {
    kind: RCP_KIND,
    description:
      "detach orgwarden-managed RCPs from an OU or account; never touches policies it does not manage, never disables the RCP type",
    policyHelp:
      "policy to detach: a library name (every variant of it on the target) or a full orgwarden-<name>-<variant> (repeatable; default: every orgwarden RCP on the target)",
    policyExample: "identity-perimeter",
    deleteHelp:
      "also delete every orgwarden-managed RCP that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag",
    inventory: rcpInventory,
    plan: async (ctx, inventory, request) =>
      planDetachScp({
        ...request,
        kind: RCP_KIND,
        inventory,
        organizations: ctx.factory.organizations(ctx.operatorCredentials),
        quotas: await rcpQuotas(ctx, rcpSettings({}, ctx.options, ctx.runConfig).configuredQuotas),
      }),
  });
}
