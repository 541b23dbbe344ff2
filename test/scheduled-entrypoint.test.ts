import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrgwardenError, pollUntil } from "@orgwarden/core";
import { beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * deploy/entrypoint.sh, the scheduled task's main process, with a stub `aws` (s3:// is a folder; an
 * upload can be made to fail) and a stub orgwarden (a node script exiting as told): a report that
 * cannot be uploaded fails the task; reports are uploaded when orgwarden finished them (exit 0, 3,
 * 4) and never otherwise, nor a temporary file; the last run's latest.json is there before
 * orgwarden starts; ECS's SIGTERM reaches node.
 */
const work = mkdtempSync(join(tmpdir(), "orgwarden-entrypoint-"));
const s3 = join(work, "s3");
const out = join(work, "reports");
const bin = join(work, "bin");
const fake = join(work, "fake-orgwarden.mjs");

mkdirSync(bin, { recursive: true });
writeFileSync(
  join(bin, "aws"),
  `#!/bin/sh
[ "$1" = s3 ] && [ "$2" = cp ] || exit 64
case " $* " in *" --recursive "*) [ -n "\${FAIL_UPLOAD:-}" ] && { echo "upload failed: AccessDenied" >&2; exit 1; } ;; esac
src=$(echo "$3" | sed "s#^s3://#${s3}/#"); dst=$(echo "$4" | sed "s#^s3://#${s3}/#")
[ -e "$src" ] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation" >&2; exit 1; }
case " $* " in
  *" --recursive "*)
    mkdir -p "$dst" && cp -R "$src"/. "$dst"
    # --exclude PATTERN, as the AWS CLI: those files are not copied.
    prev=""; for a in "$@"; do [ "$prev" = --exclude ] && find "$dst" -name "$a" -delete; prev="$a"; done ;;
  *) case "$dst" in */) mkdir -p "$dst" ;; *) mkdir -p "$(dirname "$dst")" ;; esac; cp "$src" "$dst" ;;
esac
`,
);
chmodSync(join(bin, "aws"), 0o755);
writeFileSync(
  fake,
  `import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const out = process.env.ORGWARDEN_REPORTS_DIR;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "saw-previous"), String(existsSync(join(out, "latest.json"))));
writeFileSync(join(out, "argv"), JSON.stringify(process.argv.slice(2)));
writeFileSync(join(out, "latest.csv"), "account_id\\n");
// What a killed orgwarden leaves: a temporary file that never got its final name.
if (process.env.FAKE_TEMP) writeFileSync(join(out, ".orgwarden-report.csv.99.ab12.orgwarden-tmp"), "account_id,acc");
const shard = process.argv.indexOf("--shard");
if (shard > 0) {
  const [k, n] = process.argv[shard + 1].split("/");
  writeFileSync(join(out, \`shard-\${k}-of-\${n}.json\`), "{}");
}
if (process.env.FAKE_WAIT) {
  process.on("SIGTERM", () => {
    writeFileSync(join(out, "got-sigterm"), "yes");
    process.exit(143);
  });
  setInterval(() => {}, 1000);
  writeFileSync(join(out, "ready"), "yes");
} else process.exit(Number(process.env.FAKE_EXIT ?? 0));
`,
);

