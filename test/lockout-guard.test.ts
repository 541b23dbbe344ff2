import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AttachPolicyCommand, CreatePolicyCommand, DetachPolicyCommand } from "@aws-sdk/client-organizations";
import { EMULATOR_CREDENTIALS, memberCredentials, orgClient } from "@orgwarden/emulator";
import {
  buildProbes,
  checkLockout,
  type EvaluatedPolicy,
  loadPolicyLibrary,
  type PolicyDocument,
  PROBE_ACCOUNT,
  renderPolicy,
  scpParameters,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import {
  dataPerimeterGovernanceScp,
  networkPerimeterSourceVpcScp,
  perimeterRcps,
  resourcePerimeterScp,
} from "./support/data-perimeter-examples.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * The lockout guard end to end, one test per problem of the lockout-guard issue, each as a user
 * meets it: the real CLI against the emulator, the message, the exit code, and nothing changed.
 */

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/TeamA": 2,
    "Root/TeamB": 2,
    "Root/Foreign": 1,
    "Root/Languages": 1,
    "Root/Regional": 1,
    "Root/Cased": 1,
    "Root/Perimeter": 1,
  },
});

const BREAK_GLASS = "arn:aws:iam::*:role/BreakGlass";

async function foreignScp(name: string, document: unknown, targetId: string): Promise<string> {
  const client = orgClient(moto.endpoint);
  const out = await client.send(
    new CreatePolicyCommand({
      Name: name,
      Description: "a team's own guardrail",
      Type: "SERVICE_CONTROL_POLICY",
      Content: JSON.stringify(document),
    }),
  );
  const id = out.Policy?.PolicySummary?.Id as string;
  await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: targetId }));
  client.destroy();
  return id;
}

/** A role in the account those credentials belong to. */
async function createRole(credentials: typeof EMULATOR_CREDENTIALS, name: string, path = "/") {
  const iam = new IAMClient({ region: "us-east-1", endpoint: moto.endpoint, credentials });
  await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Path: path,
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
    }),
  );
  iam.destroy();
}

/** A copy of the library with one policy's document edited (protect-audit unless named), as --policy-dir. */
function editedLibrary(edit: (doc: { Statement: unknown[] }) => void, policy = "protect-audit"): string {
  const dir = mkdtempSync(join(tmpdir(), "orgwarden-library-"));
  for (const f of readdirSync(join(REPO_ROOT, "scp"))) {
    const text = readFileSync(join(REPO_ROOT, "scp", f), "utf8");
    if (f !== `${policy}.json`) {
      writeFileSync(join(dir, f), text);
      continue;
    }
    const file = JSON.parse(text) as { document: { Statement: unknown[] } };
    edit(file.document);
    writeFileSync(join(dir, f), JSON.stringify(file));
  }
  return dir;
}

async function detach(policyId: string, targetId: string) {
  const client = orgClient(moto.endpoint);
  await client.send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
  client.destroy();
}

