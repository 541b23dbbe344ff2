import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListPoliciesCommand } from "@aws-sdk/client-organizations";
import { planDocumentSchema } from "@orgwarden/cli";
import {
  type AwsProxy,
  EMULATOR_CREDENTIALS,
  freePort,
  orgClient,
  startAwsProxy,
  startRecorder,
} from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TEST_ENV } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { cliEntryPoint, REPO_ROOT, runCli } from "./support/run-cli.js";

/** Conventions a user of the AWS CLI expects, and errors that say what to do (the real binary). */
let proxy: AwsProxy;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cli-"));
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI styles start with ESC.
const ANSI = /\u001b\[\d+m/;

const { moto, org } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 2, "Root/Workloads/Prod": 1, "Root/Sandbox": 2 },
});
beforeAll(async () => {
  for (const a of org.accounts.filter((x) => x.ouPath.startsWith("Root/Workloads")))
    await startRecorder(moto.endpoint, a.id);
  proxy = await startAwsProxy({ target: moto.endpoint });
});
afterAll(async () => {
  await proxy?.stop();
});

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { env: { AWS_ENDPOINT_URL: proxy.endpoint, ...env } });
const writes = () =>
  [...proxy.requests]
    .filter(([a]) => /^(Create|Update|Put|Delete|Attach|Detach|Enable|Tag)/.test(a))
    .reduce((n, [, c]) => n + c, 0);

