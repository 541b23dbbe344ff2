import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planDocumentSchema } from "@orgwarden/cli";
import { beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";
import { setSimulatePolicy, simulatePolicyState } from "./support/simulate-policy-standin.js";

/*
 * The lockout guard's verdicts, also asked of AWS's policy simulator (iam:SimulateCustomPolicy with
 * OrderedOrganizationPolicyInputList), here the stand-in in test/support that answers with an
 * independent simulator in IAM's wire format.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */
const { moto, org, cli, ou } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 2, "Root/Sandbox": 1 } });

const GUARD_LINE =
  /^guard: (\d+) probe requests(?:, (\d+) decided by AWS)?, AWS agrees on (\d+)(?: and disagrees on (\d+))? \((\d+) iam:SimulateCustomPolicy calls?\)/m;

beforeEach(async () => {
  await setSimulatePolicy(moto.endpoint, { mode: "simulate", throttleEvery: 0, plantDecision: null });
});

async function callsSoFar(): Promise<number> {
  return (await simulatePolicyState(moto.endpoint)).calls;
}

describe("apply-scp: the guard confirmed by AWS's policy simulator", () => {
  it("sends every probe request and prints how many AWS agrees on", async () => {
    const before = await callsSoFar();
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--dry-run");
    expect(res.code, res.stderr).toBe(0);
    const m = GUARD_LINE.exec(res.stdout);
    expect(m, res.stdout).not.toBeNull();
    const [, requests, sent, agreed, differ, calls] = m as RegExpExecArray;
    expect(differ).toBeUndefined();
    expect(Number(agreed)).toBe(Number(sent ?? requests));
    expect(Number(agreed)).toBeGreaterThan(50);
    // The calls printed are the calls AWS received.
    expect(await callsSoFar()).toBe(before + Number(calls));
    // Service-linked roles are never sent (SCPs do not apply to them; the simulator takes no role caller).
    expect(res.stdout).toMatch(/not decided by AWS: 3 \(service-linked roles/);
  });

  it("--output json carries AWS's check in the plan document", async () => {
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--dry-run", "--output", "json");
    expect(res.code, res.stderr).toBe(0);
    const doc = planDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc.awsCheck).toMatchObject({ mode: "auto", ran: true, disagreements: [] });
    expect(doc.awsCheck?.agreed).toBe(doc.awsCheck?.answered);
  });

  it("a denial only AWS sees blocks the plan, and the refusal says which engine saw it", async () => {
    // Planted: AWS denies orgwarden's own role a call it makes in every member account.
    await setSimulatePolicy(moto.endpoint, {
      plantDecision: { action: "iam:GetAccountSummary", decision: "explicitDeny" },
    });
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/refusing to apply: orgwarden's role .*AWS's policy simulator denies it/);
    expect(res.stderr).toMatch(/orgwarden's evaluator allows it/);
    expect(res.stderr).toMatch(
      /hint: AWS's policy simulator and orgwarden's evaluator disagree .*orgwarden scp simulate/,
    );
    const json = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--yes", "--output", "json");
    expect(json.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(json.stdout));
    expect(doc.result.refusal?.code).toBe("LOCKOUT_RISK");
    const d = doc.awsCheck?.disagreements.find((x) => x.probeId === "orgwarden-role");
    expect(d).toMatchObject({
      action: "iam:GetAccountSummary",
      ours: "ALLOW",
      aws: "explicitDeny",
      guardTook: "aws",
    });
    expect(doc.result.refusal?.findings.some((f) => /AWS's policy simulator/.test(f.detail))).toBe(true);
    // Nothing was written.
    const status = await cli("scp", "status", "--ou", ou("Root/Workloads"));
    expect(status.stdout).not.toMatch(/orgwarden-require-mfa/);
  });

  it("AWS allowing what a policy must deny is a refusal too (the stricter engine wins)", async () => {
    await setSimulatePolicy(moto.endpoint, {
      plantDecision: {
        action: "s3:ListAllMyBuckets",
        principalArn: `arn:aws:iam::${org.accounts.find((a) => a.ouPath === "Root/Workloads")?.id}:user/alice`,
        decision: "allowed",
      },
    });
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--policy", "require-mfa", "--dry-run");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is allowed by AWS's policy simulator \(orgwarden's evaluator denies it\)/);
  });

  it("auto: a simulator AWS refuses (AccessDenied) is a note, and the plan stands on orgwarden's evaluator", async () => {
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied" });
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--dry-run");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /guard: \d+ probe requests decided by orgwarden's evaluator alone: AWS's policy simulator could not be asked \(AccessDenied: allow iam:SimulateCustomPolicy to use it\)/,
    );
  });

  it("on: a simulator AWS refuses is exit 2, before any write", async () => {
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied" });
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--yes", "--verify-with-aws", "on");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /--verify-with-aws on: AWS's policy simulator could not confirm the lockout guard/,
    );
    expect(res.stderr).toMatch(/allow iam:SimulateCustomPolicy/i);
    const status = await cli("scp", "status", "--ou", ou("Root/Sandbox"));
    expect(status.stdout).not.toMatch(/orgwarden-require-mfa/);
  });

  it("off: AWS is not asked", async () => {
    const before = await callsSoFar();
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--dry-run", "--verify-with-aws", "off");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toMatch(/^guard:/m);
    expect(await callsSoFar()).toBe(before);
  });

  it("throttling is retried with back-off: the verdict is the same", async () => {
    const throttledBefore = (await simulatePolicyState(moto.endpoint)).throttled;
    await setSimulatePolicy(moto.endpoint, { throttleEvery: 4 });
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--dry-run", "--verify-rate", "200");
    expect(res.code, res.stderr).toBe(0);
    const m = GUARD_LINE.exec(res.stdout);
    expect(m, res.stdout).not.toBeNull();
    expect(m?.[4]).toBeUndefined();
    expect((await simulatePolicyState(moto.endpoint)).throttled).toBeGreaterThan(throttledBefore);
  });

  it("a bad mode is exit 2 with the choices", async () => {
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--dry-run", "--verify-with-aws", "maybe");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--verify-with-aws must be auto, on or off/);
  });
});

describe("run: verifyWithAws in orgwarden.yaml", () => {
  it("verifyWithAws: on with a refused simulator stops the run before any write (exit 2)", async () => {
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied" });
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-verify-"));
    const file = join(dir, "orgwarden.yaml");
    writeFileSync(
      file,
      stringify({
        connection: { region: "us-east-1", endpointUrl: moto.endpoint },
        verifyWithAws: "on",
        scp: [{ ou: org.ouIds["Root/Sandbox"], policies: ["deny-root-user"], mode: "enforce" }],
        report: { outputDir: join(dir, "reports") },
      }),
    );
    const res = await runCli(["run", "--config", file, "--no-report"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/could not confirm the lockout guard/);
    const status = await cli("scp", "status", "--ou", ou("Root/Sandbox"));
    expect(status.stdout).not.toMatch(/orgwarden-deny-root-user/);
  });
});
