import {
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { type Inventory, MANAGED_TAG, type ScpSummary } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { attachBeside } from "./attach-beside.js";
import { loadPolicyLibrary, requirePolicy } from "./policy-library.js";
import { parseManagedName, renderPolicy } from "./render-policy.js";
import { documentSha256, revisionName, splitRevision } from "./revision-name.js";
import { scpParameters } from "./scp-parameters.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

const library = loadPolicyLibrary();
const rendered = renderPolicy(
  requirePolicy(library, "require-mfa"),
  scpParameters({ roleName: "OrganizationAccountAccessRole" }),
);

function inventoryWith(policies: ScpSummary[]): Inventory {
  return { scps: new Map(policies.map((p) => [p.id, p])) } as unknown as Inventory;
}
const summary = (id: string, name: string): ScpSummary => ({
  id,
  name,
  arn: "",
  description: "",
  awsManaged: false,
});

describe("a rollout's own policy name", () => {
  it("is the managed name, -r and the first 8 hex characters of the content's SHA-256", () => {
    const name = revisionName("orgwarden-require-mfa", rendered.content);
    expect(name).toBe(`orgwarden-require-mfa-r${documentSha256(rendered.content).slice(0, 8)}`);
    expect(name).toMatch(/^orgwarden-require-mfa-r[0-9a-f]{8}$/);
    expect(revisionName("orgwarden-require-mfa", rendered.content)).toBe(name);
    expect(revisionName("orgwarden-require-mfa", `${rendered.content} `)).not.toBe(name);
  });

  it("reads as the same library policy, with or without a variant; a variant alone is no revision", () => {
    expect(parseManagedName("orgwarden-require-mfa-r1a2b3c4d")).toEqual({
      name: "require-mfa",
      variant: undefined,
      revision: "1a2b3c4d",
    });
    expect(parseManagedName("orgwarden-require-mfa-0123456789-r1a2b3c4d")).toEqual({
      name: "require-mfa",
      variant: "0123456789",
      revision: "1a2b3c4d",
    });
    expect(parseManagedName("orgwarden-require-mfa-0123456789")).toEqual({
      name: "require-mfa",
      variant: "0123456789",
    });
    expect(splitRevision("orgwarden-require-mfa")).toEqual({
      base: "orgwarden-require-mfa",
      revision: undefined,
    });
  });
});

describe("attachBeside", () => {
  const tagged = { Tags: [MANAGED_TAG] };

  it("keeps the managed name when no policy has it, or when the one that has it holds the same document", async () => {
    expect(await attachBeside(inventoryWith([]), [rendered], new OrganizationsClient({}))).toEqual([
      rendered,
    ]);
    org.on(ListTagsForResourceCommand).resolves(tagged);
    org.on(DescribePolicyCommand).resolves({ Policy: { Content: rendered.content } });
    const same = inventoryWith([summary("p-old", rendered.managedName)]);
    expect(await attachBeside(same, [rendered], new OrganizationsClient({}))).toEqual([rendered]);
  });

  it("renames a document whose managed name an orgwarden policy with another document holds", async () => {
    org.on(ListTagsForResourceCommand).resolves(tagged);
    // An earlier version of the template: the same statements under another Sid.
    const earlier = rendered.content.replace('"Sid":"', '"Sid":"Old');
    org.on(DescribePolicyCommand).resolves({ Policy: { Content: earlier } });
    const taken = inventoryWith([summary("p-old", rendered.managedName)]);
    const [beside] = await attachBeside(taken, [rendered], new OrganizationsClient({}));
    expect(beside?.managedName).toBe(revisionName(rendered.managedName, rendered.content));
    expect(beside?.document).toEqual(rendered.document);
    expect(beside?.name).toBe("require-mfa");
  });

  it("leaves the name of a look-alike orgwarden does not own (the plan refuses it as apply-scp does)", async () => {
    org.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    const foreign = inventoryWith([summary("p-foreign", rendered.managedName)]);
    expect(await attachBeside(foreign, [rendered], new OrganizationsClient({}))).toEqual([rendered]);
    expect(org.commandCalls(DescribePolicyCommand)).toHaveLength(0);
  });
});
