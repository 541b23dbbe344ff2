import {
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { findTarget, type Inventory, OrgwardenError } from "@orgwarden/core";
import { markPolicyTypeEnabled, policiesOf, policyKindOf, type ScpPlan } from "@orgwarden/scp";

type Tag = { Key: string; Value: string };

/**
 * The organization as it will be once the earlier `scp:` (or `rcp:`) entries of a run are applied: their
 * attachments and detachments in a copy of the inventory, and the policies they create or update
 * answered from their rendered documents instead of AWS. Each entry is planned against it, so the
 * quotas, the lockout guard and the shared-policy checks of entry 2 see what entry 1 will do, and a
 * conflict is refused before the first write. Nothing here writes to AWS or to the real inventory.
 */
export class ProjectedOrganization {
  readonly inventory: Inventory;
  readonly organizations: OrganizationsClient;
  /** Documents and tags of policies the earlier entries create or change, by (placeholder) id. */
  readonly #content = new Map<string, string>();
  readonly #tags = new Map<string, Tag[]>();
  /** Placeholder ids of policies the earlier entries create, by name. */
  readonly #created = new Map<string, string>();
  /** Which entry (1-based) attaches which policy where: `${targetId}|${policyId}`. */
  readonly #attachedBy = new Map<string, number>();

  constructor(inventory: Inventory, organizations: OrganizationsClient) {
    const copy = (m: Map<string, string[]>) => new Map([...m].map(([t, ids]) => [t, [...ids]]));
    this.inventory = {
      ...inventory,
      scps: new Map(inventory.scps),
      scpAttachments: copy(inventory.scpAttachments),
      ...(inventory.rcps
        ? {
            rcps: {
              status: inventory.rcps.status,
              policies: new Map(inventory.rcps.policies),
              attachments: copy(inventory.rcps.attachments),
              ...(inventory.rcps.targetsRead ? { targetsRead: inventory.rcps.targetsRead } : {}),
            },
          }
        : {}),
    };
    this.organizations = this.#answering(organizations);
  }

  /**
   * Refuses entry `entry` (1-based) when its plan undoes what an earlier entry's plan does: the
   * two would replace each other's variant on the same target on every run.
   */
  checkConflicts(entry: number, plan: ScpPlan): void {
    for (const step of plan.steps) {
      if (step.kind !== "detach-policy") continue;
      const earlier = this.#attachedBy.get(`${step.targetId}|${step.policyId}`);
      if (earlier === undefined) continue;
      const where = findTarget(this.inventory, step.targetId)?.path ?? step.targetId;
      throw new OrgwardenError(
        "REFUSED",
        `scp: entries ${earlier} and ${entry} conflict on ${where}: entry ${entry} would detach ${step.policyName}, which entry ${earlier} attaches there (the same policy with other parameters); each run would undo the other. Nothing was changed`,
        {
          hint: `Give both entries the same parameters (exemptPrincipals, …) for ${where}, or merge them into one scp: entry.`,
        },
      );
    }
  }

  /**
   * Adds an enforce entry's plan (entry is 1-based) to the projection; `wanted` are the managed
   * names the entry keeps on its target, attached already or by this plan.
   */
  record(entry: number, plan: ScpPlan, wanted: readonly string[]): void {
    const inv = this.inventory;
    const kind = policyKindOf(plan.policyType);
    const { policies, attachments } = policiesOf(inv, kind);
    for (const step of plan.steps) {
      switch (step.kind) {
        case "enable-policy-type":
          markPolicyTypeEnabled(inv, kind);
          break;
        case "create-policy": {
          const id = `p-planned${this.#created.size}${entry}`;
          this.#created.set(step.policy.managedName, id);
          policies.set(id, {
            id,
            name: step.policy.managedName,
            arn: "",
            description: step.policy.description,
            awsManaged: false,
          });
          this.#content.set(id, step.policy.content);
          this.#tags.set(id, step.policy.tags);
          break;
        }
        case "update-policy":
          this.#content.set(step.policyId, step.policy.content);
          break;
        case "tag-policy":
          this.#tags.set(step.policyId, step.policy.tags);
          break;
        case "attach-policy": {
          const id = step.policyId ?? this.#created.get(step.policyName);
          if (!id) break;
          const list = attachments.get(step.targetId) ?? [];
          if (!list.includes(id)) list.push(id);
          attachments.set(step.targetId, list);
          this.#attachedBy.set(`${step.targetId}|${id}`, entry);
          break;
        }
        case "detach-policy":
          attachments.set(
            step.targetId,
            (attachments.get(step.targetId) ?? []).filter((p) => p !== step.policyId),
          );
          break;
        case "delete-policy":
          policies.delete(step.policyId);
          break;
        case "nothing-to-do":
          break;
      }
    }
    for (const name of wanted) {
      const id = this.#created.get(name) ?? [...policies.values()].find((p) => p.name === name)?.id;
      if (id) this.#attachedBy.set(`${plan.target.id}|${id}`, entry);
    }
  }

  /** The real client, except for the documents and tags of the policies the projection changed. */
  #answering(real: OrganizationsClient): OrganizationsClient {
    const view = Object.create(real) as OrganizationsClient;
    const send = real.send.bind(real) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
    const answer = (command: unknown, ...rest: unknown[]): Promise<unknown> => {
      if (command instanceof DescribePolicyCommand) {
        const id = command.input.PolicyId ?? "";
        const content = this.#content.get(id);
        if (content !== undefined) {
          const name = (this.inventory.scps.get(id) ?? this.inventory.rcps?.policies.get(id))?.name;
          return Promise.resolve({ Policy: { PolicySummary: { Id: id, Name: name }, Content: content } });
        }
      }
      if (command instanceof ListTagsForResourceCommand) {
        const tags = this.#tags.get(command.input.ResourceId ?? "");
        if (tags) return Promise.resolve({ Tags: tags });
      }
      return send(command, ...rest);
    };
    view.send = answer as OrganizationsClient["send"];
    return view;
  }
}
