import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AwsProxy, startAwsProxy } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

/**
 * A `rules:` entry whose accounts can take no rule (no configuration recorder in any of them) is
 * refused by run as deploy-rules refuses it: exit 2, the same words, before any write, even when
 * an scp: entry before it would change something.
 */
// No account has a configuration recorder: every rule is skipped everywhere.
const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 1, "Root/Sandbox": 2 } });
let proxy: AwsProxy;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-undeployable-"));
const WRITE = /^(Create|Update|Put|Delete|Attach|Detach|Enable|Tag|Untag)/;

beforeAll(async () => {
  proxy = await startAwsProxy({ target: moto.endpoint });
});
afterAll(async () => {
  await proxy?.stop();
});

const writes = () => [...proxy.requests].filter(([a]) => WRITE.test(a)).reduce((n, [, c]) => n + c, 0);
const refusal =
  /^orgwarden: nothing can be deployed under OU Root\/Sandbox \(ou-[^)]+\): 2 accounts: no AWS Config configuration recorder here[^\n]*\n {2}hint: Turn on AWS Config recording/;

describe("a rules: entry that can deploy nothing", () => {
  it("run and run --dry-run refuse it as deploy-rules does: exit 2, nothing written", async () => {
    const file = join(dir, "orgwarden.yaml");
    writeFileSync(
      file,
      stringify({
        connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: proxy.endpoint },
        scp: [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "enforce" }],
        rules: [{ ou: "Root/Sandbox", rules: ["root-account-mfa-enabled"] }],
        report: { sources: ["check"], formats: ["json"], outputDir: join(dir, "reports") },
      }),
    );
    proxy.requests.clear();
    const run = await runCli(["run", "--config", file, "--log-level", "silent"]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(refusal);
    expect(writes()).toBe(0);

    const dry = await runCli(["run", "--config", file, "--dry-run", "--log-level", "silent"]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(refusal);

    const command = await runCli([
      "deploy-rules",
      "--ou",
      "Root/Sandbox",
      "--rule",
      "root-account-mfa-enabled",
      "--yes",
      "--endpoint-url",
      proxy.endpoint,
    ]);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(refusal);
    expect(writes()).toBe(0);
  });
});
