import type { Inventory } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { EvaluatedPolicy, PolicyLevel } from "../evaluate-scps.js";
import { RCP_KIND } from "../policy-kind.js";
import { loadPolicyLibrary, requirePolicy } from "../policy-library.js";
import { rcpParameters } from "../rcp-parameters.js";
import { renderPolicy } from "../render-policy.js";
import { judgeExternalAccess } from "./judge-external-access.js";
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
});
