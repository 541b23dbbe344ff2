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

/** Reads policy documents (SCPs, RCPs, management policies) and tags from Organizations, each once per plan. */
export class PolicyReader {
  readonly #org: OrganizationsClient;
  readonly #contents = new Map<string, Promise<string | undefined>>();
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

  /** The policy's content as AWS has it (DescribePolicy), read once. */
  #content(id: string): Promise<string | undefined> {
    let content = this.#contents.get(id);
    if (!content) {
      content = this.#describe(id);
      this.#contents.set(id, content);
    }
    return content;
  }

  async #describe(id: string): Promise<string | undefined> {
    try {
      const out = await this.#org.send(new DescribePolicyCommand({ PolicyId: id }));
      return out.Policy?.Content;
    } catch (err) {
      throw describeAwsError(err, "Organizations");
    }
  }

  /**
   * A management policy's content (an S3 or EC2 declarative policy): any JSON object, compared with
   * what orgwarden renders, never evaluated. Content that is not a JSON object is INVALID_INPUT
   * naming the policy.
   */
  async json(id: string, name = id): Promise<Record<string, unknown>> {
    const content = await this.#content(id);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content ?? "");
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new OrgwardenError("INVALID_INPUT", `policy ${name} (${id}) holds no JSON object`, {
        hint: "Fix or detach that policy (AWS would refuse it too), then run again. Nothing was changed.",
        details: { policy: name, policyId: id },
      });
    return parsed as Record<string, unknown>;
  }

  async #read(id: string, name: string): Promise<PolicyDocument> {
    const content = await this.#content(id);
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
