import { describe, expect, it } from "vitest";
import type { EvaluatedPolicy, PolicyLevel } from "./evaluate-scps.js";
import { checkLockout, checkLockoutAcross } from "./lockout-guard.js";
import type { PolicyDocument } from "./policy-document.js";
import { loadPolicyLibrary, requirePolicy } from "./policy-library.js";
import { buildProbes, CLAIM_ROLE_ACTIONS, CLAIM_USER_ACTIONS, PROBE_ACCOUNT } from "./probes.js";
import { parseManagedName, renderPolicy } from "./render-policy.js";
import { type ScpParameters, scpParameters } from "./scp-parameters.js";

const library = loadPolicyLibrary();
const FULL: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

function managed(name: string, params: ScpParameters): EvaluatedPolicy {
  const r = renderPolicy(requirePolicy(library, name), params);
  return { name: r.managedName, document: r.document, managed: true };
}

function path(...target: EvaluatedPolicy[]): PolicyLevel[] {
  return [
    { nodeId: "r-1", nodePath: "Root", policies: [FULL] },
    { nodeId: "ou-1", nodePath: "Root/Prod", policies: [FULL, ...target] },
  ];
}

function guard(params: ScpParameters, ...target: EvaluatedPolicy[]) {
  const inEffect = new Set(
    target.filter((p) => p.managed).map((p) => parseManagedName(p.name)?.name ?? p.name),
  );
  return checkLockout(path(...target), buildProbes(params, inEffect));
}

const params = scpParameters({ roleName: "OrganizationAccountAccessRole" });

describe("lockout guard on the library policies", () => {
  it("passes the defaults: users without MFA and root denied; orgwarden, workloads, enrolment and AssumeRoot allowed", () => {
    const report = guard(params, managed("require-mfa", params), managed("deny-root-user", params));
    expect(report.blocking).toEqual([]);
    const decision = Object.fromEntries(report.results.map((r) => [r.probe.id, r.decision]));
    expect(decision).toEqual({
      "orgwarden-role": "ALLOW",
      "workload-role": "ALLOW",
      "workload-vpc-endpoint": "ALLOW",
      "sso-session": "ALLOW",
      "service-linked-role": "ALLOW",
      "stacksets-execution-role": "ALLOW",
      "control-tower-execution": "ALLOW",
      "member-admin-stops-audit": "ALLOW",
      // require-mfa exempts orgwarden's role by name, so it keeps the name from being re-trusted.
      "member-admin-rewrites-exempt-role": "DENY",
      "user-enrol-mfa": "ALLOW",
      "user-change-password": "ALLOW",
      "mfa-exempt-keys-user": "ALLOW",
      "untagged-keys-user": "DENY",
      "member-admin-sets-exempt-tag": "DENY",
      "orgwarden-sets-exempt-tag": "ALLOW",
      "user-no-mfa": "DENY",
      "user-with-mfa": "ALLOW",
      "root-user": "DENY",
      "assume-root": "ALLOW",
      "orgwarden-root-session": "ALLOW",
      "member-admin-claims-exempt-role": "DENY",
    });
  });

  it("--block-assume-root denies AssumeRoot sessions, as asked", () => {
    const blocked = scpParameters({ roleName: "OrganizationAccountAccessRole", exemptAssumeRoot: false });
    const report = guard(blocked, managed("deny-root-user", blocked));
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.probe.id === "assume-root")?.decision).toBe("DENY");
  });

  it("exempt principals (break-glass user, SSO admin pattern) pass protect-audit and require-mfa", () => {
    const p = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: [
        "arn:aws:iam::*:user/break-glass/*",
        "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
      ],
    });
    const report = guard(p, managed("require-mfa", p), managed("protect-audit", p));
    expect(report.blocking).toEqual([]);
    const exempt = report.results.filter((r) => r.probe.id.startsWith("exempt:"));
    expect(exempt).toHaveLength(2);
    for (const r of exempt) expect(r.decision).toBe("ALLOW");
  });

  it("restrict-source-ip keeps orgwarden's role working from outside the allowed networks", () => {
    const p = scpParameters({ roleName: "OrganizationAccountAccessRole", allowedCidrs: ["192.0.2.0/24"] });
    const report = guard(p, managed("restrict-source-ip", p));
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.probe.id === "orgwarden-role")?.decision).toBe("ALLOW");
    expect(report.results.find((r) => r.probe.id === "workload-role")?.decision).toBe("ALLOW");
    expect(report.results.find((r) => r.probe.id === "user-outside-network")?.decision).toBe("DENY");
  });
});

