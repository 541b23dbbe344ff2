import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ScaleStandIn, startScaleStandIn } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cliEntryPoint, REPO_ROOT } from "./support/run-cli.js";
import { spawnCapture } from "./support/spawn-capture.js";

// The scheduled template's sharded run, step by step as its state machine runs the container:
// changes once, N report shards, the merge. The `aws` CLI is a stub that maps s3:// to a folder.
let standIn: ScaleStandIn;
const work = mkdtempSync(join(tmpdir(), "orgwarden-sharded-"));
const s3 = join(work, "s3");
const bin = join(work, "bin");
const ACCOUNTS = 120;

beforeAll(async () => {
  standIn = await startScaleStandIn({ accounts: ACCOUNTS, latencyMs: 5 });
  mkdirSync(join(s3, "config"), { recursive: true });
  mkdirSync(bin, { recursive: true });
  // aws s3 cp SRC DST [--recursive] [--only-show-errors], with s3://X read as <s3>/X.
  writeFileSync(
    join(bin, "aws"),
    `#!/bin/sh
[ "$1" = s3 ] && [ "$2" = cp ] || exit 64
src=$(echo "$3" | sed "s#^s3://#${s3}/#"); dst=$(echo "$4" | sed "s#^s3://#${s3}/#")
case " $* " in
  *" --recursive "*) mkdir -p "$dst" && cp -R "$src"/. "$dst" ;;
  *) case "$dst" in */) mkdir -p "$dst" ;; *) mkdir -p "$(dirname "$dst")" ;; esac; cp "$src" "$dst" ;;
esac
`,
  );
  chmodSync(join(bin, "aws"), 0o755);
  writeFileSync(
    join(s3, "config", "orgwarden.yaml"),
    [
      "connection:",
      "  region: us-east-1",
      "  regions: [us-east-1]",
      `  endpointUrl: ${standIn.endpoint}`,
      "  organizationsRate: 200",
      "report:",
      "  sources: [check, scp]",
      "  formats: [csv]",
      `  outputDir: ${join(work, "reports")}`,
    ].join("\n"),
  );
});
afterAll(() => standIn.stop());

/**
 * Lines of a task's log (orgwarden's JSON lines on stderr) that the template's RunFinishedMetric
 * filter matches. It evaluates the one form the template uses, `{ $.field = "value" }`, as CloudWatch
 * Logs does for JSON log events: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
function runsFinished(stderr: string): number {
  const template = parse(readFileSync(join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml"), "utf8"));
  const pattern = template.Resources.RunFinishedMetric.Properties.FilterPattern as string;
  const m = /^\{ \$\.(\w+) = "([^"]*)" \}$/.exec(pattern);
  if (!m) throw new Error(`the test evaluates { $.field = "value" } only, not ${pattern}`);
  const [, field, value] = m;
  return stderr.split("\n").filter((line) => {
    try {
      return (JSON.parse(line) as Record<string, unknown>)[field as string] === value;
    } catch {
      return false;
    }
  }).length;
}

/** The entrypoint of the scheduled image; each task of a run has its own disk (`env` moves its files). */
function container(command: string[], env: Record<string, string> = {}) {
  return spawnCapture("sh", [join(REPO_ROOT, "deploy/entrypoint.sh"), ...command], {
    cwd: work,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: work,
      AWS_ACCESS_KEY_ID: "AKIAOPERATORSTANDIN0",
      AWS_SECRET_ACCESS_KEY: "standin",
      AWS_REGION: "us-east-1",
      ORGWARDEN_BIN: cliEntryPoint(),
      ORGWARDEN_CONFIG_S3_URI: "s3://config/orgwarden.yaml",
      ORGWARDEN_CONFIG_FILE: join(work, "orgwarden.yaml"),
      ORGWARDEN_REPORTS_DIR: join(work, "reports"),
      ORGWARDEN_REPORT_BUCKET: "bucket",
      ORGWARDEN_RUN_ID: "execution-1",
      ...env,
    },
    timeoutMs: 280_000,
  });
}

