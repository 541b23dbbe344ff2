import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeregisterDelegatedAdministratorCommand,
  ListRootsCommand,
  RegisterDelegatedAdministratorCommand,
  TagResourceCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { planDocumentSchema } from "@orgwarden/cli";
import {
  type AccessAnalyzerState,
  MANAGEMENT_ACCOUNT_ID,
  memberCredentials,
  orgClient,
  type SeededAccount,
} from "@orgwarden/emulator";
import {
  defaultRcpParameters,
  loadPolicyLibrary,
  RCP_KIND,
  renderPolicy,
  requirePolicy,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { type PolicySnapshot, snapshotPolicies } from "./support/org-snapshot.js";

// The demo's layout: nested OUs, a suspended account, the management account under the root.
const { moto, org, cli, ou } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Security": 2,
    "Root/Workloads": 1,
    "Root/Workloads/Prod": 2,
    "Root/Workloads/Prod/Payments": 2,
    "Root/Sandbox": 2,
  },
  suspend: ["sandbox-02"],
});

/** The RCP type's status at the root and every RCP with its content, tags and targets. */
async function snapshotRcps(): Promise<{ status: string | undefined; policies: PolicySnapshot[] }> {
  const org = orgClient(moto.endpoint);
  const roots = await org.send(new ListRootsCommand({}));
  org.destroy();
  const status = roots.Roots?.[0]?.PolicyTypes?.find((t) => t.Type === "RESOURCE_CONTROL_POLICY")?.Status;
  return { status, policies: await snapshotPolicies(moto.endpoint, "RESOURCE_CONTROL_POLICY") };
}

