import { DescribePolicyCommand, ListPoliciesCommand } from "@aws-sdk/client-organizations";
import { orgClient } from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

/**
 * An organization outside the commercial partition: every ARN orgwarden writes or probes is in the
 * organization's partition, read from its ARN. moto takes the partition from the region the
 * organization is created from. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
describe.each([
  ["aws-us-gov", "us-gov-west-1"],
  ["aws-cn", "cn-north-1"],
])("an organization in the %s partition", (partition, region) => {
  const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 2 }, region });

  const cli = (...args: string[]) =>
    runCli([...args, "--endpoint-url", moto.endpoint, "--region", region], { env: { AWS_REGION: region } });

  it("apply-scp writes every ARN in that partition, orgwarden's role exempt by its ARN there", async () => {
    const plan = await cli("apply-scp", "--ou", "Root/Workloads", "--dry-run", "--output", "json");
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { lockout?: { probes: Array<{ label: string; ok: boolean }> } };
    const probes = doc.lockout?.probes ?? [];
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.filter((p) => !p.ok)).toEqual([]);

    const applied = await cli("apply-scp", "--ou", "Root/Workloads", "--yes");
    expect(applied.code, applied.stderr).toBe(0);
    const client = orgClient(moto.endpoint, undefined, region);
    const listed = await client.send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }));
    const mine = (listed.Policies ?? []).filter((p) => p.Name?.startsWith("orgwarden-"));
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) {
      const content =
        (await client.send(new DescribePolicyCommand({ PolicyId: p.Id }))).Policy?.Content ?? "";
      // The default policies stay the default variant: the partition is not a parameter a user set.
      expect(p.Name).toMatch(/^orgwarden-[a-z-]+$/);
      expect(content).not.toContain("arn:aws:");
      if (p.Name === "orgwarden-require-mfa")
        expect(content).toContain(`arn:${partition}:iam::*:role/OrganizationAccountAccessRole`);
    }
    client.destroy();
    expect(org.accounts).toHaveLength(2);
  });

  it("scp show and rules list print what would be written there, before any AWS call", async () => {
    const show = await runCli(["--region", region, "scp", "show", "protect-audit", "--document"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).not.toContain("arn:aws:");
    expect(show.stdout).toContain(`arn:${partition}:iam::*:role/OrganizationAccountAccessRole`);
    const rules = await runCli(["--region", region, "rules", "list", "--output", "json"]);
    expect(rules.stdout).toContain(`arn:${partition}:iam::\${AccountId}:policy/`);
  });

  it("refuses an exempt principal written for the commercial partition, naming the ARN to write", async () => {
    const res = await cli(
      "apply-scp",
      "--ou",
      "Root/Workloads",
      "--dry-run",
      "--exempt-principal",
      "arn:aws:iam::*:role/BreakGlass",
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("another partition");
    expect(res.stderr).toContain(`arn:${partition}:iam::*:role/BreakGlass`);
  });
});
