import { AttachPolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Target } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { applyScpPlan } from "./apply-scp.js";
import type { ScpPlan } from "./scp-plan.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

function awsError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${name} from AWS`), {
    name,
    $fault: "client",
    $metadata: { requestId: "r-1" },
    ...extra,
  });
}

const target = {
  kind: "ou",
  id: "ou-ab12-11111111",
  name: "Prod",
  path: "Root/Prod",
  unit: {},
} as unknown as Target;
const plan: ScpPlan = {
  action: "apply",
  policyType: "SERVICE_CONTROL_POLICY",
  target,
  steps: [
    {
      kind: "attach-policy",
      policyName: "orgwarden-require-mfa",
      policyId: "p-12345678",
      targetId: target.id,
    },
  ],
  sizes: [],
  attachments: { before: 1, after: 2, limit: 5, names: [] },
  quotaSources: undefined,
  affected: [],
  updates: [],
  replacements: [],
  lockout: undefined,
  sharedPolicyChecks: [],
  validation: undefined,
  notes: [],
  changes: 1,
};
const client = () => new OrganizationsClient({ region: "us-east-1" });

describe("applyScpPlan", () => {
  it("retries ConcurrentModificationException, which the SDK does not", async () => {
    org
      .on(AttachPolicyCommand)
      .rejectsOnce(awsError("ConcurrentModificationException"))
      .rejectsOnce(awsError("PolicyChangesInProgressException"))
      .resolves({});
    const out = await applyScpPlan(plan, { organizations: client(), retryBaseDelayMs: 1 });
    expect(out.written).toBe(1);
    expect(org.commandCalls(AttachPolicyCommand)).toHaveLength(3);
  });

  it("treats an attachment that already exists as done", async () => {
    org.on(AttachPolicyCommand).rejects(awsError("DuplicatePolicyAttachmentException"));
    await expect(applyScpPlan(plan, { organizations: client() })).resolves.toMatchObject({ written: 1 });
  });

  it("maps ConstraintViolationException reasons to what the user should do", async () => {
    org
      .on(AttachPolicyCommand)
      .rejects(
        awsError("ConstraintViolationException", { Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" }),
      );
    await expect(applyScpPlan(plan, { organizations: client() })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: expect.stringContaining(
        "attaching orgwarden-require-mfa to ou-ab12-11111111: the target already has the most SCPs",
      ),
      hint: expect.stringContaining("--max-scps-per-target"),
    });
  });

  it("turns TargetNotFoundException into 'run again'", async () => {
    org.on(AttachPolicyCommand).rejects(awsError("TargetNotFoundException"));
    await expect(applyScpPlan(plan, { organizations: client() })).rejects.toMatchObject({
      code: "NOT_FOUND",
      hint: expect.stringContaining("run the command again"),
    });
  });
});