describe("the hardened library, judged by the probes (issue: SCP library)", () => {
  const decisions = (report: ReturnType<typeof guard>) =>
    Object.fromEntries(report.results.map((r) => [r.probe.id, r.decision]));

  it("require-mfa: an expired password can be changed without MFA; a tagged keys-only user passes, an untagged one does not; only orgwarden sets the tag", () => {
    // AWS's self-manage-MFA example: a user with an expired password needs iam:ChangePassword and
    // iam:GetAccountPasswordPolicy before MFA is possible.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html
    const report = guard(params, managed("require-mfa", params));
    expect(report.blocking).toEqual([]);
    expect(decisions(report)).toMatchObject({
      "user-change-password": "ALLOW",
      "mfa-exempt-keys-user": "ALLOW",
      "untagged-keys-user": "DENY",
      "user-no-mfa": "DENY",
      "member-admin-sets-exempt-tag": "DENY",
      "orgwarden-sets-exempt-tag": "ALLOW",
    });
  });

  it("require-mfa honours a configured tag key, and the tag guard catches it in any case", () => {
    const p = scpParameters({ roleName: "OrganizationAccountAccessRole", mfaExemptTagKey: "ci:no-mfa" });
    const doc = managed("require-mfa", p);
    expect(JSON.stringify(doc.document)).toContain('"aws:PrincipalTag/ci:no-mfa":"true"');
    const report = guard(p, doc);
    expect(report.blocking).toEqual([]);
    expect(decisions(report)["mfa-exempt-keys-user"]).toBe("ALLOW");
  });

  it("restrict-source-ip: a CloudFormation service role, AWS services for the caller and a VPC-endpoint caller pass; outsiders do not", () => {
    // AWS's data-perimeter form: NotIpAddressIfExists aws:SourceIp with aws:SourceVpc, ViaAWSService,
    // PrincipalIsAWSService, service-linked roles and aws:ec2-infrastructure exempt.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html
    const p = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      allowedCidrs: ["192.0.2.0/24", "2001:db8::/32"],
    });
    const report = guard(p, managed("restrict-source-ip", p));
    expect(report.blocking).toEqual([]);
    expect(decisions(report)).toMatchObject({
      "cloudformation-service-role": "ALLOW",
      "via-aws-service": "ALLOW",
      "workload-vpc-endpoint": "ALLOW",
      "user-inside-ipv6": "ALLOW",
      "user-outside-network": "DENY",
      "member-admin-sets-network-exempt-tag": "DENY",
      "orgwarden-role": "ALLOW",
    });
  });

  it("restrict-source-ip with allowed VPCs: the listed VPC's endpoint passes, another VPC's is denied", () => {
    const p = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      allowedCidrs: ["192.0.2.0/24"],
      allowedVpcs: ["vpc-0123456789abcdef0"],
    });
    const doc = managed("restrict-source-ip", p);
    expect(JSON.stringify(doc.document)).toContain('"aws:SourceVpc":["vpc-0123456789abcdef0"]');
    const report = guard(p, doc);
    expect(report.blocking).toEqual([]);
    expect(decisions(report)).toMatchObject({
      "workload-vpc-endpoint": "ALLOW",
      "other-vpc-endpoint": "DENY",
      "cloudformation-service-role": "ALLOW",
    });
  });

  it("protect-audit: Control Tower and StackSets pass, a member admin cannot stop CloudTrail or add an auto-archive filter", () => {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_guardduty.html
    const report = guard(params, managed("protect-audit", params));
    expect(report.blocking).toEqual([]);
    expect(decisions(report)).toMatchObject({
      "control-tower-execution": "ALLOW",
      "stacksets-execution-role": "ALLOW",
      "member-admin-stops-audit": "DENY",
      "service-linked-role": "ALLOW",
    });
  });

  it("protect-audit without the automation list: StackSets and Control Tower become advisory warnings", () => {
    const p = scpParameters({ roleName: "OrganizationAccountAccessRole", auditAutomationRoles: [] });
    const report = guard(p, managed("protect-audit", p));
    expect(report.blocking).toEqual([]);
    expect(decisions(report)["control-tower-execution"]).toBe("DENY");
  });

  it("protect-exempt-roles: a member admin cannot rewrite the trust policy of orgwarden's role; orgwarden still works", () => {
    const p = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
    });
    const doc = managed("protect-exempt-roles", p);
    expect(JSON.stringify(doc.document)).toContain("arn:aws:iam::*:role/BreakGlass");
    const report = guard(p, doc, managed("protect-audit", p));
    expect(report.blocking).toEqual([]);
    expect(decisions(report)).toMatchObject({
      "member-admin-rewrites-exempt-role": "DENY",
      "orgwarden-role": "ALLOW",
      "exempt:arn:aws:iam::*:role/BreakGlass": "ALLOW",
    });
  });

  it("the whole library together keeps every must-pass probe passing", () => {
    const p = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
      allowedCidrs: ["192.0.2.0/24"],
    });
    const all = [...library.keys()].map((n) => managed(n, p));
    const report = guard(p, ...all);
    expect(report.blocking).toEqual([]);
    expect(report.results.filter((r) => !r.ok).map((r) => r.probe.id)).toEqual([]);
  });
});

