import type { CallTuple } from "@orgwarden/activity";
import { UNRECORDED_VPC } from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { tupleRequest } from "./tuple-request.js";

const ACCOUNT = "111122223333";
const org = {
  organizationId: "o-exampleorgid",
  partition: "aws",
  orgPathOf: () => "o-exampleorgid/r-exam/ou-exam-workloads/",
};
const tuple = (fields: Partial<CallTuple>): CallTuple => ({
  account: ACCOUNT,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/deploy`,
  principalKind: "role",
  action: "codebuild:StartBuild",
  region: "eu-west-1",
  mfa: false,
  viaAwsService: false,
  resource: "*",
  resourceGuessed: true,
  count: 1,
  firstSeen: "2026-11-06T16:01:12Z",
  lastSeen: "2026-11-06T16:01:12Z",
  sampleEventIds: ["e1"],
  denied: 0,
  ...fields,
});

describe("tupleRequest: the request an SCP sees for a recorded call", () => {
  it("a federated user's call carries its own ARN and the FederatedUser type", () => {
    const federated = `arn:aws:sts::${ACCOUNT}:federated-user/build-bot`;
    const { keys } = tupleRequest(tuple({ principalArn: federated, principalKind: "federated-user" }), org);
    expect([keys["aws:PrincipalArn"], keys["aws:PrincipalType"], keys["aws:PrincipalAccount"]]).toEqual([
      federated,
      "FederatedUser",
      ACCOUNT,
    ]);
  });

  it("a call over a VPC endpoint carries its endpoint and a VPC the event does not name; no address", () => {
    const { keys } = tupleRequest(
      tuple({ sourceVpce: "vpce-0a1b2c3d4e5f6a7b8", openKeys: ["aws:SourceVpc"] }),
      org,
    );
    expect([keys["aws:SourceVpce"], keys["aws:SourceVpc"], keys["aws:SourceIp"]]).toEqual([
      "vpce-0a1b2c3d4e5f6a7b8",
      UNRECORDED_VPC,
      undefined,
    ]);
  });
});
