import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory } from "@orgwarden/core";
import { sameDocument } from "./policy-document.js";
import { PolicyReader } from "./policy-reader.js";
import type { RenderedPolicy } from "./render-policy.js";
import { revisionName } from "./revision-name.js";

/**
 * The policies as a rollout attaches them: each under its managed name, unless an orgwarden policy
 * of that name holds another document (apply-scp would update it in place, on every target that
 * uses it); then under its revision name, created beside it. A same-named policy orgwarden does not
 * own keeps its name here: the plan refuses it as apply-scp does. Reads AWS, writes nothing.
 */
export async function attachBeside(
  inventory: Inventory,
  policies: readonly RenderedPolicy[],
  organizations: OrganizationsClient,
): Promise<RenderedPolicy[]> {
  const reader = new PolicyReader(organizations);
  const byName = new Map([...inventory.scps.values()].map((p) => [p.name, p]));
  const out: RenderedPolicy[] = [];
  for (const policy of policies) {
    const existing = byName.get(policy.managedName);
    const taken =
      existing !== undefined &&
      (await reader.isManaged(existing)) &&
      !sameDocument(await reader.document(existing.id, existing.name), policy.document);
    out.push(taken ? { ...policy, managedName: revisionName(policy.managedName, policy.content) } : policy);
  }
  return out;
}