describe("lockout guard refuses dangerous policies", () => {
  it("a deliberately unscoped deny-unless-MFA policy locks out orgwarden's role: refused", () => {
    const unscoped: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyAllWithoutMFA",
          Effect: "Deny",
          NotAction: ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
          Resource: "*",
          Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        },
      ],
    };
    const report = guard(params, { name: "orgwarden-require-mfa", document: unscoped, managed: true });
    const blocking = report.blocking.map((b) => b.probe.id);
    expect(blocking).toContain("orgwarden-role");
    expect(blocking).toContain("workload-role");
    expect(report.blocking[0]?.detail).toContain("orgwarden-require-mfa (DenyAllWithoutMFA)");
  });

  it("a require-mfa that forgets the enrolment actions is refused (new users could never enrol)", () => {
    const noEnrol: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: {
            BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
            ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" },
          },
        },
      ],
    };
    const report = guard(params, { name: "orgwarden-require-mfa", document: noEnrol, managed: true });
    expect(report.blocking.map((b) => b.probe.id)).toEqual([
      "user-enrol-mfa",
      "user-change-password",
      "mfa-exempt-keys-user",
      "member-admin-sets-exempt-tag",
      // It also lacks ProtectExemptPrincipals: orgwarden's role name could be re-trusted.
      "member-admin-claims-exempt-role",
    ]);
  });

  it("a require-mfa scoped with Bool instead of BoolIfExists lets long-term keys through: refused", () => {
    const weak = structuredClone(managed("require-mfa", params));
    const st = (weak.document.Statement as Array<{ Condition: Record<string, unknown> }>)[0];
    if (!st) throw new Error("require-mfa has no statement");
    const { BoolIfExists, ...rest } = st.Condition;
    st.Condition = { ...rest, Bool: BoolIfExists };
    const report = guard(params, weak);
    expect(report.blocking.map((b) => b.probe.id)).toEqual(["untagged-keys-user", "user-no-mfa"]);
  });

  it("a foreign policy that denies orgwarden's own actions refuses; one that denies users only warns", () => {
    const foreignDenyConfig: EvaluatedPolicy = {
      name: "team-guardrail",
      managed: false,
      document: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Deny", Action: ["config:PutConfigRule", "s3:ListAllMyBuckets"], Resource: "*" },
        ],
      },
    };
    const report = guard(params, managed("require-mfa", params), foreignDenyConfig);
    expect(report.blocking.map((b) => b.probe.id)).toEqual(["orgwarden-role"]);
    const withMfa = report.results.find((r) => r.probe.id === "user-with-mfa");
    expect(withMfa).toMatchObject({ decision: "DENY", ok: false, blocking: false });
  });
});

