import {
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  type PolicyType,
} from "@aws-sdk/client-organizations";
import { orgClient } from "@orgwarden/emulator";

export interface PolicySnapshot {
  id: string;
  name: string;
  content: string;
  tags: Record<string, string>;
  targets: string[];
}

/** Every SCP with its content, tags and targets: compared before and after to prove "nothing changed". */
export function snapshotScps(endpoint: string): Promise<PolicySnapshot[]> {
  return snapshotPolicies(endpoint, "SERVICE_CONTROL_POLICY");
}

/** Every policy of a type with its content, tags and targets, sorted by name. */
export async function snapshotPolicies(endpoint: string, type: PolicyType): Promise<PolicySnapshot[]> {
  const org = orgClient(endpoint);
  const list = await org.send(new ListPoliciesCommand({ Filter: type }));
  const out: PolicySnapshot[] = [];
  for (const p of list.Policies ?? []) {
    const id = p.Id as string;
    const [desc, tags, targets] = await Promise.all([
      org.send(new DescribePolicyCommand({ PolicyId: id })),
      org.send(new ListTagsForResourceCommand({ ResourceId: id })),
      org.send(new ListTargetsForPolicyCommand({ PolicyId: id })),
    ]);
    out.push({
      id,
      name: p.Name ?? "",
      content: desc.Policy?.Content ?? "",
      tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
      targets: (targets.Targets ?? []).map((t) => t.TargetId ?? "").sort(),
    });
  }
  org.destroy();
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function byName(snapshot: PolicySnapshot[], name: string): PolicySnapshot | undefined {
  return snapshot.find((p) => p.name === name);
}
