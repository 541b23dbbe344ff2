import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttachPolicyCommand, CreatePolicyCommand, UpdatePolicyCommand } from "@aws-sdk/client-organizations";
import { planDocumentSchema } from "@orgwarden/cli";
import { orgClient } from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { TEST_ENV } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { cliEntryPoint, REPO_ROOT } from "./support/run-cli.js";

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: {
    Root: 1,
    "Root/Workloads": 1,
    "Root/Workloads/Prod": 2,
    "Root/Workloads/Prod/Payments": 2,
    "Root/Sandbox": 2,
    "Root/Full": 1,
  },
});

async function createForeignScp(name: string, tags: Array<{ Key: string; Value: string }> = []) {
  const client = orgClient(moto.endpoint);
  const out = await client.send(
    new CreatePolicyCommand({
      Name: name,
      Description: "not orgwarden's",
      Type: "SERVICE_CONTROL_POLICY",
      Content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "ec2:RunInstances", Resource: "*" }],
      }),
      Tags: tags,
    }),
  );
  client.destroy();
  return out.Policy?.PolicySummary?.Id as string;
}

async function attach(policyId: string, targetId: string) {
  const client = orgClient(moto.endpoint);
  await client.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
  client.destroy();
}

describe("orgwarden apply-scp / detach-scp", () => {
  it("without a terminal and without --yes: shows the plan, refuses (exit 2), changes nothing", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads/Prod/Payments"));
    expect(res.code).toBe(2);
    expect(res.stdout).toContain("+ create orgwarden-require-mfa");
    expect(res.stderr).toContain("pass --yes");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("--dry-run prints the plan with sizes, attachment count and lockout matrix, and changes nothing", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads/Prod/Payments"), "--dry-run");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("+ enable the SERVICE_CONTROL_POLICY type on the root");
    expect(res.stdout).toMatch(/orgwarden-require-mfa: \d+ \/ 5120 characters/);
    expect(res.stdout).toContain("SCPs attached directly to the target: 1 now → 3 after (limit 10)");
    expect(res.stdout).toMatch(
      /orgwarden's role \(OrganizationAccountAccessRole\) without MFA\s+ALLOW\s+ALLOW/,
    );
    expect(res.stdout).toMatch(/IAM user without MFA calling s3:ListAllMyBuckets\s+DENY\s+DENY/);
    expect(res.stdout).toContain("Dry run: nothing was changed.");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("applies to a nested OU: creates tagged, minified policies and attaches them", async () => {
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads/Prod/Payments"), "--yes");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Done: apply 5 changes to OU Root/Workloads/Prod/Payments");
    const snap = await snapshotScps(moto.endpoint);
    for (const name of ["orgwarden-require-mfa", "orgwarden-deny-root-user"]) {
      const p = byName(snap, name);
      expect(p?.tags).toMatchObject({ "managed-by": "orgwarden", "orgwarden:variant": "default" });
      expect(p?.targets).toEqual([ou("Root/Workloads/Prod/Payments")]);
      expect(p?.content).not.toMatch(/\n| {2}/);
    }
    const shown = await cli("scp", "show", "require-mfa", "--minified");
    expect(byName(snap, "orgwarden-require-mfa")?.content).toBe(shown.stdout.trim());
  });

  it("a second apply changes nothing and keeps the same policy ids", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads/Prod/Payments"), "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("= orgwarden-require-mfa: nothing to do");
    expect(res.stdout).toContain("Nothing to do.");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("repairs a managed policy whose content drifted, reusing the same policy", async () => {
    const before = await snapshotScps(moto.endpoint);
    const policy = byName(before, "orgwarden-deny-root-user");
    const client = orgClient(moto.endpoint);
    await client.send(
      new UpdatePolicyCommand({
        PolicyId: policy?.id,
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }],
        }),
      }),
    );
    client.destroy();
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads/Prod/Payments"), "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`~ update orgwarden-deny-root-user (${policy?.id}): its content drifted`);
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("accepts an account id as the target and reuses the existing managed policies", async () => {
    const account = org.accounts.find((a) => a.ouPath === "Root/Sandbox") as { id: string };
    const res = await cli("apply-scp", "--ou", account.id, "--policy", "deny-root-user", "--yes");
    expect(res.code).toBe(0);
    const snap = await snapshotScps(moto.endpoint);
    expect(byName(snap, "orgwarden-deny-root-user")?.targets).toContain(account.id);
    expect(snap.filter((p) => p.name === "orgwarden-deny-root-user")).toHaveLength(1);
  });

  it("detach removes only orgwarden's policies and leaves a foreign SCP untouched", async () => {
    const target = ou("Root/Workloads/Prod/Payments");
    const foreign = await createForeignScp("team-deny-ec2");
    await attach(foreign, target);
    const res = await cli("detach-scp", "--ou", target, "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("- detach orgwarden-require-mfa");
    expect(res.stdout).toContain("- detach orgwarden-deny-root-user");
    expect(res.stdout).not.toContain("team-deny-ec2 (");
    const snap = await snapshotScps(moto.endpoint);
    expect(byName(snap, "team-deny-ec2")?.targets).toEqual([target]);
    expect(byName(snap, "orgwarden-require-mfa")?.targets).toEqual([]);
    expect(byName(snap, "FullAWSAccess")?.targets).toContain(target);
    const again = await cli("detach-scp", "--ou", target, "--policy", "require-mfa", "--yes");
    expect(again.stdout).toContain("nothing to do (not attached to the target)");
  });

  it("refuses a same-named policy that orgwarden does not manage", async () => {
    await createForeignScp("orgwarden-deny-leave-organization");
    const before = await snapshotScps(moto.endpoint);
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "deny-leave-organization",
      "--yes",
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("is not tagged managed-by=orgwarden: orgwarden does not touch it");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("a non-existent OU exits 2 and changes nothing", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", "ou-zzzz-zzzzzzzz", "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("ou-zzzz-zzzzzzzz");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("an OU at its attachment limit exits 2 and changes nothing; a raised quota lets it through", async () => {
    const target = ou("Root/Full");
    for (let i = 1; i <= 8; i++) await attach(await createForeignScp(`full-${i}`), target);
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", target, "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("has 9 SCPs attached directly");
    expect(res.stderr).toContain("over the limit of 10");
    expect(res.stderr).toContain("--max-scps-per-target");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
    const raised = await cli("apply-scp", "--ou", target, "--yes", "--max-scps-per-target", "12");
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain("9 now → 11 after (limit 12)");
  });

  it("a policy over the size quota exits 2 before any write", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--yes", "--max-scp-size", "200");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /orgwarden-require-mfa is \d+ characters minified, over the SCP size quota of 200/,
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("refuses the root without --allow-root", async () => {
    const res = await cli("apply-scp", "--ou", org.rootId, "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--allow-root");
    const dry = await cli("apply-scp", "--ou", org.rootId, "--allow-root", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("SCPs do not affect the management account 123456789012");
  });

  it("refuses (exit 2, nothing changed) a deliberately unscoped MFA policy that would lock out orgwarden's role", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-scp-"));
    const base = JSON.parse(readFileSync(join(REPO_ROOT, "scp/require-mfa.json"), "utf8"));
    delete base.document.Statement[0].Condition.ArnLike;
    delete base.document.Statement[0].Condition.ArnNotLike;
    writeFileSync(join(dir, "require-mfa.json"), JSON.stringify(base));
    const before = await snapshotScps(moto.endpoint);
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "require-mfa",
      "--policy-dir",
      dir,
      "--yes",
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("refusing to apply");
    expect(res.stderr).toContain("orgwarden's role (OrganizationAccountAccessRole) without MFA → DENY");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);

    // CI sees which probe refused: the plan document with why=refused and every blocking finding.
    const json = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "require-mfa",
      "--policy-dir",
      dir,
      "--yes",
      "--output",
      "json",
    );
    expect(json.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(json.stdout));
    expect(doc).toMatchObject({
      command: "apply-scp",
      target: { kind: "ou", id: ou("Root/Sandbox"), path: "Root/Sandbox" },
      result: { applied: false, why: "refused", refusal: { code: "LOCKOUT_RISK" } },
    });
    const blocking = doc.lockout?.probes.filter((p) => p.blocking) ?? [];
    expect(blocking.length).toBeGreaterThan(0);
    // The policy may exist already (attached elsewhere by the tests above): then the regressions
    // on those other targets are findings too.
    const findings = doc.result.refusal?.findings ?? [];
    expect(findings.filter((f) => f.check !== "shared-policy").length).toBe(blocking.length);
    expect(findings.filter((f) => f.check === "lockout")).toEqual(
      blocking.map((b) => ({
        check: "lockout",
        target: doc.lockout?.path,
        label: b.label,
        decision: b.decision,
        detail: b.detail,
      })),
    );
    expect(doc.result.refusal?.findings).toContainEqual(
      expect.objectContaining({
        label: "orgwarden's role (OrganizationAccountAccessRole) without MFA",
        decision: "DENY",
      }),
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("checks the SCPs attached below the OU too: one account whose own SCP would lock out orgwarden refuses the plan", async () => {
    const account = org.accounts.find((a) => a.ouPath === "Root/Workloads") as { id: string };
    const client = orgClient(moto.endpoint);
    const out = await client.send(
      new CreatePolicyCommand({
        Name: "legacy-config-lock",
        Description: "denies Config changes without MFA to everyone",
        Type: "SERVICE_CONTROL_POLICY",
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Deny",
              Action: "config:PutConfigRule",
              Resource: "*",
              Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
          ],
        }),
      }),
    );
    await client.send(
      new AttachPolicyCommand({ PolicyId: out.Policy?.PolicySummary?.Id, TargetId: account.id }),
    );
    client.destroy();
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--yes");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("legacy-config-lock");
    expect(res.stderr).toMatch(new RegExp(`in 1 of \\d+ accounts \\(e\\.g\\. ${account.id}\\)`));
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("--output json: a refusal before any plan (unknown OU, a quota) still prints the document, why=refused", async () => {
    const before = await snapshotScps(moto.endpoint);
    const missing = await cli("apply-scp", "--ou", "ou-zzzz-zzzzzzzz", "--yes", "--output", "json");
    expect(missing.code).toBe(2);
    expect(planDocumentSchema.parse(JSON.parse(missing.stdout))).toMatchObject({
      target: null,
      steps: [],
      result: {
        why: "refused",
        refusal: {
          code: "NOT_FOUND",
          findings: [{ check: "not-found", detail: expect.stringContaining("ou-zzzz") }],
        },
      },
    });
    const big = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--yes",
      "--max-scp-size",
      "200",
      "--output",
      "json",
    );
    expect(big.code).toBe(2);
    expect(planDocumentSchema.parse(JSON.parse(big.stdout)).result).toMatchObject({
      why: "refused",
      refusal: {
        code: "QUOTA_EXCEEDED",
        hint: expect.stringContaining("--max-scp-size"),
        findings: [
          { check: "quota-exceeded", detail: expect.stringContaining("over the SCP size quota of 200") },
        ],
      },
    });
    const detach = await cli("detach-scp", "--ou", "Root/Nowhere", "--output", "json");
    expect(detach.code).toBe(2);
    expect(planDocumentSchema.parse(JSON.parse(detach.stdout))).toMatchObject({
      command: "detach-scp",
      result: { why: "refused", refusal: { code: "NOT_FOUND" } },
    });
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("--output json without --yes off a terminal: the whole plan, why=refused by the confirmation (exit 2)", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", ou("Root/Sandbox"), "--output", "json");
    expect(res.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc.changes).toBeGreaterThan(0);
    expect(doc.steps.map((s) => s.kind)).toContain("attach-policy");
    expect(doc.result).toMatchObject({
      applied: false,
      why: "refused",
      refusal: {
        code: "REFUSED",
        findings: [{ check: "confirmation", detail: expect.stringContaining("without confirmation") }],
      },
    });
    expect(res.stderr).toContain("pass --yes");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("scp list shows every policy with its size against the quota", async () => {
    const res = await cli("scp", "list", "--output", "table");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/require-mfa\s+\d+ \/ 5120\s+Denies IAM users/);
    expect(res.stdout).toMatch(/restrict-source-ip\s+not renderable: .*--allowed-cidr/);
  });

  it("scp list --output json and csv give the same entries for scripts; piped, JSON is the default", async () => {
    const json = await cli("scp", "list", "--output", "json");
    expect(json.code, json.stderr).toBe(0);
    const entries = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(entries.find((e) => e.name === "require-mfa")).toMatchObject({
      maxSize: 5120,
      notRenderable: null,
    });
    expect(entries.find((e) => e.name === "restrict-source-ip")).toMatchObject({ size: null });
    const piped = await cli("scp", "list");
    expect(JSON.parse(piped.stdout)).toEqual(entries);
    const csv = await cli("scp", "list", "--output", "csv");
    expect(csv.stdout.split("\r\n")[0]).toBe("name,size,max_size,not_renderable,description");
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(entries.length + 1);
    const bad = await cli("scp", "list", "--output", "yaml");
    expect(bad.code).toBe(2);
  });
});

/**
 * An endpoint in front of moto that never answers one Organizations operation: the CLI is then
 * stopped with that call in flight, as when Ctrl-C comes while CreatePolicy is on the wire.
 */
async function holdingEndpoint(
  operation: string,
): Promise<{ endpoint: string; held: Promise<void>; server: Server }> {
  let onHeld: () => void = () => {};
  const held = new Promise<void>((r) => {
    onHeld = r;
  });
  const target = new URL(moto.endpoint);
  const server = createServer((req, res) => {
    if (req.headers["x-amz-target"] === `AWSOrganizationsV20161128.${operation}`) {
      req.resume();
      onHeld();
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, held, server };
}

/** The CLI on a pseudo-terminal (script(1)): stdin, stdout and stderr are a terminal, as in a shell. */
function onTerminal(args: string[]) {
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const child = spawn(
    "script",
    ["-qefc", [process.execPath, cliEntryPoint(), ...args].map(quote).join(" "), "/dev/null"],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "dumb", ...TEST_ENV },
    },
  );
  let screen = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.on("data", (d: Buffer) => {
    screen += d.toString();
    for (const w of waiters.filter((x) => screen.includes(x.text))) w.resolve();
  });
  return {
    child,
    screen: () => screen,
    shows: (text: string) =>
      screen.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ text, resolve })),
    exit: new Promise<number | null>((r) => child.on("close", r)),
  };
}

describe("interrupted", () => {
  it("Ctrl-C at the [y/N] prompt: exit 130, 'nothing was changed', no stack trace", async () => {
    const before = await snapshotScps(moto.endpoint);
    const term = onTerminal([
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "deny-root-access-keys",
      "--endpoint-url",
      moto.endpoint,
    ]);
    await term.shows("[y/N]");
    term.child.stdin.write("\u0003");
    expect(await term.exit, term.screen()).toBe(130);
    expect(term.screen()).toContain("orgwarden: interrupted by SIGINT: nothing was changed.");
    expect(term.screen()).not.toMatch(/\n\s+at |AbortError|orgwarden: cancelled/);
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("Ctrl-C during an apply names the step in flight (it may have reached AWS) and the steps done; exit 130", async () => {
    const gate = await holdingEndpoint("CreatePolicy");
    const child = spawn(
      process.execPath,
      [
        cliEntryPoint(),
        "apply-scp",
        "--ou",
        ou("Root/Sandbox"),
        "--policy",
        "deny-root-access-keys",
        "--yes",
        "--endpoint-url",
        gate.endpoint,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV } },
    );
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    const exit = new Promise<number | null>((r) => child.on("close", r));
    await gate.held;
    child.kill("SIGINT");
    expect(await exit, stderr).toBe(130);
    gate.server.closeAllConnections();
    gate.server.close();
    expect(stderr).toMatch(
      /orgwarden: interrupted by SIGINT during: \+ create orgwarden-deny-root-access-keys\S* \(tagged managed-by=orgwarden\) — it may have reached AWS: orgwarden-deny-root-access-keys\S* may exist, attached nowhere: `orgwarden scp status` lists it/,
    );
    // Whatever was done before it is listed, as it was reported.
    const done = stdout.split("\n").filter((l) => /^\[\d+\/\d+\] done: /.test(l));
    if (done.length > 0)
      expect(stderr).toContain(`  done before it:\n${done.map((d) => `    ${d}`).join("\n")}`);
    else expect(stderr).toContain("nothing was done before it.");
    expect(stderr).toContain("run the same command again to finish");
    expect(stderr).not.toContain("nothing was changed");
  });
});