describe("lockout guard below the target", () => {
  it("checks every account's own SCPs and says in how many accounts a probe fails", () => {
    const p = scpParameters({ roleName: "OrganizationAccountAccessRole" });
    const target = path(managed("require-mfa", p));
    const unscopedAtAccount: EvaluatedPolicy = {
      name: "legacy-mfa-guardrail",
      managed: false,
      document: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "config:*",
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
          },
        ],
      },
    };
    const plainAccount = { nodeId: "111111111111", nodePath: "account 111111111111", policies: [FULL] };
    const legacyAccount = {
      nodeId: "222222222222",
      nodePath: "account 222222222222",
      policies: [FULL, unscopedAtAccount],
    };
    const report = checkLockoutAcross(
      [
        { levels: [...target, plainAccount], accountIds: ["111111111111", "333333333333"] },
        { levels: [...target, legacyAccount], accountIds: ["222222222222"] },
      ],
      buildProbes(p, new Set(["require-mfa"])),
    );
    expect(report.blocking.map((b) => b.probe.id)).toEqual(["orgwarden-role"]);
    expect(report.blocking[0]?.detail).toContain("legacy-mfa-guardrail");
    expect(report.blocking[0]?.detail).toContain("in 1 of 3 accounts (e.g. 222222222222)");
    expect(report.pathDescription).toContain("for each of 3 accounts");
  });
});

