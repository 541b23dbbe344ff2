import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { AttachPolicyCommand, CreatePolicyCommand } from "@aws-sdk/client-organizations";
import { orgClient, plantCloudTrailEvents } from "@orgwarden/emulator";
import type { RolloutState } from "@orgwarden/job";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TEST_ENV } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { cliEntryPoint, REPO_ROOT, runCli } from "./support/run-cli.js";

// `orgwarden rollout` end to end: stages attached one after the other, a soak that reads denials
// through the emulator's LookupEvents stand-in (planted events), the roll back, --no-wait and
// --resume, a killed run, and the policy a changed template gets beside the one other targets use.
// Nothing waits for a soak: a soak of 0s ends at once, and a test that needs one over moves the
// state's times back, as a day passing would.

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Sandbox": 1,
    "Root/Prod": 1,
    "Root/Dev": 1,
    "Root/Lab": 1,
    "Root/Fast": 1,
    "Root/Old": 1,
    "Root/New": 1,
    "Root/Quiet": 1,
    "Root/Sched": 1,
    "Root/Pre": 1,
  },
});

const dir = mkdtempSync(join(tmpdir(), "orgwarden-rollout-"));
const MINUTE = 60_000;
let guardrailId: string;

const accountIn = (path: string) => {
  const account = org.accounts.find((a) => a.ouPath === path);
  if (!account) throw new Error(`no account in ${path}`);
  return account.id;
};
const readState = (file: string) => JSON.parse(readFileSync(file, "utf8")) as RolloutState;
/** Moves a state's times back, as if `minutes` had passed since its stages were attached. */
function ageState(file: string, minutes: number): RolloutState {
  const state = readState(file);
  const back = (iso: string | undefined) =>
    iso === undefined ? undefined : new Date(Date.parse(iso) - minutes * MINUTE).toISOString();
  for (const stage of state.stages) {
    if (stage.writesFrom) stage.writesFrom = back(stage.writesFrom);
    if (stage.attachedAt) stage.attachedAt = back(stage.attachedAt);
    if (stage.soakUntil) stage.soakUntil = back(stage.soakUntil);
  }
  writeFileSync(file, JSON.stringify(state, null, 2));
  return state;
}
/** The common flags of a new rollout: one region, no call to AWS's policy simulator, no delivery margin. */
const start = (state: string, stages: string[], ...rest: string[]) =>
  cli(
    "rollout",
    "--policy",
    "require-mfa",
    "--stages",
    stages.join(","),
    "--state",
    state,
    "--regions",
    "us-east-1",
    "--verify-with-aws",
    "off",
    "--delivery-margin",
    "0s",
    ...rest,
  );
const scpArn = (id: string) =>
  `arn:aws:organizations::${org.managementAccountId}:policy/${org.organizationId}/service_control_policy/${id}`;

/** A keys-only IAM user's call, denied with `message`, recorded at `time` in `account`. */
function deniedCall(account: string, id: string, time: Date, action: [string, string], message: string) {
  return {
    eventVersion: "1.11",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLEUSERID0002",
      arn: `arn:aws:iam::${account}:user/ci-publisher`,
      accountId: account,
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      userName: "ci-publisher",
    },
    eventTime: time.toISOString().replace(/\.\d+Z$/, "Z"),
    eventSource: action[0],
    eventName: action[1],
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.45",
    userAgent: "aws-cli/2.31.4",
    errorCode: action[0].startsWith("ec2") ? "Client.UnauthorizedOperation" : "AccessDenied",
    errorMessage: `User: arn:aws:iam::${account}:user/ci-publisher is not authorized to perform: ${message}`,
    requestID: `req-${id}`,
    eventID: id,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: "Management",
  };
}

