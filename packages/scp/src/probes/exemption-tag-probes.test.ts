import { describe, expect, it } from "vitest";
import type { EvaluatedPolicy } from "../evaluate-scps.js";
import { checkLockout } from "../lockout-guard.js";
import { loadPolicyLibrary, requirePolicy } from "../policy-library.js";
import { renderPolicy } from "../render-policy.js";
import { scpParameters } from "../scp-parameters.js";
import { buildProbes } from "./build-probes.js";

const FULL: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

describe("protect-exemption-tags under the guard", () => {
  it("keeps a member-account administrator from reaching a bucket's tags through S3's calls without aws:TagKeys", () => {
    const params = scpParameters({ roleName: "OrganizationAccountAccessRole" });
    const r = renderPolicy(requirePolicy(loadPolicyLibrary(), "protect-exemption-tags"), params);
    const report = checkLockout(
      [
        { nodeId: "r-1", nodePath: "Root", policies: [FULL] },
        {
          nodeId: "ou-1",
          nodePath: "Root/Prod",
          policies: [FULL, { name: r.managedName, document: r.document, managed: true }],
        },
      ],
      buildProbes(params, new Set(["protect-exemption-tags"])),
    );
    expect(report.blocking).toEqual([]);
    const decision = Object.fromEntries(report.results.map((x) => [x.probe.id, x.decision]));
    expect(decision).toMatchObject({
      "member-admin-sets-resource-exemption-tag": "DENY",
      "member-admin-replaces-bucket-tags": "DENY",
      "member-admin-sets-other-tag": "ALLOW",
      "orgwarden-sets-resource-exemption-tag": "ALLOW",
    });
    const bucketTags = report.results.find((x) => x.probe.id === "member-admin-replaces-bucket-tags");
    // Each call is denied on its own, not just the first (DeleteBucketTagging is s3:PutBucketTagging).
    expect(bucketTags?.probe.requests.map((q) => q.action)).toEqual([
      "s3:PutBucketTagging",
      "s3:PutBucketAbac",
    ]);
  });
});