describe("the lockout guard, end to end", () => {
  // Different parameters never share a policy (each parameter set is its own variant), so an
  // in-place update happens when the library itself changes under a policy attached elsewhere.
  it("1. an update of a policy attached elsewhere is guarded there: a library that drops the audit automation exemption is refused", async () => {
    await createRole(EMULATOR_CREDENTIALS, "BreakGlass");
    const a = await cli("apply-scp", "--ou", ou("Root/TeamA"), "--policy", "protect-audit", "--yes");
    expect(a.code, a.stderr).toBe(0);

    // A newer (edited) library whose protect-audit forgets Control Tower and StackSets.
    const dir = editedLibrary((doc) => {
      const st = doc.Statement[0] as { Condition: { ArnNotLike: { "aws:PrincipalArn": string[] } } };
      st.Condition.ArnNotLike["aws:PrincipalArn"] = ["${ExemptPrincipalArns}"];
    });
    const before = await snapshotScps(moto.endpoint);
    const b = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--policy",
      "protect-audit",
      "--policy-dir",
      dir,
      "--yes",
    );
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("refusing to apply");
    expect(b.stderr).toMatch(
      /Root\/TeamA: Control Tower \(AWSControlTowerExecution\) setting up audit services would be denied \(cloudtrail:UpdateTrail .*denied by orgwarden-protect-audit \(ProtectAuditServices\) at Root\/TeamA\) in 2 accounts/,
    );
    expect(b.stderr).toContain("also attached elsewhere");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("1. an update that keeps what OU A allows lists OU A with its accounts and shows the diff", async () => {
    const dir = editedLibrary((doc) => {
      (doc.Statement[0] as { Action: string[] }).Action.push("cloudtrail:CreateTrail");
    });
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--policy",
      "protect-audit",
      "--policy-dir",
      dir,
      "--dry-run",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `Root/TeamA (${ou("Root/TeamA")}): 2 accounts — also has orgwarden-protect-audit, updated in place`,
    );
    expect(res.stdout).toContain(`Root/TeamB (${ou("Root/TeamB")}): 2 accounts — the target`);
    expect(res.stdout).toMatch(
      /Changes to orgwarden-protect-audit \(p-\w+\) — also attached to Root\/TeamA:/,
    );
    expect(res.stdout).toMatch(/\n {2}\+ +"cloudtrail:CreateTrail",?\n/);
    expect(res.stdout).toContain(
      "Shared policy check on Root/TeamA (2 accounts): nothing allowed there today is denied",
    );
  });

  it("1. new exempt principals on one OU make a new variant there: the other OU's policy is not touched", async () => {
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--policy",
      "protect-audit",
      "--exempt-principal",
      BREAK_GLASS,
      "--exempt-principal",
      "arn:aws:iam::*:role/IncidentResponder",
      "--dry-run",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/\+ create orgwarden-protect-audit-[0-9a-f]{10}/);
    expect(res.stdout).not.toContain("updated in place");
    expect(res.stdout).toContain(
      "warning: exempt principal arn:aws:iam::*:role/IncidentResponder matches no role or user",
    );
    expect(res.stdout).not.toContain("exempt principal arn:aws:iam::*:role/BreakGlass matches no role");
  });

  it("2. an sts assumed-role exemption is refused (exit 2) with the role ARN to write; nothing changed", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--exempt-principal",
      "arn:aws:sts::*:assumed-role/BreakGlass/*",
      "--yes",
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("is a role session (sts assumed-role) ARN");
    expect(res.stderr).toContain("arn:aws:iam::*:role/BreakGlass");
    const sso = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--exempt-principal",
      "arn:aws:iam::*:role/AWSReservedSSO_Admin_*",
      "--yes",
    );
    expect(sso.code).toBe(2);
    expect(sso.stderr).toContain(
      "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("3. a foreign Deny scoped to the tool's Config rule ARNs is caught (probes name real resources)", async () => {
    const id = await foreignScp(
      "team-config-freeze",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "FreezeRules",
            Effect: "Deny",
            Action: ["config:PutConfigRule", "config:DeleteConfigRule"],
            Resource: "arn:aws:config:*:*:config-rule/*",
          },
        ],
      },
      ou("Root/Foreign"),
    );
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Foreign"), "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /orgwarden's role \(OrganizationAccountAccessRole\) without MFA → DENY \(config:PutConfigRule \(on arn:aws:config:us-east-1:\d{12}:config-rule\/[\w-]+, in us-east-1\): denied by team-config-freeze \(FreezeRules\)/,
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
    await detach(id, ou("Root/Foreign"));
  });

  it("3. conditions on the organization id and the requested region are judged with the real values", async () => {
    const id = await foreignScp(
      "deny-outside-org",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalOrgID": org.organizationId } },
          },
        ],
      },
      ou("Root/Foreign"),
    );
    const res = await cli("apply-scp", "--ou", ou("Root/Foreign"), "--dry-run");
    expect(res.code, res.stderr).toBe(0);
    await detach(id, ou("Root/Foreign"));
  });

  it("5. deny-root-user together with restrict-source-ip is accepted", async () => {
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--policy",
      "deny-root-user",
      "--policy",
      "restrict-source-ip",
      "--allowed-cidr",
      "192.0.2.0/24",
      "--dry-run",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/a centralized-root \(AssumeRoot\) session\s+ALLOW\s+ALLOW/);
  });

  it("6. foreign policies with set operators, Numeric and Date conditions are judged; a malformed CIDR is refused by name", async () => {
    const judged = await foreignScp(
      "team-tagging-rules",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "OnlyKnownTagKeys",
            Effect: "Deny",
            Action: "ec2:CreateTags",
            Resource: "*",
            Condition: { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["Owner", "Project"] } },
          },
          {
            Sid: "Imdsv2HopLimit",
            Effect: "Deny",
            Action: "ec2:RunInstances",
            Resource: "*",
            Condition: { NumericGreaterThan: { "ec2:MetadataHttpPutResponseHopLimit": "3" } },
          },
          {
            Sid: "SunsetSandbox",
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { DateGreaterThan: { "aws:CurrentTime": "2099-12-31T23:59:59Z" } },
          },
        ],
      },
      ou("Root/Languages"),
    );
    const ok = await cli("apply-scp", "--ou", ou("Root/Languages"), "--dry-run");
    expect(ok.code, ok.stderr).toBe(0);
    await detach(judged, ou("Root/Languages"));

    await foreignScp(
      "team-network-rules",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/33" } },
          },
        ],
      },
      ou("Root/Languages"),
    );
    const before = await snapshotScps(moto.endpoint);
    const bad = await cli("apply-scp", "--ou", ou("Root/Languages"), "--yes");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /cannot evaluate SCP team-network-rules \(p-\w+\): statement #1: NotIpAddress on aws:SourceIp: "10.0.0.0\/33" is not an IPv4 or IPv6 address or CIDR range/,
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("quotas: the plan says where each limit came from", async () => {
    const dflt = await cli("apply-scp", "--ou", ou("Root/Regional"), "--dry-run");
    expect(dflt.stdout).toContain(
      "Quotas used: 10 SCPs per target (AWS's documented default), 5120 characters per SCP (AWS's documented default).",
    );
    expect(dflt.stdout).toContain("quotas: Service Quotas could not be read");
    const configured = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Regional"),
      "--max-scps-per-target",
      "12",
      "--dry-run",
    );
    expect(configured.stdout).toContain("limit 12");
    expect(configured.stdout).toContain("12 SCPs per target (from the config file or flags)");
  });

  it("5. a region-deny SCP at the root (AWS's example) blocks no apply in the regions it allows, and names one it denies", async () => {
    const regionDeny = await foreignScp(
      "RegionDeny",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyAllOutsideAllowedRegions",
            Effect: "Deny",
            NotAction: [
              "iam:*",
              "organizations:*",
              "sts:*",
              "support:*",
              "budgets:*",
              "cloudfront:*",
              "route53:*",
              "s3:ListAllMyBuckets",
            ],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
          },
        ],
      },
      org.rootId,
    );
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Regional"),
      "--regions",
      "us-east-1,eu-west-1",
      "--yes",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(byName(await snapshotScps(moto.endpoint), "orgwarden-require-mfa")?.targets).toContain(
      ou("Root/Regional"),
    );

    const denied = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Regional"),
      "--regions",
      "us-east-1,ap-southeast-2",
      "--dry-run",
    );
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(
      /in ap-southeast-2\): denied by RegionDeny \(DenyAllOutsideAllowedRegions\) at Root/,
    );
    await detach(regionDeny, org.rootId);
  });

  it("exempt principals are looked for in the management account and in member accounts", async () => {
    const member = org.accounts.find((a) => a.ouPath === "Root/TeamB")?.id ?? "";
    await createRole(await memberCredentials(moto.endpoint, member), "Oncall", "/emergency/");
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/TeamB"),
      "--policy",
      "protect-audit",
      "--exempt-principal",
      BREAK_GLASS,
      "--exempt-principal",
      "arn:aws:iam::*:role/emergency/Oncall",
      "--dry-run",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`exempt principal arn:aws:iam::${member}:role/emergency/Oncall without MFA`);
    expect(res.stdout).not.toContain("matches no role or user");
  });
});