describe("orgwarden apply-rcp / detach-rcp / rcp status", () => {
  it("--dry-run plans the enable step first, with the resource-side lockout check, and changes nothing", async () => {
    const before = await snapshotRcps();
    const res = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--dry-run");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines.findIndex((l) => l.includes("enable the RESOURCE_CONTROL_POLICY type"))).toBeLessThan(
      lines.findIndex((l) => l.includes("+ create orgwarden-identity-perimeter")),
    );
    expect(res.stdout).toContain("attaches RCPFullAWSAccess everywhere: no effect");
    expect(res.stdout).toMatch(/orgwarden-identity-perimeter: \d+ \/ 5120 characters/);
    expect(res.stdout).toMatch(/5 RCPs per target \(AWS's documented default\)/);
    expect(res.stdout).toMatch(
      /orgwarden's sts:AssumeRole into OrganizationAccountAccessRole.*\s+ALLOW\s+ALLOW/,
    );
    expect(res.stdout).toMatch(/a role of account 444455556666 in another organization.*\s+DENY\s+DENY/);
    expect(res.stdout).toContain(
      "never restrict service-linked roles, nor resources of the management account",
    );
    expect(res.stdout).toContain("Dry run: nothing was changed.");
    expect(await snapshotRcps()).toEqual(before);
  });

  it("applies: enables the type, creates tagged, minified RCPs and attaches them", async () => {
    const res = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--yes");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Done: apply 7 changes to OU Root/Workloads");
    const after = await snapshotRcps();
    expect(after.status).toBe("ENABLED");
    for (const name of [
      "orgwarden-identity-perimeter",
      "orgwarden-confused-deputy",
      "orgwarden-secure-transport",
    ]) {
      const p = after.policies.find((x) => x.name === name);
      expect(p?.tags).toMatchObject({ "managed-by": "orgwarden", "orgwarden:variant": "default" });
      expect(p?.targets).toEqual([ou("Root/Workloads")]);
      expect(p?.content).not.toMatch(/\n| {2}/);
    }
    const shown = await cli("rcp", "show", "identity-perimeter", "--minified");
    // What rcp show renders for the stand-in is what apply-rcp wrote, with the organization's id.
    const orgId = /"aws:PrincipalOrgID":\["(o-[a-z0-9]+)"\]/.exec(
      after.policies.find((x) => x.name === "orgwarden-identity-perimeter")?.content ?? "",
    )?.[1];
    expect(orgId).toMatch(/^o-/);
    expect(shown.stdout.trim().replace("o-exampleorg1", orgId as string)).toBe(
      after.policies.find((x) => x.name === "orgwarden-identity-perimeter")?.content,
    );
  });

  it("a second apply changes nothing", async () => {
    const before = await snapshotRcps();
    const res = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain("enable the RESOURCE_CONTROL_POLICY type");
    expect(res.stdout).toContain("= orgwarden-identity-perimeter: nothing to do");
    expect(res.stdout).toContain("Nothing to do.");
    // Nothing is written, so nothing was validated: no "no findings" line that looks like a check.
    expect(res.stdout).not.toContain("IAM Access Analyzer: no findings");
    // The guard's path names what it evaluates below the target.
    expect(res.stdout).toMatch(/and the RCPs below it for each of \d+ accounts/);
    expect(await snapshotRcps()).toEqual(before);
  });

  it("says which of IAM Access Analyzer's external-access findings the RCPs stop (the stand-in's, as moto has none)", async () => {
    const member = org.accounts.find((a) => a.ouPath === "Root/Workloads/Prod")?.id as string;
    const plant = (state: AccessAnalyzerState) =>
      fetch(`${moto.endpoint}/orgwarden-standin/access-analyzer`, {
        method: "PUT",
        body: JSON.stringify(state),
      });
    await plant({
      analyzers: [{ account: MANAGEMENT_ACCOUNT_ID, name: "org-analyzer", type: "ORGANIZATION" }],
      findings: [
        {
          analyzer: "org-analyzer",
          id: "f-outsider",
          resource: "arn:aws:s3:::shared-reports",
          resourceType: "AWS::S3::Bucket",
          resourceOwnerAccount: member,
          principal: { AWS: "arn:aws:iam::444455556666:root" },
          action: ["s3:GetObject"],
        },
        {
          analyzer: "org-analyzer",
          id: "f-service",
          resource: "arn:aws:s3:::cdn-origin",
          resourceType: "AWS::S3::Bucket",
          resourceOwnerAccount: member,
          principal: { Service: "cloudfront.amazonaws.com" },
          action: ["s3:GetObject"],
        },
      ],
    });
    try {
      const res = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--dry-run");
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(
        `IAM Access Analyzer (organization analyzer org-analyzer of account ${MANAGEMENT_ACCOUNT_ID}, covering every account of the organization): 2 active external-access findings`,
      );
      expect(res.stdout).toMatch(
        /stopped by orgwarden-identity-perimeter at Root\/Workloads: arn:aws:s3:::shared-reports to AWS arn:aws:iam::444455556666:root \(s3:GetObject\)/,
      );
      expect(res.stdout).toContain("still open: arn:aws:s3:::cdn-origin to Service cloudfront.amazonaws.com");
    } finally {
      await plant({ analyzers: [], findings: [] });
    }
  });

  it("says which analyzer it read and what it covers: the management account's own analyzer covers no member account; the delegated administrator's organization analyzer covers them all", async () => {
    const security = org.accounts.find((a) => a.ouPath === "Root/Security")?.id as string;
    const member = org.accounts.find((a) => a.ouPath === "Root/Workloads/Prod")?.id as string;
    const plant = (state: AccessAnalyzerState) =>
      fetch(`${moto.endpoint}/orgwarden-standin/access-analyzer`, {
        method: "PUT",
        body: JSON.stringify(state),
      });
    const client = orgClient(moto.endpoint);
    try {
      await plant({
        analyzers: [{ account: MANAGEMENT_ACCOUNT_ID, name: "own-account", type: "ACCOUNT" }],
        findings: [],
      });
      const own = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--dry-run");
      expect(own.code).toBe(0);
      expect(own.stdout).toContain(
        `only the account analyzer own-account of account ${MANAGEMENT_ACCOUNT_ID} was found, the management account's: it covers that account's own resources, which RCPs never affect`,
      );
      expect(own.stdout).not.toMatch(/0 of them stopped/);
      await client.send(
        new RegisterDelegatedAdministratorCommand({
          AccountId: security,
          ServicePrincipal: "access-analyzer.amazonaws.com",
        }),
      );
      await plant({
        analyzers: [{ account: security, name: "org-analyzer", type: "ORGANIZATION" }],
        findings: [
          {
            analyzer: "org-analyzer",
            id: "f-partner",
            resource: "arn:aws:s3:::partner-exchange",
            resourceType: "AWS::S3::Bucket",
            resourceOwnerAccount: member,
            principal: { AWS: "arn:aws:iam::444455556666:root" },
            action: ["s3:GetObject"],
          },
        ],
      });
      const delegated = await cli(
        "apply-rcp",
        "--ou",
        ou("Root/Workloads"),
        "--trusted-org",
        "o-partner1234",
        "--dry-run",
      );
      expect(delegated.code).toBe(0);
      expect(delegated.stdout).toContain(
        `IAM Access Analyzer (organization analyzer org-analyzer of account ${security}, covering every account of the organization): 1 active external-access finding`,
      );
      // A finding names the account, never its organization: the stop holds only outside the trusted one.
      expect(delegated.stdout).toContain("1 only if the principal's account is in no trusted organization");
      expect(delegated.stdout).toMatch(
        /stopped by orgwarden-identity-perimeter-[0-9a-f]+ at Root\/Workloads, unless its account is in the trusted organization o-partner1234: arn:aws:s3:::partner-exchange/,
      );
    } finally {
      await client
        .send(
          new DeregisterDelegatedAdministratorCommand({
            AccountId: security,
            ServicePrincipal: "access-analyzer.amazonaws.com",
          }),
        )
        .catch(() => undefined);
      client.destroy();
      await plant({ analyzers: [], findings: [] });
    }
  });

  it("the report's scp source gains a row per account for each RCP control once the type is enabled", async () => {
    const res = await cli("report", "--source", "scp", "--output", "json");
    expect(res.code).toBe(0);
    const rows = (
      JSON.parse(res.stdout) as {
        rows: Array<{ accountId: string; ouPath: string; control: string; status: string }>;
      }
    ).rows;
    const perimeter = rows.filter((r) => r.control === "rcp-identity-perimeter");
    // One row per account, as for the SCP controls (the management account's NOT_APPLICABLE).
    expect(perimeter).toHaveLength(rows.filter((r) => r.control === "scp-require-mfa").length);
    const statusOf = (path: string) => [
      ...new Set(perimeter.filter((r) => r.ouPath === path).map((r) => r.status)),
    ];
    expect(statusOf("Root/Workloads/Prod/Payments")).toEqual(["COMPLIANT"]);
    expect(statusOf("Root/Security")).toEqual(["NON_COMPLIANT"]);
    expect(statusOf("Root")).toEqual(["NOT_APPLICABLE"]);
    expect(rows.filter((r) => r.control === "rcp-trusted-oidc" && r.status === "COMPLIANT")).toEqual([]);
  });

  it("a resource tagged to opt out of an RCP in effect is a row of the scp source; elsewhere no row", async () => {
    const tagBucket = async (accountId: string, name: string) => {
      const s3 = new S3Client({
        endpoint: moto.endpoint,
        region: "us-east-1",
        credentials: await memberCredentials(moto.endpoint, accountId),
        forcePathStyle: true,
      });
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(
        new PutBucketTaggingCommand({
          Bucket: name,
          Tagging: { TagSet: [{ Key: "dp:exclude:identity", Value: "true" }] },
        }),
      );
      s3.destroy();
    };
    const payments = org.accounts.find((a) => a.ouPath === "Root/Workloads/Prod/Payments") as SeededAccount;
    const security = org.accounts.find((a) => a.ouPath === "Root/Security") as SeededAccount;
    await tagBucket(payments.id, "open-data-payments");
    // No RCP reaches Root/Security: its tag exempts from nothing, and nothing is read there.
    await tagBucket(security.id, "open-data-security");
    const res = await cli("report", "--source", "scp", "--regions", "us-east-1", "--output", "json");
    expect(res.code).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: Array<Record<string, string>> }).rows.filter(
      (r) => r.control === "rcp-exempt-resource",
    );
    expect(rows).toEqual([
      expect.objectContaining({
        accountId: payments.id,
        source: "scp",
        status: "NOT_APPLICABLE",
        resourceType: "AWS::S3::Bucket",
        resourceId: "arn:aws:s3:::open-data-payments",
        region: "us-east-1",
        severity: "INFORMATIONAL",
        reason:
          "exempt by tag: arn:aws:s3:::open-data-payments is tagged dp:exclude:identity=true, so orgwarden's identity-perimeter RCP does not apply to it",
      }),
    ]);
  });

  it("rcp status lists the attachments in sync, and a drifted one (exit 4)", async () => {
    const ok = await cli("rcp", "status", "--output", "json");
    expect(ok.code).toBe(0);
    const rows = JSON.parse(ok.stdout) as Array<{ policyName: string; state: string; targetId: string }>;
    expect(
      rows
        .filter((r) => r.state === "in-sync")
        .map((r) => r.policyName)
        .sort(),
    ).toEqual(["orgwarden-confused-deputy", "orgwarden-identity-perimeter", "orgwarden-secure-transport"]);
    const snap = await snapshotRcps();
    const policy = snap.policies.find((p) => p.name === "orgwarden-secure-transport");
    const org = orgClient(moto.endpoint);
    await org.send(
      new UpdatePolicyCommand({
        PolicyId: policy?.id,
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }],
        }),
      }),
    );
    org.destroy();
    const drifted = await cli("rcp", "status", "--ou", ou("Root/Workloads"), "--output", "csv");
    expect(drifted.code).toBe(4);
    expect(drifted.stdout).toMatch(/orgwarden-secure-transport,.*,drifted,/);
    // apply-rcp repairs it in place.
    const repaired = await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--yes");
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`~ update orgwarden-secure-transport (${policy?.id})`);
    expect((await cli("rcp", "status")).code).toBe(0);
  });

  it("an identity perimeter whose content and tags agree on another organization is drifted, and its rows NON_COMPLIANT", async () => {
    // In AWS it would deny every principal of this organization, orgwarden's AssumeRole included:
    // the organization's id is a fact of the organization, never read from the policy's own tags.
    const policy = (await snapshotRcps()).policies.find((p) => p.name === "orgwarden-identity-perimeter");
    const foreign = renderPolicy(
      requirePolicy(loadPolicyLibrary(undefined, RCP_KIND), "identity-perimeter"),
      defaultRcpParameters("aws", "o-otherorg1234"),
    );
    const org = orgClient(moto.endpoint);
    await org.send(new UpdatePolicyCommand({ PolicyId: policy?.id, Content: foreign.content }));
    await org.send(new TagResourceCommand({ ResourceId: policy?.id, Tags: foreign.tags }));
    org.destroy();
    const status = await cli("rcp", "status", "--output", "json");
    expect(status.code).toBe(4);
    const rows = JSON.parse(status.stdout) as Array<{ policyName: string; state: string; detail: string }>;
    const perimeter = rows.filter((r) => r.policyName === "orgwarden-identity-perimeter");
    expect(perimeter.length).toBeGreaterThan(0);
    for (const r of perimeter) {
      expect(r.state).toBe("drifted");
      expect(r.detail).toContain("o-otherorg1234");
    }
    const report = await cli("report", "--source", "scp", "--output", "json");
    expect(report.code).toBe(0);
    const { rows: reportRows } = JSON.parse(report.stdout) as {
      rows: Array<{ ouPath: string; control: string; status: string }>;
    };
    expect(
      new Set(
        reportRows
          .filter((r) => r.control === "rcp-identity-perimeter" && r.ouPath.startsWith("Root/Workloads"))
          .map((r) => r.status),
      ),
    ).toEqual(new Set(["NON_COMPLIANT"]));
    // apply-rcp puts this organization's perimeter back.
    expect((await cli("apply-rcp", "--ou", ou("Root/Workloads"), "--yes")).code).toBe(0);
    expect((await cli("rcp", "status")).code).toBe(0);
  });

  it("refuses a malformed or refused policy with exit 2 and writes nothing", async () => {
    const before = await snapshotRcps();
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-rcp-"));
    writeFileSync(
      join(dir, "allow-all.json"),
      JSON.stringify({
        description: "allows what AWS refuses in an RCP",
        denies: "nothing",
        appliesTo: "everyone",
        exempts: "no one",
        follows: [
          "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html",
        ],
        document: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: "*", Action: "ec2:*", Resource: "*" }],
        },
      }),
    );
    const refused = await cli(
      "apply-rcp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy-dir",
      dir,
      "--policy",
      "allow-all",
      "--yes",
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"Effect": "Allow"');
    writeFileSync(join(dir, "broken.json"), "{ not json");
    const malformed = await cli("apply-rcp", "--ou", ou("Root/Sandbox"), "--policy-dir", dir, "--yes");
    expect(malformed.code).toBe(2);
    // trusted-oidc-providers needs a provider: refused before any AWS call.
    const noProvider = await cli(
      "apply-rcp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "trusted-oidc-providers",
      "--yes",
    );
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toContain("--trusted-oidc-provider");
    // A shared issuer without its tenant's sub would let every GitHub repository in.
    const everyTenant = await cli(
      "apply-rcp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "trusted-oidc-providers",
      "--trusted-oidc-provider",
      "token.actions.githubusercontent.com",
      "--yes",
    );
    expect(everyTenant.code).toBe(2);
    expect(everyTenant.stderr).toContain("the issuer of GitHub Actions, shared by all its customers");
    expect(everyTenant.stderr).toContain("token.actions.githubusercontent.com=repo:my-org/*");
    expect(await snapshotRcps()).toEqual(before);
  });

  it("renders the exemption tag the RCPs honour and protect-exemption-tags protects from one flag, and refuses a flag the config file contradicts", async () => {
    const flag = ["--exempt-tag-key", "identity-perimeter=corp:share"];
    const rcpShow = await cli("rcp", "show", "identity-perimeter", "--document", ...flag);
    expect(rcpShow.code).toBe(0);
    expect(rcpShow.stdout).toContain('"aws:ResourceTag/corp:share": "true"');
    const scpShow = await cli("scp", "show", "protect-exemption-tags", "--document", ...flag);
    expect(scpShow.code).toBe(0);
    expect(scpShow.stdout).toContain('"corp:share"');
    expect(scpShow.stdout).not.toContain('"dp:exclude:identity"');
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-rcp-tags-"));
    const config = join(dir, "orgwarden.yaml");
    writeFileSync(config, "resourceExemptTagKeys:\n  identity-perimeter: dp:exclude:shared\n");
    const before = await snapshotRcps();
    for (const command of ["apply-rcp", "apply-scp"]) {
      const refused = await cli(command, "--ou", ou("Root/Sandbox"), "--config", config, ...flag, "--yes");
      expect(refused.code, command).toBe(2);
      expect(refused.stderr).toContain(
        "identity-perimeter corp:share (flag) against dp:exclude:shared (file)",
      );
    }
    expect(await snapshotRcps()).toEqual(before);
  });

  it("refuses an OU that does not exist (exit 2), as JSON too", async () => {
    const res = await cli("apply-rcp", "--ou", "ou-zzzz-99999999", "--yes", "--output", "json");
    expect(res.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc).toMatchObject({ command: "apply-rcp", result: { applied: false, why: "refused" } });
    expect(doc.result.refusal?.message).toContain("ou-zzzz-99999999");
  });

  it("detach-rcp removes orgwarden's RCPs, keeps RCPFullAWSAccess, and never disables the type", async () => {
    const res = await cli("detach-rcp", "--ou", ou("Root/Workloads"), "--delete-unused", "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("- detach orgwarden-identity-perimeter");
    expect(res.stdout).toContain("- delete orgwarden-identity-perimeter");
    const after = await snapshotRcps();
    expect(after.status).toBe("ENABLED");
    expect(after.policies.map((p) => p.name)).toEqual(["RCPFullAWSAccess"]);
    expect(after.policies[0]?.targets).toContain(ou("Root/Workloads"));
  });

  it("run plans, applies and drift-checks an rcp: section like scp:", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-rcp-run-"));
    const config = join(dir, "orgwarden.yaml");
    writeFileSync(
      config,
      [
        "rcp:",
        `  - ou: ${ou("Root/Security")}`,
        "    mode: enforce",
        "    policies: [secure-transport]",
        `  - ou: ${ou("Root/Sandbox")}`,
        "    mode: detect",
        "    policies: [secure-transport]",
        "report:",
        `  outputDir: ${join(dir, "reports")}`,
        "",
      ].join("\n"),
    );
    const dry = await cli("run", "--config", config, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/rcp Root\/Security \(ou-[a-z0-9-]+\) \(enforce\): 2 change\(s\)/);
    const first = await cli("run", "--config", config, "--no-report");
    expect(first.stderr).not.toContain("orgwarden:");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`rcp ${ou("Root/Security")} (enforce): 2 change(s) applied`);
    expect(first.stdout).toContain(
      `rcp ${ou("Root/Sandbox")} (detect): DRIFT: + attach orgwarden-secure-transport`,
    );
    const snap = await snapshotRcps();
    expect(snap.policies.find((p) => p.name === "orgwarden-secure-transport")?.targets).toEqual([
      ou("Root/Security"),
    ]);
    const again = await cli("run", "--config", config, "--no-report");
    expect(again.stdout).toContain(`rcp ${ou("Root/Security")} (enforce): nothing to do`);
    expect(await snapshotRcps()).toEqual(snap);
  });
});