/** One line and a hint, no stack trace. */
function expectOneError(stderr: string, message: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("errors that say what happened and what to do", () => {
  it("nothing listening at the endpoint: the service and the endpoint are named (exit 1)", async () => {
    const port = await freePort();
    const res = await cli(["accounts", "--max-attempts", "1"], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    expect(res.code).toBe(1);
    expectOneError(
      res.stderr,
      new RegExp(`cannot reach Organizations at http://127.0.0.1:${port}: nothing is listening there`),
    );
  });

  it("a host name that does not resolve", async () => {
    const res = await cli(["accounts", "--max-attempts", "1"], {
      AWS_ENDPOINT_URL: "http://orgwarden.invalid:8080",
    });
    expect(res.code).toBe(1);
    expectOneError(
      res.stderr,
      /cannot reach Organizations at http:\/\/orgwarden\.invalid:8080: its host name does not resolve/,
    );
  });

  it("a TLS failure (https to a plain HTTP server)", async () => {
    const res = await cli(["accounts", "--max-attempts", "1"], {
      AWS_ENDPOINT_URL: proxy.endpoint.replace("http:", "https:"),
    });
    expect(res.code).toBe(1);
    expectOneError(
      res.stderr,
      /cannot reach Organizations at https:\/\/127\.0\.0\.1:\d+: the TLS handshake failed/,
    );
  });

  it("a timeout: an endpoint that accepts and never answers", async () => {
    const silent: TcpServer = createTcpServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const res = await cli(["accounts", "--max-attempts", "1", "--request-timeout", "0.5"], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    silent.close();
    expect(res.code).toBe(1);
    expectOneError(
      res.stderr,
      /cannot reach Organizations at http:\/\/127\.0\.0\.1:\d+: no answer within 0\.5 s/,
    );
  });

  it("an unknown profile is named with the files searched; keys in the environment win without a warning wall", async () => {
    const config = join(dir, "aws-config");
    writeFileSync(config, "[profile other]\nregion = eu-west-1\n");
    const env = {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: "nosuch",
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
    };
    const res = await cli(["accounts"], env);
    expect(res.code).toBe(1);
    expectOneError(
      res.stderr,
      new RegExp(`the AWS profile "nosuch" is in neither ${config} nor ${join(dir, "no-credentials")}`),
    );
    // As the AWS CLI: keys in the environment are used before AWS_PROFILE.
    const both = await cli(["accounts", "--output", "json"], {
      ...env,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    });
    expect(both.code, both.stderr).toBe(0);
    expect(both.stderr).toBe("");
  });

  it("no credentials anywhere: where orgwarden looked and how to sign in, not the SDK's 'Could not load credentials'", async () => {
    const res = await cli(["accounts", "--max-attempts", "1"], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
    });
    expect(res.code).toBe(1);
    expectOneError(res.stderr, /^orgwarden: no AWS credentials found: none in the environment/);
    expect(res.stderr).toContain("aws sso login --profile NAME");
    expect(res.stderr).not.toContain("Could not load credentials");
  });

  it("a numeric flag that is not a number names the flag and the value (exit 2), not zod's 'received NaN'", async () => {
    const res = await cli(["accounts", "--concurrency", "abc"]);
    expect(res.code).toBe(2);
    expectOneError(
      res.stderr,
      /^orgwarden: invalid option: --concurrency must be a whole number from 1 to 256, got 'abc'$/,
    );
    expect(res.stderr).not.toContain("NaN");
  });

  it("files that cannot be read: what happened in words (no such file, a folder), not Node's ENOENT/EISDIR text", async () => {
    const missing = await cli(["report", "merge", join(dir, "missing.json")]);
    expect(missing.code).toBe(2);
    expectOneError(
      missing.stderr,
      /^orgwarden: cannot read .*missing\.json: there is no such file \(ENOENT\)$/,
    );
    const folder = await cli(["report", "merge", dir]);
    expectOneError(folder.stderr, /^orgwarden: cannot read .*: it is a folder, not a file \(EISDIR\)$/);
    const config = await cli(["accounts", "--config", dir]);
    expect(config.code).toBe(2);
    expectOneError(
      config.stderr,
      /^orgwarden: cannot read the config file .*: it is a folder, not a file \(EISDIR\)$/,
    );
    for (const r of [missing, folder, config])
      expect(r.stderr).not.toMatch(/no such file or directory|illegal operation/);
  });

  it("demo without moto (and no pip to install it): the hint works where pip refuses (PEP 668): pipx or a venv", async () => {
    // A PATH with node alone: no moto_server, no python3, no pip.
    const bin = mkdtempSync(join(tmpdir(), "orgwarden-nomoto-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const res = await runCli(["demo", "--out-dir", join(dir, "demo-out")], { env: { PATH: bin } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('pipx install "moto[server]"');
    expect(res.stderr).toContain(
      'python3 -m venv ~/.venvs/moto && ~/.venvs/moto/bin/pip install "moto[server]"',
    );
    expect(res.stderr).toContain('export PATH="$HOME/.venvs/moto/bin:$PATH"');
  });

  it("--out into a path whose parent is a file: exit 2 before any AWS call", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    const before = proxy.requests.get("ListRoots") ?? 0;
    const res = await cli(["report", "--out", join(file, "report.csv")]);
    expect(res.code).toBe(2);
    expectOneError(res.stderr, /cannot write the report into .*: .*a-file is a file, not a directory/);
    expect(proxy.requests.get("ListRoots") ?? 0).toBe(before);
  });

  it("run checks report.outputDir before its first AWS write: SCPs are not attached when the report cannot be written", async () => {
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "x");
    const config = join(dir, "run.yaml");
    writeFileSync(
      config,
      stringify({
        connection: { regions: ["us-east-1"], endpointUrl: proxy.endpoint },
        scp: [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "enforce" }],
        report: { outputDir: join(file, "reports") },
      }),
    );
    const before = writes();
    const res = await cli(["run", "--config", config]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("cannot write the reports (report.outputDir)");
    expect(writes()).toBe(before);
  });

  it("a hint names what exists where the user is: allowRoot: in the config for run, --allow-root on the command line", async () => {
    const config = join(dir, "root.yaml");
    writeFileSync(
      config,
      stringify({
        connection: { regions: ["us-east-1"], endpointUrl: proxy.endpoint },
        scp: [{ ou: org.rootId, policies: ["require-mfa"], mode: "enforce" }],
        report: { outputDir: join(dir, "root-reports") },
      }),
    );
    const run = await cli(["run", "--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("set allowRoot: true in that scp: entry");
    expect(run.stderr).not.toContain("--allow-root");
    const apply = await cli(["apply-scp", "--ou", "Root", "--dry-run"]);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain("pass --allow-root");
  });

  it("the Config source on an endpoint without the compliance API: one clear ERROR reason", async () => {
    await cli(["deploy-rules", "--ou", "Root/Workloads/Prod", "--yes"]);
    const res = await cli([
      "report",
      "--source",
      "config",
      "--ou",
      "Root/Workloads/Prod",
      "--regions",
      "us-east-1",
      "--output",
      "json",
    ]);
    expect(res.code).toBe(3);
    const rows = (JSON.parse(res.stdout) as { rows: Array<{ status: string; reason: string }> }).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.status).toBe("ERROR");
      expect(r.reason).toMatch(/does not implement config:GetComplianceDetailsByConfigRule/);
      expect(r.reason).not.toMatch(/SyntaxError|Deserialization/);
    }
  });

  it("SIGINT and SIGTERM: a line on stderr, a log line, exit 130 / 143", async () => {
    // An endpoint that never answers keeps the command busy; its first request says the CLI is running.
    let requested: () => void = () => {};
    const slow: Server = createServer(() => requested());
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const started = new Promise<void>((r) => {
        requested = r;
      });
      const child = spawn(process.execPath, [cliEntryPoint(), "report", "--endpoint-url", endpoint], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV },
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      await started;
      child.kill(signal);
      const exit = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
      expect(exit).toBe(code);
      expect(stderr).toContain(
        `orgwarden: interrupted by ${signal}: stopped; no partial report was written.`,
      );
      const log = JSON.parse(stderr.trim().split("\n").at(-1) as string) as { signal: string; msg: string };
      expect(log).toMatchObject({ signal, msg: "interrupted: no partial report was written" });
    }
    slow.closeAllConnections();
    slow.close();
  });
});

describe("conventions", () => {
  it("every listing command prints JSON when piped", async () => {
    const commands = [
      ["accounts"],
      ["controls"],
      ["scp", "status"],
      ["root", "status"],
      ["report", "--source", "scp"],
      ["policies"],
    ];
    const results = await Promise.all(commands.map((args) => cli(args)));
    for (const [i, res] of results.entries()) {
      const args = commands[i] as string[];
      expect(res.code, `${args.join(" ")}: ${res.stderr}`).toBe(0);
      expect(() => JSON.parse(res.stdout), args.join(" ")).not.toThrow();
    }
  });

  it("--ou takes a path wherever it takes an id", async () => {
    const accounts = await cli(["accounts", "--ou", "Root/Workloads"]);
    expect((JSON.parse(accounts.stdout) as unknown[]).length).toBe(3);
    const apply = await cli(["apply-scp", "--ou", "Root/Workloads/Prod", "--dry-run"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain(
      `Plan: apply SCPs to OU Root/Workloads/Prod (${org.ouIds["Root/Workloads/Prod"]})`,
    );
    const missing = await cli(["report", "--ou", "Root/Nowhere"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Root holds: Sandbox, Workloads, master");
  });

  it("apply-scp, detach-scp and deploy-rules --output json: one document that validates against the plan schema", async () => {
    const plan = await cli(["apply-scp", "--ou", "Root/Workloads", "--dry-run", "--output", "json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const doc = planDocumentSchema.parse(JSON.parse(plan.stdout));
    expect(doc).toMatchObject({
      command: "apply-scp",
      target: { kind: "ou", path: "Root/Workloads" },
      result: { applied: false, why: "dry-run" },
    });
    expect(doc.steps.map((s) => s.kind)).toContain("attach-policy");
    expect(doc.lockout?.probes.every((p) => p.ok)).toBe(true);
    expect(plan.stderr).toContain("Dry run: nothing was changed.");

    const applied = planDocumentSchema.parse(
      JSON.parse(
        (
          await cli([
            "apply-scp",
            "--ou",
            "Root/Workloads",
            "--yes",
            "--output",
            "json",
            "--policy",
            "require-mfa",
          ])
        ).stdout,
      ),
    );
    expect(applied.result).toMatchObject({ applied: true, why: "applied", written: applied.changes });

    const detach = planDocumentSchema.parse(
      JSON.parse(
        (await cli(["detach-scp", "--ou", "Root/Workloads", "--dry-run", "--output", "json"])).stdout,
      ),
    );
    expect(detach).toMatchObject({ command: "detach-scp", result: { why: "dry-run" } });
    expect(detach.steps.map((s) => s.kind)).toEqual(["detach-policy"]);

    const rules = await cli(["deploy-rules", "--ou", "Root/Workloads", "--dry-run", "--output", "json"]);
    const rulesDoc = planDocumentSchema.parse(JSON.parse(rules.stdout));
    expect(rulesDoc.command).toBe("deploy-rules");
    expect(rulesDoc.steps.every((s) => s.accountId && s.region && s.rule)).toBe(true);
  });

  it("a reader that stops early (| head) ends the command quietly, without an EPIPE stack trace", async () => {
    // A report far larger than a pipe's buffer: one shard of 1 holding 3,000 accounts, merged to stdout.
    const ids = Array.from({ length: 3000 }, (_, i) => String(200_000_000_000 + i));
    const shard = join(mkdtempSync(join(tmpdir(), "orgwarden-epipe-")), "shard-1-of-1.json");
    writeFileSync(
      shard,
      JSON.stringify({
        generatedAt: "2026-11-30T10:00:00.000Z",
        organizationId: "o-abc",
        shard: { index: 1, count: 1, scope: "organization", scopeAccounts: ids.length, accounts: ids },
        rows: ids.map((id) => ({
          accountId: id,
          accountName: `account ${id}`,
          ouPath: "Root",
          control: "root-mfa",
          source: "check",
          status: "COMPLIANT",
          resourceType: "AWS::::Account",
          resourceId: id,
          reason: "root user has MFA",
          evaluatedAt: "2026-11-30T10:00:00.000Z",
          region: "",
          severity: "CRITICAL",
          frameworks: "",
        })),
      }),
    );
    const child = spawn(process.execPath, [cliEntryPoint(), "report", "merge", shard, "--output", "json"], {
      env: { PATH: process.env.PATH, ...TEST_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    // Close our end as soon as the first bytes arrive, as `head -1` does.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });

  it("docs/plan.schema.json is what `orgwarden schema plan` prints", async () => {
    const res = await cli(["schema", "plan"]);
    expect(res.stdout).toBe(readFileSync(join(REPO_ROOT, "docs/plan.schema.json"), "utf8"));
  });

  it("deploy-rules where every account is skipped exits 2 with one line saying why", async () => {
    const res = await cli(["deploy-rules", "--ou", "Root/Sandbox", "--yes"]);
    expect(res.code).toBe(2);
    expectOneError(
      res.stderr,
      /nothing can be deployed under OU Root\/Sandbox \(ou-[^)]+\): 2 accounts: no AWS Config configuration recorder here/,
    );
  });

  it("deploy-rules --output json prints the plan document for refusals too (why=refused, every finding)", async () => {
    const skipped = await cli(["deploy-rules", "--ou", "Root/Sandbox", "--yes", "--output", "json"]);
    expect(skipped.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(skipped.stdout));
    expect(doc).toMatchObject({
      command: "deploy-rules",
      target: { kind: "ou", path: "Root/Sandbox" },
      result: {
        applied: false,
        why: "refused",
        refusal: {
          code: "REFUSED",
          findings: [
            { check: "no-deployable-account", detail: expect.stringContaining("nothing can be deployed") },
          ],
        },
      },
    });
    expect(doc.steps.every((s) => s.kind === "skipped")).toBe(true);
    const unconfirmed = await cli(["deploy-rules", "--ou", "Root/Workloads", "--output", "json"]);
    expect(unconfirmed.code).toBe(2);
    const plan = planDocumentSchema.parse(JSON.parse(unconfirmed.stdout));
    expect(plan.changes).toBeGreaterThan(0);
    expect(plan.result).toMatchObject({ why: "refused", refusal: { findings: [{ check: "confirmation" }] } });
    const unknown = await cli(["deploy-rules", "--rule", "no-such-rule", "--output", "json"]);
    expect(unknown.code).toBe(2);
    expect(planDocumentSchema.parse(JSON.parse(unknown.stdout)).result).toMatchObject({
      why: "refused",
      refusal: { code: "INVALID_INPUT" },
    });
  });

  it("colour: on with FORCE_COLOR (a terminal), never when piped, --no-color or NO_COLOR", async () => {
    const args = ["apply-scp", "--ou", "Root/Sandbox", "--dry-run"];
    const [piped, forced, noColor, noColorEnv] = await Promise.all([
      cli(args),
      cli(args, { FORCE_COLOR: "1" }),
      cli([...args, "--no-color"], { FORCE_COLOR: "1" }),
      cli(args, { FORCE_COLOR: "1", NO_COLOR: "1" }),
    ]);
    expect(piped.stdout).not.toMatch(ANSI);
    expect(forced.stdout).toMatch(ANSI);
    expect(forced.stdout).toContain("\u001b[32m  + attach orgwarden-require-mfa");
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(noColorEnv.stdout).not.toMatch(ANSI);
  });

  it("-q prints only errors, -v logs each step, --debug adds the stack trace", async () => {
    const quiet = await cli(["accounts", "-q"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    const verbose = await cli(["accounts", "-v"]);
    expect(verbose.stderr).toMatch(/"level":30.*"msg":"inventory built"/);
    const port = await freePort();
    const debug = await cli(["accounts", "--debug", "--max-attempts", "1"], {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  // Every other command's help is checked in process (packages/cli/src/main.test.ts): the same text.
  it("--help, of the program and of a command, lists the global options and fits 80 columns", async () => {
    const commands = [[], ["apply-scp"]];
    const helps = await Promise.all(commands.map((c) => runCli([...c, "--help"])));
    for (const [i, res] of helps.entries()) {
      const c = commands[i] as string[];
      expect(res.code).toBe(0);
      expect(res.stdout, c.join(" ")).toContain("--profile <name>");
      expect(res.stdout, c.join(" ")).toContain("--no-color");
      const long = res.stdout.split("\n").filter((l) => l.length > 80);
      expect(long, `${c.join(" ")} --help`).toEqual([]);
    }
  });

  it("nothing was changed by the refused commands above", async () => {
    const policies = await orgClient(moto.endpoint).send(
      new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }),
    );
    // Only the one apply-scp --yes above wrote a policy.
    expect((policies.Policies ?? []).map((p) => p.Name).sort()).toEqual([
      "FullAWSAccess",
      "orgwarden-require-mfa",
    ]);
  });
});
