import {
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  describeAwsError,
  hasManagedTag,
  hasServiceManagedTag,
  MANAGED_TAG,
  OrgwardenError,
  type ScpSummary,
  SERVICE_MANAGED_TAG,
} from "@orgwarden/core";
import { policyProblems } from "./evaluate-scps.js";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";

/** Reads SCP documents and tags from Organizations, each once per plan. */
export class PolicyReader {
  readonly #org: OrganizationsClient;
  readonly #docs = new Map<string, Promise<PolicyDocument>>();
  readonly #tags = new Map<string, Promise<Array<{ Key?: string; Value?: string }>>>();

  constructor(org: OrganizationsClient) {
    this.#org = org;
  }

  /** The policy's document as AWS has it; a document the guard cannot judge is an error naming it. */
  document(id: string, name = id): Promise<PolicyDocument> {
    let doc = this.#docs.get(id);
    if (!doc) {
      doc = this.#read(id, name);
      this.#docs.set(id, doc);
    }
    return doc;
  }

  async #read(id: string, name: string): Promise<PolicyDocument> {
    let content: string | undefined;
    try {
      const out = await this.#org.send(new DescribePolicyCommand({ PolicyId: id }));
      content = out.Policy?.Content;
    } catch (err) {
      throw describeAwsError(err, "Organizations");
    }
    const refuse = (why: string) =>
      new OrgwardenError("INVALID_INPUT", `the lockout guard cannot evaluate SCP ${name} (${id}): ${why}`, {
        hint: "orgwarden refuses to change SCPs on a path it cannot evaluate. Fix that policy (AWS would misread it too), then run again. Nothing was changed.",
        details: { policy: name, policyId: id },
      });
    let parsed: unknown;
    try {
      parsed = JSON.parse(content ?? "");
    } catch {
      throw refuse("its content is not JSON");
    }
    const doc = policyDocumentSchema.safeParse(parsed);
    if (!doc.success) {
      const issue = doc.error.issues[0];
      throw refuse(
        `${issue?.path.join(".") || "the document"}: ${issue?.message ?? "not a policy document"}`,
      );
    }
    const problem = policyProblems(doc.data)[0];
    if (problem) throw refuse(problem);
    return doc.data;
  }

  /** The policy's tags, read once. */
  tags(id: string): Promise<Array<{ Key?: string; Value?: string }>> {
    let tags = this.#tags.get(id);
    if (!tags) {
      tags = this.#readTags(id);
      this.#tags.set(id, tags);
    }
    return tags;
  }

  async #readTags(id: string): Promise<Array<{ Key?: string; Value?: string }>> {
    const tags: Array<{ Key?: string; Value?: string }> = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.#org.send(
          new ListTagsForResourceCommand({ ResourceId: id, NextToken: token }),
        );
        tags.push(...(out.Tags ?? []));
        token = out.NextToken;
      } while (token);
    } catch (err) {
      throw describeAwsError(err, "Organizations");
    }
    return tags;
  }

  /**
   * True when the policy carries the managed-by=orgwarden tag and not the tag of a policy an AWS
   * service manages: a service's SCP is never orgwarden's to change, whatever else it is tagged.
   */
  async isManaged(policy: ScpSummary): Promise<boolean> {
    const tags = await this.tags(policy.id);
    return hasManagedTag(tags) && !hasServiceManagedTag(tags);
  }

  /** True when an AWS service created the policy and manages it (tagged ManagedBy=service-access). */
  async isServiceManaged(policy: ScpSummary): Promise<boolean> {
    return hasServiceManagedTag(await this.tags(policy.id));
  }

  /** Refuses a same-named policy that does not carry the managed-by=orgwarden tag, or that a service manages. */
  async requireManaged(policy: ScpSummary): Promise<void> {
    if (await this.isServiceManaged(policy)) {
      throw new OrgwardenError(
        "REFUSED",
        `${policy.name} (${policy.id}) is tagged ${SERVICE_MANAGED_TAG.Key}=${SERVICE_MANAGED_TAG.Value}: an AWS service created it and manages it, so orgwarden never updates, detaches or deletes it`,
        {
          hint: "Change it through the service that owns it (Control Tower, Landing Zone Accelerator, …). Nothing was changed.",
        },
      );
    }
    if (!(await this.isManaged(policy))) {
      throw new OrgwardenError(
        "REFUSED",
        `a policy named ${policy.name} (${policy.id}) exists but is not tagged ${MANAGED_TAG.Key}=${MANAGED_TAG.Value}: orgwarden does not touch it`,
        { hint: "Rename that policy, or tag it managed-by=orgwarden if orgwarden should own it." },
      );
    }
  }
}
