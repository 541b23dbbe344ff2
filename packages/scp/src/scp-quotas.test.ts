import { ListServiceQuotasCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { ClientFactory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { RCP_KIND, S3_POLICY_KIND, SCP_KIND } from "./policy-kind.js";
import { quotaKindOf, resolveScpQuotas } from "./scp-quotas.js";

const sq = mockClient(ServiceQuotasClient);
afterEach(() => sq.reset());
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" };
const factory = () => new ClientFactory({ region: "eu-west-1", maxAttempts: 1 });

// Quota codes may change, names do not: "use the ListServiceQuotas operation, and look for the
// QuotaCode" (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
describe("SCP quotas from Service Quotas", () => {
  it("recognises the SCP quotas by name", () => {
    const scp = (name: string) => quotaKindOf(SCP_KIND, name);
    expect(scp("Maximum size of a service control policy document")).toBe("maxPolicySize");
    expect(scp("Service control policies (SCPs) attached per OU")).toBe("maxPoliciesPerTarget");
    expect(scp("Maximum number of policies of each type attached to a root, OU or account")).toBe(
      "maxPoliciesPerTarget",
    );
    expect(scp("Tag policies attached per account")).toBeUndefined();
    expect(scp("Number of accounts in an organization")).toBeUndefined();
  });

  it("reads the applied values, in us-east-1, and says so", async () => {
    sq.on(ListServiceQuotasCommand, { ServiceCode: "organizations" }).resolves({
      Quotas: [
        { QuotaName: "Maximum size of a service control policy document", QuotaCode: "L-X1", Value: 10240 },
        { QuotaName: "SCPs attached per root, OU or account", QuotaCode: "L-X2", Value: 10 },
        { QuotaName: "Number of OUs in an organization", QuotaCode: "L-X3", Value: 2000 },
      ],
    });
    const q = await resolveScpQuotas({
      configured: { maxPolicySize: 5120 },
      factory: factory(),
      credentials,
    });
    expect(q).toMatchObject({
      maxPolicySize: 10240,
      maxPoliciesPerTarget: 10,
      sources: { maxPolicySize: "service-quotas", maxPoliciesPerTarget: "service-quotas" },
      notes: [],
    });
    expect(await sq.call(0).thisValue.config.region()).toBe("us-east-1");
  });

  it("falls back to the configured values, then AWS's documented defaults, and says why", async () => {
    sq.on(ListServiceQuotasCommand).rejects(
      Object.assign(new Error("no"), { name: "AccessDeniedException" }),
    );
    const q = await resolveScpQuotas({
      configured: { maxPoliciesPerTarget: 7 },
      factory: factory(),
      credentials,
    });
    expect(q).toMatchObject({
      maxPolicySize: 5120,
      maxPoliciesPerTarget: 7,
      sources: { maxPolicySize: "default", maxPoliciesPerTarget: "configured" },
      notes: ["Service Quotas could not be read (AccessDeniedException)"],
    });
  });

  it("says what to grant when the operator may not read Service Quotas, and names an endpoint without the API", async () => {
    sq.on(ListServiceQuotasCommand).rejects(
      Object.assign(new Error("denied"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const denied = await resolveScpQuotas({ configured: {}, factory: factory(), credentials });
    expect(denied.notes).toEqual([
      "Service Quotas could not be read (AccessDeniedException: allow servicequotas:ListServiceQuotas to use it)",
    ]);
    sq.reset();
    sq.on(ListServiceQuotasCommand).rejects(
      Object.assign(new SyntaxError("Unexpected token '<'"), { $metadata: { httpStatusCode: 500 } }),
    );
    const emulator = await resolveScpQuotas({ configured: {}, factory: factory(), credentials });
    expect(emulator.notes).toEqual([
      "Service Quotas could not be read (the endpoint does not implement servicequotas:ListServiceQuotas)",
    ]);
  });
});

describe("RCP and management-type quotas", () => {
  it("recognises only names that say the kind's type", () => {
    const rcp = (name: string) => quotaKindOf(RCP_KIND, name);
    expect(rcp("Maximum size of a resource control policy document")).toBe("maxPolicySize");
    expect(rcp("RCPs attached per OU")).toBe("maxPoliciesPerTarget");
    expect(rcp("Service control policies (SCPs) attached per OU")).toBeUndefined();
    expect(rcp("Maximum number of policies of each type attached to a root, OU or account")).toBeUndefined();
    expect(quotaKindOf(S3_POLICY_KIND, "Amazon S3 policies attached per account")).toBe(
      "maxPoliciesPerTarget",
    );
    expect(quotaKindOf(S3_POLICY_KIND, "RCPs attached per OU")).toBeUndefined();
  });

  // The defaults are the policy-type catalogue's: AWS's quotas page gives 5 RCPs per target and
  // 5,120 characters; for S3 policies it gives no per-target figure, and the plan says whose it uses.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
  it("takes the catalogue's defaults, labelled AWS's or orgwarden's", async () => {
    sq.on(ListServiceQuotasCommand).resolves({
      Quotas: [{ QuotaName: "SCPs attached per root, OU or account", QuotaCode: "L-X2", Value: 10 }],
    });
    expect(
      await resolveScpQuotas({ configured: {}, factory: factory(), credentials, kind: RCP_KIND }),
    ).toMatchObject({
      maxPolicySize: 5120,
      maxPoliciesPerTarget: 5,
      sources: { maxPolicySize: "default", maxPoliciesPerTarget: "default" },
      notes: ["Service Quotas lists no RCP quota for this organization"],
    });
    expect(
      await resolveScpQuotas({ configured: {}, factory: factory(), credentials, kind: S3_POLICY_KIND }),
    ).toMatchObject({
      maxPoliciesPerTarget: 5,
      sources: { maxPoliciesPerTarget: "unpublished" },
    });
  });
});