describe("the sharded scheduled run (ReportShards > 1)", () => {
  it("changes once, three shards side by side, one merged report in reports/ with every account once", async () => {
    const changes = await container(["changes"]);
    expect(changes.code, changes.stderr).toBe(0);
    expect(changes.stdout).not.toContain("report:");
    // The missed-run alarm counts the lines the template's metric filter matches: one per task.
    expect(runsFinished(changes.stderr)).toBe(1);

    // Side by side as ECS runs them: each task downloads the config to its own disk (here its own
    // file: one task's download never truncates the file another is reading).
    const shards = await Promise.all(
      [1, 2, 3].map((k) =>
        container(["shard", String(k), "3"], { ORGWARDEN_CONFIG_FILE: join(work, `orgwarden-${k}.yaml`) }),
      ),
    );
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    for (const r of shards) expect(runsFinished(r.stderr)).toBe(1);
    expect(readdirSync(join(s3, "bucket/shards/execution-1")).sort()).toEqual([
      "shard-1-of-3.json",
      "shard-2-of-3.json",
      "shard-3-of-3.json",
    ]);

    const merge = await container(["merge", "3"]);
    expect(merge.code, merge.stderr).toBe(0);
    const reports = readdirSync(join(s3, "bucket/reports"));
    for (const f of ["latest.csv", "latest.json", "latest.html"]) expect(reports).toContain(f);
    const merged = JSON.parse(readFileSync(join(s3, "bucket/reports/latest.json"), "utf8")) as {
      rows: Array<{ accountId: string }>;
    };
    expect(new Set(merged.rows.map((r) => r.accountId)).size).toBe(ACCOUNTS + 1);
  }, 300_000);

  it("a merge with a shard missing fails and writes no report", async () => {
    const lone = await container(["shard", "1", "2"]);
    expect(lone.code, lone.stderr).toBe(0);
    const r = spawnSync("sh", [join(REPO_ROOT, "deploy/entrypoint.sh"), "merge", "2"], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        ORGWARDEN_BIN: cliEntryPoint(),
        ORGWARDEN_CONFIG_S3_URI: "s3://config/orgwarden.yaml",
        ORGWARDEN_CONFIG_FILE: join(work, "orgwarden.yaml"),
        ORGWARDEN_REPORTS_DIR: join(work, "reports-missing"),
        ORGWARDEN_REPORT_BUCKET: "bucket",
        ORGWARDEN_RUN_ID: "execution-1",
      },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing shard 2/2");
    expect(existsSync(join(work, "reports-missing", "latest.csv"))).toBe(false);
  });

  it("the template's state machine runs those steps: changes, a Map of ReportShards shard tasks, the merge", () => {
    const template = parse(readFileSync(join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml"), "utf8"));
    const [text, vars] = template.Resources.ShardedRun.Properties.DefinitionString["Fn::Sub"] as [
      string,
      object,
    ];
    expect(Object.keys(vars).sort()).toEqual(["ClusterArn", "Subnets"]);
    const definition = JSON.parse(text.replaceAll("${ReportShards}", "4").replace(/\$\{[A-Za-z:]+\}/g, "x"));
    interface State {
      Type: string;
      MaxConcurrency?: number;
      Parameters: Record<string, unknown> & {
        Overrides: { ContainerOverrides: Array<Record<string, unknown>> };
      };
      ItemProcessor: { States: Record<string, State> };
    }
    const states = definition.States as Record<string, State>;
    const state = (name: string, within = states) => within[name] as State;
    const command = (s: State) => s.Parameters.Overrides.ContainerOverrides[0] ?? {};
    expect(command(state("Changes")).Command).toEqual(["changes"]);
    expect(state("ShardList").Parameters["indexes.$"]).toBe("States.ArrayRange(1, 4, 1)");
    expect(state("Report").Type).toBe("Map");
    expect(state("Report").MaxConcurrency).toBe(4);
    expect(command(state("Shard", state("Report").ItemProcessor.States))["Command.$"]).toContain("'shard'");
    expect(command(state("Merge")).Command).toEqual(["merge", "4"]);
    // The schedule starts the state machine when sharded, the task otherwise.
    expect(template.Resources.Schedule.Properties.Target.Arn["Fn::If"][0]).toBe("Sharded");
  });
});
