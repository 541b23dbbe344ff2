import type { Inventory } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { EvaluatedPolicy, PolicyLevel } from "../evaluate-scps.js";
import { RCP_KIND } from "../policy-kind.js";
import { loadPolicyLibrary, requirePolicy } from "../policy-library.js";
import { rcpParameters } from "../rcp-parameters.js";
import { renderPolicy } from "../render-policy.js";
import { describeExternalAccess, judgeExternalAccess } from "./judge-external-access.js";
import type { ExternalFinding } from "./list-external-findings.js";

const ORG = "o-abcdef1234";
const MEMBER = "222222222222";
const RCP_FULL: EvaluatedPolicy = {
  name: "RCPFullAWSAccess",
  managed: false,
  document: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
  },
};
const perimeter = renderPolicy(
  requirePolicy(loadPolicyLibrary(undefined, RCP_KIND), "identity-perimeter"),
  rcpParameters({ roleName: "R", organizationId: ORG, trustedAccounts: ["999988887777"] }),
);
const levels: PolicyLevel[] = [
  { nodeId: "r-ab12", nodePath: "Root", policies: [RCP_FULL] },
  {
    nodeId: "ou-ab12-11111111",
    nodePath: "Root/Prod",
    policies: [RCP_FULL, { name: perimeter.managedName, document: perimeter.document, managed: true }],
  },
];
const inventory = {
  organizationId: ORG,
  rootId: "r-ab12",
  units: new Map([
    ["r-ab12", { id: "r-ab12", parentId: undefined }],
    ["ou-ab12-11111111", { id: "ou-ab12-11111111", parentId: "r-ab12" }],
  ]),
  accounts: [{ id: MEMBER, parentId: "ou-ab12-11111111" }],
} as unknown as Inventory;

const finding = (
  id: string,
  principal: Record<string, string>,
  extra: Partial<ExternalFinding> = {},
): ExternalFinding => ({
  id,
  resource: `arn:aws:s3:::shared-${id}`,
  resourceType: "AWS::S3::Bucket",
  account: MEMBER,
  principal,
  actions: ["s3:GetObject", "s3:ListBucket"],
  isPublic: false,
  ...extra,
});

// Access Analyzer's external-access findings ignore RCPs; the plan says which the new RCPs stop.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
describe("judgeExternalAccess", () => {
  it("stops an account outside the organization and a public bucket, not a trusted account, nor a service", () => {
    const report = judgeExternalAccess(
      {
        analyzer: "organization analyzer org",
        findings: [
          finding("outsider", { AWS: "arn:aws:iam::444455556666:root" }),
          finding("public", { AWS: "*" }, { isPublic: true }),
          finding("trusted", { AWS: "999988887777" }),
          finding("service", { Service: "cloudfront.amazonaws.com" }),
          finding("elsewhere", { AWS: "444455556666" }, { account: "333333333333" }),
        ],
      },
      [{ levels, accountIds: [MEMBER] }],
      inventory,
    );
    const byId = Object.fromEntries(report.verdicts.map((v) => [v.finding.id, v]));
    expect(Object.keys(byId)).toEqual(["outsider", "public", "trusted", "service"]);
    expect(byId.outsider?.stopped).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(byId.outsider?.stoppedBy).toBe(
      "orgwarden-identity-perimeter-" + perimeter.variant + " at Root/Prod",
    );
    expect(byId.public?.stopped).toHaveLength(2);
    expect(byId.trusted?.stopped).toEqual([]);
    expect(byId.service?.stopped).toEqual([]);
  });

  it("says a stop holds only outside the trusted organizations, which a finding cannot tell", () => {
    const trustingPartner = renderPolicy(
      requirePolicy(loadPolicyLibrary(undefined, RCP_KIND), "identity-perimeter"),
      rcpParameters({ roleName: "R", organizationId: ORG, trustedOrganizations: ["o-partner1234"] }),
    );
    const path: PolicyLevel[] = [
      levels[0] as PolicyLevel,
      {
        nodeId: "ou-ab12-11111111",
        nodePath: "Root/Prod",
        policies: [
          RCP_FULL,
          { name: trustingPartner.managedName, document: trustingPartner.document, managed: true },
        ],
      },
    ];
    const groups = [{ levels: path, accountIds: [MEMBER] }];
    const report = judgeExternalAccess(
      {
        analyzer: "organization analyzer org of account 111111111111",
        scope: { kind: "organization", account: "111111111111" },
        findings: [
          finding("outsider", { AWS: "arn:aws:iam::444455556666:root" }),
          finding("public", { AWS: "*" }, { isPublic: true }),
        ],
      },
      groups,
      inventory,
      ["o-partner1234"],
    );
    const byId = Object.fromEntries(report.verdicts.map((v) => [v.finding.id, v]));
    expect(byId.outsider?.unless).toBe("its account is in the trusted organization o-partner1234");
    // Anyone at all is no principal of a trusted organization.
    expect(byId.public?.unless).toBeUndefined();
    expect(describeExternalAccess(report, groups, { managementAccountId: "111111111111" })).toBe(
      "IAM Access Analyzer (organization analyzer org of account 111111111111, covering every account of the organization): 2 active external-access findings on the accounts the change reaches, 2 of them stopped by the RCPs after it (1 only if the principal's account is in no trusted organization: a finding names the account, not its organization); Access Analyzer does not take RCPs into account, so its findings stay active",
    );
  });

  it("says an account analyzer of the management account covers none of the accounts the RCPs reach, instead of 0 stopped", () => {
    const groups = [{ levels, accountIds: [MEMBER, "333333333333"] }];
    const read = {
      analyzer: "account analyzer mine of account 111111111111",
      scope: { kind: "account", account: "111111111111" } as const,
      findings: [finding("own", { AWS: "444455556666" }, { account: "111111111111" })],
    };
    const text = describeExternalAccess(judgeExternalAccess(read, groups, inventory), groups, {
      managementAccountId: "111111111111",
    });
    expect(text).toContain(
      "only the account analyzer mine of account 111111111111 was found, the management account's",
    );
    expect(text).toContain("the external access of the 2 accounts the change reaches was not checked");
    expect(text).not.toMatch(/\b0 of them stopped/);
    const member = describeExternalAccess(
      judgeExternalAccess({ ...read, scope: { kind: "account", account: MEMBER } }, groups, inventory),
      groups,
      { managementAccountId: "111111111111" },
    );
    expect(member).toContain(`it covers account ${MEMBER}'s own resources only`);
    expect(member).toContain("the other 1 account the change reaches were not checked");
  });
});