function container(env: Record<string, string> = {}, mode: string[] = []) {
  const child = spawn("sh", [join(REPO_ROOT, "deploy/entrypoint.sh"), ...mode], {
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      ORGWARDEN_BIN: fake,
      ORGWARDEN_CONFIG_S3_URI: "s3://config/orgwarden.yaml",
      ORGWARDEN_CONFIG_FILE: join(work, "orgwarden.yaml"),
      ORGWARDEN_REPORTS_DIR: out,
      ORGWARDEN_REPORT_BUCKET: "bucket",
      ...env,
    },
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

beforeEach(() => {
  rmSync(s3, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(s3, "config"), { recursive: true });
  writeFileSync(join(s3, "config", "orgwarden.yaml"), "report: { formats: [csv] }\n");
});

describe("the scheduled task's entrypoint", () => {
  it("uploads the reports when orgwarden finished them (exit 0, 3, 4), and keeps that code", async () => {
    for (const exit of ["0", "3", "4"]) {
      rmSync(join(s3, "bucket"), { recursive: true, force: true });
      const r = await container({ FAKE_EXIT: exit }).done;
      expect(r.code, r.stderr).toBe(Number(exit));
      expect(existsSync(join(s3, "bucket/reports/latest.csv"))).toBe(true);
    }
  });

  it("uploads nothing when orgwarden did not finish (1: a full disk, 2: refused, 130), and keeps its code", async () => {
    for (const exit of ["1", "2", "130"]) {
      rmSync(join(s3, "bucket"), { recursive: true, force: true });
      const r = await container({ FAKE_EXIT: exit }).done;
      expect(r.code).toBe(Number(exit));
      expect(r.stderr).toContain(
        `orgwarden exited ${exit}: its reports are not finished; nothing was uploaded`,
      );
      expect(existsSync(join(s3, "bucket/reports"))).toBe(false);
    }
  });

  it("never uploads a temporary file, only files under their final names", async () => {
    const r = await container({ FAKE_TEMP: "1" }).done;
    expect(r.code).toBe(0);
    expect(readdirSync(join(s3, "bucket/reports")).sort()).toEqual(["argv", "latest.csv", "saw-previous"]);
  });

  it("a shard is uploaded only when orgwarden finished it", async () => {
    const ok = await container({ FAKE_EXIT: "3", ORGWARDEN_RUN_ID: "r1" }, ["shard", "2", "4"]).done;
    expect(ok.code).toBe(0);
    expect(existsSync(join(s3, "bucket/shards/r1/shard-2-of-4.json"))).toBe(true);
    const failed = await container({ FAKE_EXIT: "1", ORGWARDEN_RUN_ID: "r2" }, ["shard", "2", "4"]).done;
    expect(failed.code).toBe(1);
    expect(existsSync(join(s3, "bucket/shards/r2"))).toBe(false);
  });

  it("passes the template's member role name as --role-name", async () => {
    expect((await container({ ORGWARDEN_ROLE_NAME: "OrgwardenMemberRole" }).done).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "argv"), "utf8"))).toEqual([
      "--role-name",
      "OrgwardenMemberRole",
      "run",
      "--config",
      join(work, "orgwarden.yaml"),
    ]);
    expect((await container().done).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "argv"), "utf8"))[0]).toBe("run");
  });

  it("a failed upload fails the task (exit 1), even when orgwarden succeeded or found non-compliance", async () => {
    for (const exit of ["0", "4"]) {
      const r = await container({ FAKE_EXIT: exit, FAIL_UPLOAD: "1" }).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`could not be uploaded to s3://bucket/reports/ (orgwarden exited ${exit})`);
    }
  });

  it("puts the last run's latest.json in place before orgwarden starts; the first run goes on without", async () => {
    const first = await container().done;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("no previous report");
    expect(readFileSync(join(out, "saw-previous"), "utf8")).toBe("false");
    mkdirSync(join(s3, "bucket/reports"), { recursive: true });
    writeFileSync(join(s3, "bucket/reports/latest.json"), "{}");
    rmSync(out, { recursive: true, force: true });
    expect((await container().done).code).toBe(0);
    expect(readFileSync(join(out, "saw-previous"), "utf8")).toBe("true");
  });

  it("ECS's SIGTERM reaches node; its exit code is kept and nothing unfinished is uploaded", async () => {
    const { child, done } = container({ FAKE_WAIT: "1" });
    // Waits on the condition, not on a time: the fake orgwarden writes "ready" once it runs.
    await pollUntil(async () => (existsSync(join(out, "ready")) ? true : undefined), {
      timeoutMs: 120_000,
      firstDelayMs: 50,
      maxDelayMs: 200,
      timedOut: () => new OrgwardenError("INTERNAL", "the fake orgwarden never started in the container"),
    });
    child.kill("SIGTERM");
    const r = await done;
    expect(readFileSync(join(out, "got-sigterm"), "utf8")).toBe("yes");
    expect(r.code).toBe(143);
    expect(existsSync(join(s3, "bucket/reports"))).toBe(false);
  });
});