describe("issue 28: the guard's probes", () => {
  const network = scpParameters({
    roleName: "OrganizationAccountAccessRole",
    allowedCidrs: ["192.0.2.0/24"],
  });

  it("probes orgwarden's centralized-root sessions from outside the allowed networks: the library lets them through", () => {
    const report = guard(network, managed("restrict-source-ip", network), managed("deny-root-user", network));
    expect(report.blocking).toEqual([]);
    const root = report.results.find((r) => r.probe.id === "orgwarden-root-session");
    expect(root?.decision).toBe("ALLOW");
    // The probe is the real thing: the task policies' actions, from an address outside every range.
    const sample = root?.probe.requests.find((r) => r.action === "iam:DeleteLoginProfile");
    expect(sample?.keys["aws:SourceIp"]).toBe("203.0.113.10");
    expect(sample?.keys["aws:AssumedRoot"]).toBe("true");
  });

  it("a restrict-source-ip without the AssumeRoot exemption (the library before issue 28) is refused", () => {
    const old = structuredClone(managed("restrict-source-ip", network));
    const st = (
      old.document.Statement as unknown as Array<{ Condition: { Null: Record<string, string> } }>
    )[0];
    if (!st) throw new Error("restrict-source-ip has no statement");
    delete st.Condition.Null["aws:AssumedRoot"];
    const report = guard(network, old);
    expect(report.blocking.map((b) => b.probe.id)).toEqual(["orgwarden-root-session"]);
    expect(report.blocking[0]?.detail).toContain("DenyOutsideAllowedNetworks");
  });

  it("protect-audit alone keeps a member admin from creating a role named like the automation exemption", () => {
    const report = guard(params, managed("protect-audit", params));
    expect(report.blocking).toEqual([]);
    const claim = report.results.find((r) => r.probe.id === "member-admin-claims-exempt-role");
    expect(claim?.decision).toBe("DENY");
    expect(claim?.probe.requests.map((r) => r.resource)).toContain(
      `arn:aws:iam::${PROBE_ACCOUNT}:role/stacksets-exec-claimed`,
    );
    // Without the statement (the library before issue 28) the guard refuses.
    const old = structuredClone(managed("protect-audit", params));
    old.document.Statement = (old.document.Statement as Array<{ Sid?: string }>).filter(
      (s) => s.Sid !== "ProtectExemptPrincipals",
    ) as PolicyDocument["Statement"];
    expect(guard(params, old).blocking.map((b) => b.probe.id)).toEqual(["member-admin-claims-exempt-role"]);
  });

  it("an exempt user pattern cannot be created, renamed into or given keys by a member admin", () => {
    const withUser = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:user/break-glass/*"],
    });
    for (const name of ["protect-exempt-roles", "require-mfa", "protect-audit"]) {
      const report = guard(withUser, managed(name, withUser));
      expect(report.blocking, name).toEqual([]);
      const claim = report.results.find((r) => r.probe.id === "member-admin-claims-exempt-user");
      expect(claim?.decision, name).toBe("DENY");
      expect(claim?.probe.requests.map((r) => r.action)).toEqual(
        expect.arrayContaining(["iam:CreateUser", "iam:UpdateUser", "iam:CreateAccessKey"]),
      );
    }
  });

  it("every credential that would make an exempt user someone's is denied, and passing an exempt role", () => {
    const withUser = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:user/break-glass/*", "arn:aws:iam::*:role/ci-*"],
    });
    const report = guard(withUser, managed("require-mfa", withUser));
    expect(report.blocking).toEqual([]);
    const user = report.results.find((r) => r.probe.id === "member-admin-claims-exempt-user");
    expect(user?.decision).toBe("DENY");
    // Bedrock API keys, CodeCommit and Keyspaces credentials, SSH keys, signing certificates: each
    // would sign requests as the exempt user.
    expect(new Set(user?.probe.requests.map((r) => r.action))).toEqual(new Set(CLAIM_USER_ACTIONS));
    const role = report.results.find((r) => r.probe.id === "member-admin-claims-exempt-role");
    expect(role?.decision).toBe("DENY");
    expect(role?.probe.requests.map((r) => r.action)).toContain("iam:PassRole");
    // The library before: a member admin could mint a service-specific credential for break-glass.
    const old = structuredClone(managed("require-mfa", withUser));
    for (const st of old.document.Statement as Array<{ Sid?: string; Action?: string[] }>)
      if (st.Sid === "ProtectExemptPrincipals")
        st.Action = (st.Action ?? []).filter((a) => !/ServiceSpecific|Upload|PassRole/.test(a));
    expect(
      guard(withUser, old)
        .blocking.map((b) => b.probe.id)
        .sort(),
    ).toEqual(["member-admin-claims-exempt-role", "member-admin-claims-exempt-user"]);
  });

  it("every exempting policy of the library denies exactly the claim actions the probes try", () => {
    const claim = [...CLAIM_ROLE_ACTIONS, ...CLAIM_USER_ACTIONS].sort();
    for (const name of ["require-mfa", "restrict-source-ip", "protect-audit", "protect-exempt-roles"]) {
      const rendered = managed(name, scpParameters({ roleName: "R", allowedCidrs: ["192.0.2.0/24"] }));
      const st = (rendered.document.Statement as Array<{ Sid?: string; Action?: string[] }>).find(
        (x) => x.Sid === "ProtectExemptPrincipals",
      );
      expect([...(st?.Action ?? [])].sort(), name).toEqual(claim);
    }
  });

  it("a policy that exempts nobody is not refused for exemptions another variant on the path protects", () => {
    // Review of issue 28: deny-leave-organization with --exempt-principal Foo, under a require-mfa
    // variant that exempts someone else, was refused because creating role/Foo is allowed — but no
    // policy exempts Foo, so creating it opens nothing.
    const other = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:role/OpsB"],
    });
    const mine = scpParameters({
      roleName: "OrganizationAccountAccessRole",
      exemptPrincipals: ["arn:aws:iam::*:role/Foo"],
    });
    const levels = path(managed("require-mfa", other), managed("deny-leave-organization", mine));
    const inEffect = new Set(["require-mfa", "deny-leave-organization"]);
    const report = checkLockout(
      levels,
      buildProbes(mine, inEffect, { ownPolicies: ["deny-leave-organization"] }),
    );
    expect(report.blocking).toEqual([]);
    // The same exemption rendered into an exempting policy of the change is protected, and probed.
    const own = checkLockout(
      path(managed("require-mfa", mine)),
      buildProbes(mine, new Set(["require-mfa"]), { ownPolicies: ["require-mfa"] }),
    );
    expect(own.results.find((r) => r.probe.id === "member-admin-claims-exempt-role")?.probe.expect).toBe(
      "DENY",
    );
  });

  it("probes with the ARN IAM gives orgwarden's role: a --role-name in another casing is refused", () => {
    const lower = scpParameters({ roleName: "orgwardenrole" });
    const setting = { toolRoleArn: `arn:aws:iam::${PROBE_ACCOUNT}:role/OrgwardenRole` };
    const report = checkLockout(
      path(managed("protect-audit", lower)),
      buildProbes(lower, new Set(["protect-audit"]), setting),
    );
    // ArnNotLike compares case-sensitively: role/orgwardenrole does not exempt role/OrgwardenRole.
    const own = report.blocking.find((b) => b.probe.id === "orgwarden-role");
    expect(own?.probe.principalArn).toBe(setting.toolRoleArn);
    expect(own?.detail).toContain("ProtectAuditServices");
    // Built from the name alone, the probe would have passed.
    const blind = checkLockout(
      path(managed("protect-audit", lower)),
      buildProbes(lower, new Set(["protect-audit"])),
    );
    expect(blind.blocking).toEqual([]);
  });

  it("probes carry aws:ResourceAccount, aws:ResourceOrgID and aws:ResourceOrgPaths: AWS's resource perimeter passes, a foreign org's does not", () => {
    const perimeter = (orgId: string): EvaluatedPolicy => ({
      name: "resource-perimeter",
      managed: false,
      document: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EnforceResourcePerimeterAWSResources",
            Effect: "Deny",
            Action: "*",
            NotResource: ["arn:aws:iam::aws:policy/*", "arn:aws:ssm:*::parameter/*"],
            Condition: {
              StringNotEqualsIfExists: {
                "aws:ResourceOrgID": orgId,
                "ec2:Owner": "amazon",
                "aws:PrincipalTag/dp:exclude:resource": "true",
              },
            },
          },
        ],
      },
    });
    const levels = (orgId: string): PolicyLevel[] => [
      { nodeId: "r-1", nodePath: "Root", policies: [FULL, perimeter(orgId)] },
      { nodeId: "ou-1", nodePath: "Root/Prod", policies: [FULL, managed("require-mfa", params)] },
    ];
    const probes = buildProbes(params, new Set(["require-mfa"]), {
      organizationId: "o-a1b2c3d4e5",
      orgPath: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
    });
    expect(checkLockout(levels("o-a1b2c3d4e5"), probes).blocking).toEqual([]);
    const own = probes.find((p) => p.id === "orgwarden-role")?.requests[0];
    expect(own?.keys["aws:ResourceOrgPaths"]).toEqual(["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]);
    expect(own?.keys["aws:ResourceAccount"]).toBe(PROBE_ACCOUNT);
    const foreign = checkLockout(levels("o-zzzzzzzzzz"), probes);
    expect(foreign.blocking.map((b) => b.probe.id)).toContain("orgwarden-role");
  });
});
