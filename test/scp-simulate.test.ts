import type { ScpSimulation } from "@orgwarden/job";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { setSimulatePolicy, simulatePolicyState } from "./support/simulate-policy-standin.js";

// `orgwarden scp simulate`: orgwarden's verdict with the deciding statement and its condition keys,
// AWS's policy simulator's beside it (the SimulateCustomPolicy stand-in), per SCP path of the target.

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 2, "Root/Sandbox": 1, "Root/Sandbox/Deep": 1 },
});

const accountIn = (path: string) => {
  const account = org.accounts.find((a) => a.ouPath === path);
  if (!account) throw new Error(`no account in ${path}`);
  return account.id;
};
const userIn = (path: string) => `arn:aws:iam::${accountIn(path)}:user/alice`;

/** `scp simulate` of an IAM user listing buckets in the first Workloads account, plus `args`. */
const simulateUser = (...args: string[]) =>
  cli(
    "scp",
    "simulate",
    "--account",
    accountIn("Root/Workloads"),
    "--principal",
    userIn("Root/Workloads"),
    "--action",
    "s3:ListAllMyBuckets",
    ...args,
  );

const json = (stdout: string) => JSON.parse(stdout) as ScpSimulation;

beforeAll(async () => {
  for (const path of ["Root/Workloads", "Root/Sandbox/Deep"]) {
    const applied = await cli("apply-scp", "--ou", ou(path), "--policy", "require-mfa", "--yes");
    expect(applied.code, applied.stderr).toBe(0);
  }
});

afterEach(async () => {
  await setSimulatePolicy(moto.endpoint, { mode: "simulate", plantDecision: null });
});

