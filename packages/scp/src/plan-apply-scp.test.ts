import {
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { Inventory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { planApplyScp } from "./plan-apply-scp.js";
import { loadPolicyLibrary, requirePolicy } from "./policy-library.js";
import { renderPolicy } from "./render-policy.js";
import { scpParameters } from "./scp-parameters.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

function inventory(): Inventory {
  const full = { id: "p-FullAWSAccess", name: "FullAWSAccess", arn: "", description: "", awsManaged: true };
  return {
    organizationId: "o-abcdef1234",
    partition: "aws",
    managementAccountId: "111111111111",
    featureSet: "ALL",
    rootId: "r-ab12",
    scpPolicyType: "ENABLED",
    units: new Map([
      [
        "r-ab12",
        {
          id: "r-ab12",
          name: "Root",
          kind: "root",
          parentId: undefined,
          path: "Root",
          depth: 0,
          childOuIds: ["ou-ab12-11111111"],
          accountIds: ["111111111111"],
        },
      ],
      [
        "ou-ab12-11111111",
        {
          id: "ou-ab12-11111111",
          name: "Prod",
          kind: "ou",
          parentId: "r-ab12",
          path: "Root/Prod",
          depth: 1,
          childOuIds: [],
          accountIds: ["222222222222"],
        },
      ],
    ]),
    accounts: [
      {
        id: "111111111111",
        name: "mgmt",
        email: "m@example.com",
        arn: "",
        state: "ACTIVE",
        parentId: "r-ab12",
        ouPath: "Root",
        isManagement: true,
      },
      {
        id: "222222222222",
        name: "prod",
        email: "p@example.com",
        arn: "",
        state: "ACTIVE",
        parentId: "ou-ab12-11111111",
        ouPath: "Root/Prod",
        isManagement: false,
      },
    ],
    scps: new Map([["p-FullAWSAccess", full]]),
    scpAttachments: new Map([
      ["r-ab12", ["p-FullAWSAccess"]],
      ["ou-ab12-11111111", ["p-FullAWSAccess"]],
      ["222222222222", ["p-FullAWSAccess"]],
    ]),
  } as Inventory;
}

const params = scpParameters({ roleName: "OrganizationAccountAccessRole" });
const policies = ["require-mfa", "deny-root-user"].map((n) =>
  renderPolicy(requirePolicy(loadPolicyLibrary(), n), params),
);

describe("planApplyScp", () => {
  it("refuses when IAM Access Analyzer reports an ERROR on a document it would write, before any write", async () => {
    org.on(DescribePolicyCommand).resolves({
      Policy: {
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      },
    });
    const validated: string[] = [];
    await expect(
      planApplyScp({
        inventory: inventory(),
        organizations: new OrganizationsClient({ region: "us-east-1" }),
        targetId: "ou-ab12-11111111",
        policies,
        params,
        quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 5 },
        validatePolicies: async (docs) => {
          validated.push(...docs.map((d) => d.name));
          return {
            ran: true,
            findings: [
              {
                policy: "orgwarden-require-mfa",
                findingType: "ERROR",
                issueCode: "INVALID_ACTION",
                details: "no such action",
              },
              { policy: "orgwarden-deny-root-user", findingType: "SUGGESTION", issueCode: "X", details: "y" },
            ],
          };
        },
      }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining("orgwarden-require-mfa: INVALID_ACTION (no such action)"),
    });
    expect(validated).toEqual(["orgwarden-require-mfa", "orgwarden-deny-root-user"]);
  });

  it("shows non-error findings and the quota sources in the plan", async () => {
    org.on(DescribePolicyCommand).resolves({
      Policy: {
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      },
    });
    const plan = await planApplyScp({
      inventory: inventory(),
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      targetId: "ou-ab12-11111111",
      policies,
      params,
      regions: ["us-east-1", "eu-west-1"],
      quotas: {
        maxPolicySize: 10240,
        maxPoliciesPerTarget: 10,
        sources: { maxPolicySize: "service-quotas", maxPoliciesPerTarget: "service-quotas" },
      },
      validatePolicies: async () => ({
        ran: true,
        findings: [
          { policy: "orgwarden-deny-root-user", findingType: "SUGGESTION", issueCode: "X", details: "y" },
        ],
      }),
    });
    expect(plan.validation?.findings).toHaveLength(1);
    expect(plan.quotaSources).toEqual({
      maxPolicySize: "service-quotas",
      maxPoliciesPerTarget: "service-quotas",
    });
    expect(plan.attachments.limit).toBe(10);
    expect(plan.affected).toEqual([
      expect.objectContaining({ targetId: "ou-ab12-11111111", accounts: 1, reason: "target" }),
    ]);
    // The guard probed orgwarden's calls in both regions.
    const own = plan.lockout?.results.find((r) => r.probe.id === "orgwarden-role");
    const regions = new Set(own?.probe.requests.map((r) => r.keys["aws:RequestedRegion"]));
    expect([...regions].sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(own?.probe.requests.every((r) => r.keys["aws:PrincipalOrgID"] === "o-abcdef1234")).toBe(true);
    expect(own?.probe.principalArn).toBe("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole");
  });

  it("replaces another variant on the target: detaches it after attaching the new one, or before when at the quota", async () => {
    const old = renderPolicy(
      requirePolicy(loadPolicyLibrary(), "require-mfa"),
      scpParameters({
        roleName: "OrganizationAccountAccessRole",
        exemptPrincipals: ["arn:aws:iam::*:role/Old"],
      }),
    );
    const inv = inventory();
    inv.scps.set("p-old", {
      id: "p-old",
      name: old.managedName,
      arn: "",
      description: "",
      awsManaged: false,
    });
    inv.scps.set("p-team", {
      id: "p-team",
      name: "team-guardrail",
      arn: "",
      description: "",
      awsManaged: false,
    });
    inv.scpAttachments.set("ou-ab12-11111111", ["p-FullAWSAccess", "p-old", "p-team"]);
    org.on(DescribePolicyCommand).resolves({
      Policy: {
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      },
    });
    org.on(DescribePolicyCommand, { PolicyId: "p-old" }).resolves({ Policy: { Content: old.content } });
    org.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: "managed-by", Value: "orgwarden" }] });
    const input = {
      inventory: inv,
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      targetId: "ou-ab12-11111111",
      policies: [policies[0] as (typeof policies)[number]],
      params,
    };
    const roomy = await planApplyScp({ ...input, quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 5 } });
    expect(roomy.steps.map((st) => st.kind)).toEqual(["create-policy", "attach-policy", "detach-policy"]);
    expect(roomy.replacements).toEqual([
      expect.objectContaining({ from: old.managedName, to: "orgwarden-require-mfa" }),
    ]);
    expect(roomy.replacements[0]?.diff.join("\n")).toMatch(/\n- +"arn:aws:iam::\*:role\/Old"/);
    expect(roomy.attachments).toMatchObject({ before: 3, after: 3 });
    // The exemption the old variant gave is probed as formerly exempt, and shown.
    expect(roomy.notes.join("\n")).toContain("removes the exemption of arn:aws:iam::*:role/Old");
    // The lockout guard judged the target without the old variant.
    expect(roomy.lockout?.pathDescription).toBeDefined();
    const full = await planApplyScp({ ...input, quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 3 } });
    // The old one goes only once the new one exists: a failed create leaves it in place.
    expect(full.steps.map((st) => st.kind)).toEqual(["create-policy", "detach-policy", "attach-policy"]);
    expect(full.notes.join("\n")).toContain("at its SCP quota");
    await expect(
      planApplyScp({ ...input, quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 2 } }),
    ).rejects.toMatchObject({ code: "QUOTA_EXCEEDED" });
  });

  it("leaves an untagged look-alike variant attached and says so", async () => {
    const inv = inventory();
    inv.scps.set("p-fake", {
      id: "p-fake",
      name: "orgwarden-require-mfa-0123456789",
      arn: "",
      description: "",
      awsManaged: false,
    });
    inv.scpAttachments.set("ou-ab12-11111111", ["p-FullAWSAccess", "p-fake"]);
    org.on(DescribePolicyCommand).resolves({
      Policy: {
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      },
    });
    org.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    const plan = await planApplyScp({
      inventory: inv,
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      targetId: "ou-ab12-11111111",
      policies: [policies[0] as (typeof policies)[number]],
      params,
      quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 5 },
    });
    expect(plan.steps.some((st) => st.kind === "detach-policy")).toBe(false);
    expect(plan.notes.join("\n")).toContain("orgwarden-require-mfa-0123456789 is attached to the target");
  });
});