/** The library as it was before issue 28: a policy without the statements that fix it. */
function withoutStatement(policy: string, sid: string): string {
  return editedLibrary((doc) => {
    doc.Statement = doc.Statement.filter((st) => (st as { Sid?: string }).Sid !== sid);
  }, policy);
}

describe("issue 28: no lockout, end to end", () => {
  const dryRun = (target: string, ...args: string[]) =>
    cli("apply-scp", "--ou", ou(target), ...args, "--dry-run");

  it("1. restrict-source-ip leaves orgwarden's AssumeRoot sessions usable from the runner's address; a library that does not is refused", async () => {
    const ok = await dryRun(
      "Root/Perimeter",
      "--policy",
      "restrict-source-ip",
      "--allowed-cidr",
      "192.0.2.0/24",
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /orgwarden's centralized-root \(AssumeRoot\) sessions from the runner's address\s+ALLOW\s+ALLOW/,
    );

    // The policy as it was: no aws:AssumedRoot in the network deny.
    const dir = editedLibrary((doc) => {
      const st = doc.Statement[0] as { Condition: { Null: Record<string, unknown> } };
      delete st.Condition.Null["aws:AssumedRoot"];
    }, "restrict-source-ip");
    const before = await snapshotScps(moto.endpoint);
    const old = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Perimeter"),
      "--policy",
      "restrict-source-ip",
      "--allowed-cidr",
      "192.0.2.0/24",
      "--policy-dir",
      dir,
      "--yes",
    );
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(
      /orgwarden's centralized-root \(AssumeRoot\) sessions from the runner's address → DENY \(iam:\w+ .*denied by orgwarden-restrict-source-ip(-\w+)? \(DenyOutsideAllowedNetworks\)/,
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("2. protect-audit alone denies claiming an automation name; exempt users cannot be created either", async () => {
    const ok = await dryRun("Root/Perimeter", "--policy", "protect-audit");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /creating, re-trusting or passing a role named like an exemption\s+DENY\s+DENY/,
    );

    const before = await snapshotScps(moto.endpoint);
    const old = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Perimeter"),
      "--policy",
      "protect-audit",
      "--policy-dir",
      withoutStatement("protect-audit", "ProtectExemptPrincipals"),
      "--yes",
    );
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(
      /creating, re-trusting or passing a role named like an exemption → ALLOW \(iam:CreateRole \(on arn:aws:iam::\d{12}:role\/\S+, in us-east-1\) is allowed\)/,
    );

    const user = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Perimeter"),
      "--policy",
      "protect-exempt-roles",
      "--exempt-principal",
      "arn:aws:iam::*:user/break-glass/*",
      "--policy-dir",
      withoutStatement("protect-exempt-roles", "ProtectExemptPrincipals"),
      "--yes",
    );
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(
      /giving credentials to a user named like an exemption → ALLOW \(iam:\w+ \(on arn:aws:iam::\d{12}:user\/break-glass\/example, in us-east-1\) is allowed\)/,
    );
    expect(user.stderr).toContain("no longer denies what it is for");
    expect(user.stderr).not.toContain("--exempt-principal ARN");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("3. a --role-name in another casing than IAM's is refused at plan time, naming both", async () => {
    const member = org.accounts.find((a) => a.ouPath === "Root/Cased")?.id ?? "";
    await createRole(await memberCredentials(moto.endpoint, member), "OrgwardenRole");
    const before = await snapshotScps(moto.endpoint);
    const wrong = await cli("apply-scp", "--ou", ou("Root/Cased"), "--role-name", "orgwardenrole", "--yes");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      `orgwarden's role is "OrgwardenRole" in account ${member}, not "orgwardenrole"`,
    );
    expect(wrong.stderr).toContain("--role-name OrgwardenRole");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
    const right = await dryRun("Root/Cased", "--role-name", "OrgwardenRole");
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toContain("orgwarden's role (OrgwardenRole) without MFA");
    // A policy that exempts nobody does not depend on the spelling: no refusal.
    const noExemption = await dryRun(
      "Root/Cased",
      "--role-name",
      "orgwardenrole",
      "--policy",
      "deny-leave-organization",
    );
    expect(noExemption.code, noExemption.stderr).toBe(0);
  });

  it("3. orgwarden's role under a path is named with its path, and exempting it with the path passes", async () => {
    const member = org.accounts.find((a) => a.ouPath === "Root/Cased")?.id ?? "";
    await createRole(await memberCredentials(moto.endpoint, member), "OpsRole", "/ops/");
    const refused = await dryRun("Root/Cased", "--role-name", "OpsRole", "--policy", "protect-audit");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`orgwarden's role is arn:aws:iam::${member}:role/ops/OpsRole`);
    expect(refused.stderr).toContain("--exempt-principal arn:aws:iam::*:role/ops/OpsRole");
    const exempted = await dryRun(
      "Root/Cased",
      "--role-name",
      "OpsRole",
      "--policy",
      "protect-audit",
      "--exempt-principal",
      "arn:aws:iam::*:role/ops/OpsRole",
    );
    expect(exempted.code, exempted.stderr).toBe(0);
  });

  it("4. AWS's data-perimeter SCPs at the root refuse no plan; one that really denies orgwarden still does", async () => {
    const values = { orgId: org.organizationId, corporateCidr: "192.0.2.0/24", vpc: "vpc-0123456789abcdef0" };
    const attached = [
      await foreignScp("resource-perimeter", resourcePerimeterScp(values), org.rootId),
      await foreignScp("network-perimeter", networkPerimeterSourceVpcScp(values), org.rootId),
      await foreignScp("data-perimeter-governance", dataPerimeterGovernanceScp(), org.rootId),
    ];
    try {
      for (const policy of ["require-mfa", "protect-audit", "protect-exempt-roles"]) {
        const res = await dryRun("Root/Perimeter", "--policy", policy);
        expect(res.code, `${policy}: ${res.stderr}`).toBe(0);
      }
      // orgwarden's role tagged into the network perimeter, working from outside it: denied for real.
      const tagged = await dryRun("Root/Perimeter", "--principal-tag", "dp:include:network=true");
      expect(tagged.code).toBe(2);
      expect(tagged.stderr).toContain("denied by network-perimeter (EnforceNetworkPerimeterSourceVPC)");
    } finally {
      for (const id of attached) await detach(id, org.rootId);
    }
    // The resource perimeter of another organization denies orgwarden's calls on its own resources.
    const foreignOrg = await foreignScp(
      "other-org-perimeter",
      resourcePerimeterScp({ ...values, orgId: "o-zzzzzzzzzz" }),
      ou("Root/Perimeter"),
    );
    try {
      const res = await dryRun("Root/Perimeter");
      expect(res.code).toBe(2);
      expect(res.stderr).toContain("denied by other-org-perimeter (EnforceResourcePerimeterAWSResources)");
    } finally {
      await detach(foreignOrg, ou("Root/Perimeter"));
    }
  });

  it("an all-addresses --allowed-cidr is refused as denying nothing (exit 2), not blamed on exemptions", async () => {
    for (const all of ["0.0.0.0/0", "::/0"]) {
      const res = await dryRun("Root/Perimeter", "--policy", "restrict-source-ip", "--allowed-cidr", all);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`restrict-source-ip with the all-addresses range ${all} denies nothing`);
      expect(res.stderr).toContain("Drop the policy, or name your own ranges with --allowed-cidr");
      expect(res.stderr).not.toContain("--exempt-principal");
    }
  });

  it("4. AWS's data-perimeter RCPs deny none of orgwarden's probes", () => {
    const values = { orgId: "o-a1b2c3d4e5", corporateCidr: "192.0.2.0/24", vpc: "vpc-0123456789abcdef0" };
    const params = scpParameters({ roleName: "OrganizationAccountAccessRole" });
    const library = loadPolicyLibrary();
    const full: EvaluatedPolicy = {
      name: "FullAWSAccess",
      managed: false,
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    };
    const rcps = perimeterRcps(values).map(
      (r): EvaluatedPolicy => ({ name: r.name, document: r.document as PolicyDocument, managed: false }),
    );
    const mfa = renderPolicy(
      library.get("require-mfa") as NonNullable<ReturnType<typeof library.get>>,
      params,
    );
    const report = checkLockout(
      [
        { nodeId: "r-ab12", nodePath: "Root", policies: [full, ...rcps] },
        {
          nodeId: "ou-ab12-11111111",
          nodePath: "Root/Prod",
          policies: [full, { name: mfa.managedName, document: mfa.document, managed: true }],
        },
      ],
      buildProbes(params, new Set(["require-mfa"]), {
        organizationId: values.orgId,
        account: PROBE_ACCOUNT,
        orgPath: `${values.orgId}/r-ab12/ou-ab12-11111111/`,
      }),
    );
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.probe.id === "orgwarden-role")?.decision).toBe("ALLOW");
  });
});