describe("orgwarden scp simulate", () => {
  it("an IAM user without MFA under require-mfa: DENY by DenyIamUsersWithoutMFA, aws:MultiFactorAuthPresent absent, AWS explicitDeny beside it", async () => {
    const res = await simulateUser();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      "orgwarden  DENY   denied by orgwarden-require-mfa (DenyIamUsersWithoutMFA) at Root/Workloads",
    );
    expect(res.stdout).toContain("aws:MultiFactorAuthPresent: absent");
    expect(res.stdout).toMatch(/AWS {8}DENY {3}explicitDeny \(AllowedByOrganizations false\)/);
    expect(res.stdout).not.toContain("disagree");
    expect(res.stdout).toMatch(/ {2}assumed: .*aws:PrincipalAccount=\d{12}.*aws:RequestedRegion=us-east-1/);
  });

  it("the same with --context aws:MultiFactorAuthPresent=true: ALLOW by both", async () => {
    const res = await simulateUser("--context", "aws:MultiFactorAuthPresent=true");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/orgwarden {2}ALLOW {2}every level of the path allows it/);
    expect(res.stdout).toMatch(/AWS {8}ALLOW {2}allowed/);
    expect(res.stdout).toContain("from --context: aws:MultiFactorAuthPresent=true");
  });

  it("--with-planned deny-root-user on an OU without it: the root user is denied; without the flag, allowed", async () => {
    const args = ["--ou", "Root/Workloads", "--principal", "root", "--action", "ec2:RunInstances"];
    const today = await cli("scp", "simulate", ...args);
    expect(today.code, today.stderr).toBe(0);
    expect(today.stdout).toMatch(/orgwarden {2}ALLOW/);
    const planned = await cli("scp", "simulate", ...args, "--with-planned", "deny-root-user");
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain("with orgwarden-deny-root-user attached as planned");
    expect(planned.stdout).toContain(
      "denied by orgwarden-deny-root-user (DenyRootUserExceptAssumeRoot) at Root/Workloads",
    );
    expect(planned.stdout).toContain(`aws:PrincipalArn: arn:aws:iam::${accountIn("Root/Workloads")}:root`);
    expect(planned.stdout).toContain("aws:AssumedRoot: absent");
    expect(planned.stdout).toMatch(/AWS {8}DENY {3}explicitDeny/);
    // Planned, not written: the OU still has only require-mfa.
    const again = await cli("scp", "simulate", ...args);
    expect(again.stdout).toMatch(/orgwarden {2}ALLOW/);
  });

  it("--ou with two distinct SCP paths below: one row each, each with its own account", async () => {
    const res = await cli(
      "scp",
      "simulate",
      "--ou",
      "Root/Sandbox",
      "--principal",
      "user/alice",
      "--action",
      "s3:ListAllMyBuckets",
      "--output",
      "json",
    );
    expect(res.code, res.stderr).toBe(0);
    const sim = json(res.stdout);
    expect(sim.target).toEqual({ id: ou("Root/Sandbox"), path: "Root/Sandbox", kind: "ou" });
    expect(sim.rows).toHaveLength(2);
    const byAccount = new Map(sim.rows.map((r) => [r.exampleAccount, r]));
    const top = byAccount.get(accountIn("Root/Sandbox"));
    const deep = byAccount.get(accountIn("Root/Sandbox/Deep"));
    expect(top?.orgwarden.effect).toBe("ALLOW");
    expect(top?.principalArn).toBe(userIn("Root/Sandbox"));
    expect(deep).toMatchObject({
      accounts: 1,
      principalArn: userIn("Root/Sandbox/Deep"),
      orgwarden: { effect: "DENY", policy: "orgwarden-require-mfa", nodePath: "Root/Sandbox/Deep" },
      aws: { asked: true, decision: "explicitDeny", effect: "DENY" },
      agree: true,
    });
    expect(deep?.levels.slice(0, 3)).toEqual(["Root", "Root/Sandbox", "Root/Sandbox/Deep"]);
    const text = await cli(
      "scp",
      "simulate",
      "--ou",
      "Root/Sandbox",
      "--principal",
      "user/alice",
      "--action",
      "s3:ListAllMyBuckets",
    );
    expect(text.stdout).toContain("2 SCP paths, 2 accounts");
  });

  it("a principal of another account: a note that those SCPs do not govern it; AWS's SCP verdict is AllowedByOrganizations", async () => {
    const res = await cli(
      "scp",
      "simulate",
      "--account",
      accountIn("Root/Sandbox"),
      "--principal",
      userIn("Root/Workloads"),
      "--action",
      "s3:ListAllMyBuckets",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `note: ${userIn("Root/Workloads")} belongs to account ${accountIn("Root/Workloads")}`,
    );
    expect(res.stdout).toContain("--principal user/alice asks for that principal in each path's own account");
    // Across accounts without a resource policy the simulation denies, but no SCP does.
    expect(res.stdout).toMatch(/AWS {8}ALLOW {2}implicitDeny \(AllowedByOrganizations true\)/);
    expect(res.stdout).not.toContain("disagree");
  });

  it("--output json is one document with both verdicts, the condition keys and the assumed keys", async () => {
    const res = await simulateUser("--output", "json");
    expect(res.code, res.stderr).toBe(0);
    const sim = json(res.stdout);
    expect(sim).toMatchObject({
      action: "s3:ListAllMyBuckets",
      resource: "*",
      verifyWithAws: "auto",
      awsCalls: 1,
    });
    const [row] = sim.rows;
    expect(row?.orgwarden).toMatchObject({
      effect: "DENY",
      by: "explicit-deny",
      policy: "orgwarden-require-mfa",
      sid: "DenyIamUsersWithoutMFA",
      nodePath: "Root/Workloads",
    });
    expect(row?.orgwarden.conditionKeys).toContainEqual({
      key: "aws:MultiFactorAuthPresent",
      operators: ["BoolIfExists"],
    });
    expect(row?.aws).toEqual({
      asked: true,
      decision: "explicitDeny",
      allowedByOrganizations: false,
      effect: "DENY",
    });
    expect(row?.assumed).toContain("aws:PrincipalOrgID");
    expect(row?.context["aws:PrincipalOrgID"]).toBe(org.organizationId);
  });

  it("AWS's simulator refuses (access denied): auto notes it and exits 0, on exits 2", async () => {
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied" });
    const auto = await simulateUser();
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stdout).toMatch(/orgwarden {2}DENY/);
    expect(auto.stdout).toContain(
      "AWS        not asked: AccessDenied: allow iam:SimulateCustomPolicy to use it",
    );
    expect(auto.stdout).toContain("note: AWS's policy simulator could not be asked");
    const on = await simulateUser("--verify-with-aws", "on");
    expect(on.code).toBe(2);
    expect(on.stderr).toContain("--verify-with-aws on: AWS's policy simulator could not be asked");
    expect(on.stderr).toMatch(/hint: Allow iam:SimulateCustomPolicy/);
    const off = await simulateUser("--verify-with-aws", "off");
    expect(off.code).toBe(0);
    expect(off.stdout).toContain("AWS        not asked: --verify-with-aws off");
  });

  it("a planted disagreement shows both verdicts and which engine is stricter; exit 0", async () => {
    await setSimulatePolicy(moto.endpoint, {
      plantDecision: { action: "s3:ListAllMyBuckets", decision: "explicitDeny" },
    });
    const res = await simulateUser("--context", "aws:MultiFactorAuthPresent=true");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/orgwarden {2}ALLOW/);
    expect(res.stdout).toMatch(/AWS {8}DENY {3}explicitDeny/);
    expect(res.stdout).toContain("the engines disagree: AWS is stricter (it denies what orgwarden allows)");
    const doc = json(
      (await simulateUser("--context", "aws:MultiFactorAuthPresent=true", "--output", "json")).stdout,
    );
    expect(doc.rows[0]).toMatchObject({ agree: false, stricter: "aws" });
  });

  it("a service-linked role: ALLOW (SCPs do not apply), and AWS is not asked", async () => {
    const before = (await simulatePolicyState(moto.endpoint)).calls;
    const role = `arn:aws:iam::${accountIn("Root/Workloads")}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
    const res = await cli(
      "scp",
      "simulate",
      "--account",
      accountIn("Root/Workloads"),
      "--principal",
      role,
      "--action",
      "s3:ListAllMyBuckets",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("orgwarden  ALLOW  SCPs do not apply to service-linked roles");
    expect(res.stdout).toContain("AWS        not asked: a service-linked role");
    expect((await simulatePolicyState(moto.endpoint)).calls).toBe(before);
  });

  it("bad input is exit 2 with a hint: an unknown OU, a --context without =, a malformed action", async () => {
    const unknown = await cli(
      "scp",
      "simulate",
      "--ou",
      "Root/Nowhere",
      "--principal",
      "root",
      "--action",
      "s3:ListAllMyBuckets",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no OU or account at path Root/Nowhere");
    expect(unknown.stderr).toMatch(/hint: Root holds: Sandbox, Workloads/);
    const context = await simulateUser("--context", "aws:MultiFactorAuthPresent");
    expect(context.code).toBe(2);
    expect(context.stderr).toMatch(/--context "aws:MultiFactorAuthPresent" is not KEY=VALUE\n {2}hint: /);
    const action = await simulateUser("--action", "s3:*");
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/--action "s3:\*" is not an action/);
  });
});
