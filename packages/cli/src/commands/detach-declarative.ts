import { declarativeInventory, planDetachDeclarative } from "@orgwarden/job";
import { type DeclarativePolicyType, policyKindOf } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory } from "../command.js";
import { registerDetach } from "./detach-policies.js";

/**
 * `orgwarden detach-s3-policy` / `detach-ec2-policy`: the reverse of the apply command, for
 * orgwarden's policies only; the type stays enabled.
 */
export function registerDetachDeclarative(
  program: Command,
  action: ActionFactory,
  type: DeclarativePolicyType,
): void {
  const kind = policyKindOf(type);
  registerDetach(program, action, {
    kind,
    description: `detach orgwarden's ${kind.many} (${type}) from an OU or account; never touches policies it does not manage, never disables the type`,
    policyHelp: `a variant to detach, orgwarden-<name>-<variant> (repeatable; default: every orgwarden ${kind.short} on the target)`,
    policyExample: "orgwarden-…",
    deleteHelp: `also delete every orgwarden ${kind.short} that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag`,
    helpAfter:
      "\nOnce no policy of the type sets a setting for an account, AWS gives the\naccount its own setting back, as it was before the policy.\n",
    inventory: (ctx) => declarativeInventory(ctx, kind),
    plan: (ctx, inventory, request) => planDetachDeclarative(ctx, kind, request, inventory),
  });
}