beforeAll(async () => {
  // Control Tower's kind of guardrail, at the root: its denials are someone else's.
  const client = orgClient(moto.endpoint);
  const created = await client.send(
    new CreatePolicyCommand({
      Name: "aws-guardrails-TestGuard",
      Description: "a landing zone's guardrail",
      Type: "SERVICE_CONTROL_POLICY",
      Content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "GRRESTRICTREGION", Effect: "Deny", Action: "ec2:DeleteVpc", Resource: "*" }],
      }),
    }),
  );
  guardrailId = created.Policy?.PolicySummary?.Id as string;
  await client.send(new AttachPolicyCommand({ PolicyId: guardrailId, TargetId: org.rootId }));
  client.destroy();
  await plantCloudTrailEvents(moto.endpoint, [], { lookupEventsPerSecond: 0 });
});

describe("orgwarden rollout", () => {
  const stateFile = join(dir, "sandbox-prod.json");

  it("--no-wait: the first stage's impact, plan and attach, then it stops while the stage soaks (exit 0); the state says attached", async () => {
    const res = await start(stateFile, ["Root/Sandbox", "Root/Prod"], "--soak", "1h", "--yes", "--no-wait");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("stage 1/2 Root/Sandbox: measuring the change's impact");
    expect(res.stdout).toContain("stage 1/2 Root/Sandbox: impact 0 new denied events (--max-new-denials 0)");
    expect(res.stdout).toContain("Plan: apply SCPs to");
    expect(res.stdout).toMatch(/\[\d\/\d\] done: \+ attach orgwarden-require-mfa/);
    expect(res.stdout).toMatch(
      new RegExp(
        `stage 1/2 Root/Sandbox soaking until \\S+: resume with orgwarden rollout --resume ${stateFile}`,
      ),
    );
    const state = readState(stateFile);
    expect(state.stages.map((s) => s.status)).toEqual(["attached", "pending"]);
    const [sandbox] = state.stages;
    expect(sandbox?.id).toBe(ou("Root/Sandbox"));
    expect(Date.parse(sandbox?.soakUntil ?? "") - Date.parse(sandbox?.attachedAt ?? "")).toBe(60 * MINUTE);
    expect(sandbox?.attached).toEqual([
      { name: "orgwarden-require-mfa", id: expect.stringMatching(/^p-/), sha256: state.policies[0]?.sha256 },
    ]);
    const scps = await snapshotScps(moto.endpoint);
    expect(byName(scps, "orgwarden-require-mfa")?.targets).toEqual([ou("Root/Sandbox")]);
  });

  it("a new rollout over an unfinished state file is refused (exit 2), pointing at --resume", async () => {
    const res = await start(stateFile, ["Root/Prod"], "--soak", "1h", "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${stateFile} holds an unfinished rollout (stage 1/2 Root/Sandbox attached`);
    expect(res.stderr).toContain(`orgwarden rollout --resume ${stateFile} continues it`);

    // Another process (this test's own, alive) holds the state: a resume is refused.
    const since = new Date().toISOString();
    writeFileSync(`${stateFile}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since }));
    const held = await cli("rollout", "--resume", stateFile, "--no-wait");
    rmSync(`${stateFile}.lock`);
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(
      `another rollout holds ${stateFile}.lock (pid ${process.pid} since ${since})`,
    );
  });

  it("denials naming the new policy's ARN roll the stage back on --resume (exit 6); a guardrail's denial is shown, never counted", async () => {
    const aged = ageState(stateFile, 10);
    const attached = aged.stages[0]?.attached[0]?.id as string;
    const account = accountIn("Root/Sandbox");
    const during = new Date(Date.parse(aged.stages[0]?.attachedAt ?? "") + 5 * MINUTE);
    await plantCloudTrailEvents(moto.endpoint, [
      deniedCall(
        account,
        "rollout-ours-1",
        during,
        ["s3.amazonaws.com", "CreateBucket"],
        `s3:CreateBucket on resource: arn:aws:s3:::release-artifacts with an explicit deny in a service control policy: ${scpArn(attached)}`,
      ),
      deniedCall(
        account,
        "rollout-ours-2",
        new Date(during.getTime() + MINUTE),
        ["s3.amazonaws.com", "CreateBucket"],
        `s3:CreateBucket on resource: arn:aws:s3:::release-artifacts with an explicit deny in a service control policy: ${scpArn(attached)}`,
      ),
      deniedCall(
        account,
        "rollout-guardrail",
        during,
        ["ec2.amazonaws.com", "DeleteVpc"],
        `ec2:DeleteVpc on resource: arn:aws:ec2:us-east-1:${account}:vpc/vpc-0a1b2c3d with an explicit deny in a service control policy: ${scpArn(guardrailId)}`,
      ),
    ]);
    const res = await cli("rollout", "--resume", stateFile, "--no-wait");
    expect(res.code, res.stderr).toBe(6);
    expect(res.stdout).toContain("stage 1/2 Root/Sandbox: soak until");
    expect(res.stdout).toContain(
      "2 counted denied events (--max-new-denials 0), 1 by others' policies shown, not counted",
    );
    expect(res.stdout).toMatch(/COUNTED 2× s3:CreateBucket by arn:aws:iam::\d{12}:user\/ci-publisher/);
    expect(res.stdout).toContain(
      `not counted 1× ec2:DeleteVpc by arn:aws:iam::${account}:user/ci-publisher in ${account} us-east-1`,
    );
    expect(res.stdout).toContain(
      `the message names another policy: aws-guardrails-TestGuard (${guardrailId})`,
    );
    expect(res.stdout).toContain("stage 1/2 Root/Sandbox ROLLED BACK: 2 counted denied events");
    expect(res.stdout).toContain(`- detach orgwarden-require-mfa (${attached}) from ${ou("Root/Sandbox")}`);
    const state = readState(stateFile);
    expect(state.stages.map((s) => s.status)).toEqual(["rolled-back", "pending"]);
    expect(state.stages[0]?.denials).toEqual([
      expect.objectContaining({ action: "s3:CreateBucket", events: 2, counted: true, account }),
      expect.objectContaining({
        eventId: "rollout-guardrail",
        action: "ec2:DeleteVpc",
        counted: false,
        why: `the message names another policy: aws-guardrails-TestGuard (${guardrailId})`,
      }),
    ]);
    const scps = await snapshotScps(moto.endpoint);
    expect(byName(scps, "orgwarden-require-mfa")?.targets ?? []).not.toContain(ou("Root/Sandbox"));
    expect(byName(scps, "aws-guardrails-TestGuard")?.targets).toEqual([org.rootId]);

    // A plain --resume leaves a rolled-back stage so: only --retry-stage tries it again.
    const again = await cli("rollout", "--resume", stateFile, "--yes", "--no-wait");
    expect(again.code, again.stderr).toBe(6);
    expect(again.stdout).toContain("stage 1/2 Root/Sandbox was ROLLED BACK (2 counted denied events");
    expect(again.stdout).toContain(`orgwarden rollout --resume ${stateFile} --retry-stage tries it again`);
    expect(again.stdout).not.toContain("measuring the change's impact");
    expect(readState(stateFile).stages.map((s) => s.status)).toEqual(["rolled-back", "pending"]);
    expect(await snapshotScps(moto.endpoint)).toEqual(scps);
  });

  it("a killed run resumes: killed while it waits in the soak, --resume looks again; once the soak is over the stage passes and the next is attached; a finished rollout resumed again is a no-op", async () => {
    const file = join(dir, "dev-lab.json");
    const child = spawn(
      process.execPath,
      [
        cliEntryPoint(),
        "rollout",
        "--policy",
        "require-mfa",
        "--stages",
        "Root/Dev,Root/Lab",
        "--soak",
        "2h",
        "--state",
        file,
        "--regions",
        "us-east-1",
        "--verify-with-aws",
        "off",
        "--yes",
        "--endpoint-url",
        moto.endpoint,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV } },
    );
    let stdout = "";
    const exit = new Promise<NodeJS.Signals | number | null>((r) =>
      child.on("close", (code, signal) => r(signal ?? code)),
    );
    // Waiting in the soak: the state says attached and the first look is done (or the run ended).
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("stage 1/2 Root/Dev: soak until")) resolve();
      });
      void exit.then(() => resolve());
    });
    expect(stdout).toContain("stage 1/2 Root/Dev: soak until");
    child.kill("SIGKILL");
    expect(await exit).toBe("SIGKILL");
    expect(readState(file).stages.map((s) => s.status)).toEqual(["attached", "pending"]);

    // The killed run's lock names a process that is gone: taken over.
    const early = await cli("rollout", "--resume", file, "--no-wait");
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toContain(`rollout: took over ${file}.lock`);
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(early.stdout).toContain("stage 1/2 Root/Dev soaking until");

    ageState(file, 3 * 60);
    const next = await cli("rollout", "--resume", file, "--yes", "--no-wait");
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain("stage 1/2 Root/Dev: soak passed");
    expect(next.stdout).toContain("stage 2/2 Root/Lab: impact 0 new denied events");
    expect(next.stdout).toContain("stage 2/2 Root/Lab soaking until");
    expect(readState(file).stages.map((s) => s.status)).toEqual(["passed", "attached"]);

    ageState(file, 3 * 60);
    const done = await cli("rollout", "--resume", file, "--no-wait");
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("rollout finished: 2 stages passed");
    const finished = readFileSync(file, "utf8");
    const again = await cli("rollout", "--resume", file);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("every stage has passed: nothing to do");
    expect(readFileSync(file, "utf8")).toBe(finished);
    const scps = await snapshotScps(moto.endpoint);
    expect(byName(scps, "orgwarden-require-mfa")?.targets).toEqual(
      expect.arrayContaining([ou("Root/Dev"), ou("Root/Lab")]),
    );
  });

  it("--soak 0s waits for nothing: each stage attached and passed in one run; --output json prints the final state", async () => {
    const file = join(dir, "fast.json");
    const res = await start(file, ["Root/Fast"], "--soak", "0s", "--yes", "--output", "json");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain("stage 1/1 Root/Fast: soak passed");
    const printed = JSON.parse(res.stdout) as RolloutState;
    expect(printed.stages[0]?.status).toBe("passed");
    expect(printed).toEqual(readState(file));
  });

  it("a changed template goes beside the policy other targets use, under its own name; the old variant leaves a stage only after its soak", async () => {
    const applied = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Old"),
      "--policy",
      "require-mfa",
      "--regions",
      "us-east-1",
      "--verify-with-aws",
      "off",
      "--yes",
    );
    expect(applied.code, applied.stderr).toBe(0);
    const before = byName(await snapshotScps(moto.endpoint), "orgwarden-require-mfa");
    // The next version of the template: one more self-service action left to users without MFA.
    const library = join(dir, "library-v2");
    mkdirSync(library);
    const template = JSON.parse(readFileSync(join(REPO_ROOT, "scp/require-mfa.json"), "utf8"));
    template.document.Statement[0].NotAction.push("iam:ListAccessKeys");
    writeFileSync(join(library, "require-mfa.json"), JSON.stringify(template, null, 2));

    const file = join(dir, "old-new.json");
    const res = await start(
      file,
      ["Root/Old", "Root/New"],
      "--policy-dir",
      library,
      "--soak",
      "1h",
      "--yes",
      "--no-wait",
    );
    expect(res.code, res.stderr).toBe(0);
    const state = readState(file);
    const revision = `orgwarden-require-mfa-r${state.policies[0]?.sha256.slice(0, 8)}`;
    expect(res.stdout).toContain(`+ create ${revision}`);
    expect(res.stdout).not.toContain("~ update orgwarden-require-mfa");
    expect(res.stdout).toContain(
      `kept attached until the soak passes, then detached: orgwarden-require-mfa (${before?.id})`,
    );
    let scps = await snapshotScps(moto.endpoint);
    expect(byName(scps, "orgwarden-require-mfa")?.content).toBe(before?.content);
    expect(byName(scps, "orgwarden-require-mfa")?.targets).toContain(ou("Root/Old"));
    expect(byName(scps, revision)?.targets).toEqual([ou("Root/Old")]);
    expect(byName(scps, revision)?.content).toContain("iam:ListAccessKeys");

    ageState(file, 2 * 60);
    const next = await cli("rollout", "--resume", file, "--yes", "--no-wait");
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(
      `stage 1/2 Root/Old: soak passed; detached orgwarden-require-mfa (${before?.id})`,
    );
    scps = await snapshotScps(moto.endpoint);
    expect(byName(scps, "orgwarden-require-mfa")?.targets ?? []).not.toContain(ou("Root/Old"));
    expect(byName(scps, "orgwarden-require-mfa")?.content).toBe(before?.content);
    expect(byName(scps, revision)?.targets.sort()).toEqual([ou("Root/New"), ou("Root/Old")].sort());
  });

  it("a stage whose policy is on the target already is soaked from now, not passed at once", async () => {
    const applied = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Pre"),
      "--policy",
      "require-mfa",
      "--regions",
      "us-east-1",
      "--verify-with-aws",
      "off",
      "--yes",
    );
    expect(applied.code, applied.stderr).toBe(0);
    const id = byName(await snapshotScps(moto.endpoint), "orgwarden-require-mfa")?.id;
    const file = join(dir, "pre.json");
    const res = await start(file, ["Root/Pre"], "--soak", "1h", "--yes", "--no-wait");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `stage 1/1 Root/Pre: orgwarden-require-mfa (${id}) on the target already; soaked from now, until`,
    );
    const [stage] = readState(file).stages;
    expect(stage?.status).toBe("attached");
    expect(stage?.attached.map((a) => a.id)).toEqual([id]);
    expect(Date.parse(stage?.soakUntil ?? "") - Date.parse(stage?.attachedAt ?? "")).toBe(60 * MINUTE);
  });

  it("without a terminal and without --yes: the plan is shown and refused (exit 2), nothing attached; a file that is no state: exit 2", async () => {
    const file = join(dir, "quiet.json");
    const before = await snapshotScps(moto.endpoint);
    const res = await start(file, ["Root/Quiet"], "--soak", "1h");
    expect(res.code).toBe(2);
    expect(res.stdout).toContain("Plan: apply SCPs to");
    expect(res.stderr).toContain("pass --yes");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
    expect(readState(file).stages[0]?.status).toBe("pending");

    const garbage = join(dir, "garbage.json");
    writeFileSync(garbage, '{"stages": "none"}');
    const bad = await cli("rollout", "--resume", garbage);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${garbage} is not an orgwarden rollout state file`);
    const mixed = await cli("rollout", "--resume", file, "--stages", "Root/Prod");
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("--stages cannot change it");
  });

  it("orgwarden run starts the rollout: section and resumes it on the next run, never waiting; its summary has a rollout line", async () => {
    // No rollout.state: the state lives in report.outputDir, the folder a scheduled job keeps.
    const reports = join(dir, "scheduled-reports");
    const state = join(reports, "orgwarden-rollout.json");
    const config = join(dir, "scheduled.yaml");
    writeFileSync(
      config,
      stringify({
        connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: moto.endpoint },
        verifyWithAws: "off",
        report: { outputDir: reports },
        rollout: { policies: ["require-mfa"], stages: ["Root/Sched"], soak: "1h" },
      }),
    );
    const first = await runCli(["run", "--config", config, "--no-report"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`rollout ${state}: stage 1/1 Root/Sched attached, soaking until`),
    );
    expect(existsSync(state)).toBe(true);
    // The section changed while its rollout is unfinished: refused before any write, saying what changed.
    const section = { policies: ["require-mfa"], stages: ["Root/Sched"], soak: "1h" };
    const write = (rollout: object) =>
      writeFileSync(
        config,
        stringify({
          connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: moto.endpoint },
          verifyWithAws: "off",
          report: { outputDir: reports },
          rollout,
        }),
      );
    write({ ...section, soak: "2h", maxNewDenials: 5 });
    const changed = await runCli(["run", "--config", config, "--no-report"]);
    expect(changed.code).toBe(2);
    expect(changed.stdout + changed.stderr).toContain(
      "started with other settings than the config's: soak 3600000 → 7200000; maxNewDenials 0 → 5",
    );
    write(section);
    ageState(state, 2 * 60);
    const second = await runCli(["run", "--config", config, "--no-report"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`rollout ${state}: finished: 1 stage passed`);
  });
});
