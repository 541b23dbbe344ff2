import { nestedLayout, startMoto } from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

// 54 member accounts in OUs nested 3 deep under two branches, two of them suspended.
const { moto, org } = useEmulatorOrg(nestedLayout(54, 3, 2));

interface AccountJson {
  id: string;
  name: string;
  email: string;
  state: string;
  ouId: string;
  ouPath: string;
}

function accounts(...args: string[]) {
  return runCli(["accounts", "--endpoint-url", moto.endpoint, ...args]);
}

describe("orgwarden accounts", () => {
  it("lists every account with its OU id, OU path and state as JSON", async () => {
    const res = await accounts("--output", "json");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const rows = JSON.parse(res.stdout) as AccountJson[];
    expect(rows).toHaveLength(org.accounts.length + 1);
    for (const row of rows)
      expect(Object.keys(row)).toEqual(["id", "name", "email", "state", "ouId", "ouPath"]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const a of org.accounts) {
      expect(byId.get(a.id)).toEqual({
        id: a.id,
        name: a.name,
        email: a.email,
        state: a.state,
        ouId: a.ouId,
        ouPath: a.ouPath,
      });
    }
    expect(byId.get(org.managementAccountId)).toMatchObject({
      ouPath: "Root",
      ouId: org.rootId,
      state: "ACTIVE",
    });
    expect(rows.map((r) => r.ouPath)).toEqual(
      [...rows.map((r) => r.ouPath)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it("shows suspended accounts with their state", async () => {
    const rows = JSON.parse((await accounts("--output", "json")).stdout) as AccountJson[];
    const suspended = rows.filter((r) => r.state === "SUSPENDED").map((r) => r.name);
    expect(suspended.sort()).toEqual(["sandbox-l2-l3-01", "sandbox-l2-l3-02"]);
  });

  it("--ou lists the whole subtree, nested OUs included", async () => {
    const res = await accounts("--ou", org.ouIds["Root/Workloads"] as string, "--output", "json");
    expect(res.code).toBe(0);
    const rows = JSON.parse(res.stdout) as AccountJson[];
    const expected = org.accounts.filter((a) => a.ouPath.startsWith("Root/Workloads")).map((a) => a.id);
    expect(rows.map((r) => r.id).sort()).toEqual(expected.sort());
    expect(new Set(rows.map((r) => r.ouPath))).toEqual(
      new Set(["Root/Workloads", "Root/Workloads/L2", "Root/Workloads/L2/L3"]),
    );
  });

  it("an OU that does not exist exits 2 and names it", async () => {
    const res = await accounts("--ou", "ou-zzzz-zzzzzzzz");
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("ou-zzzz-zzzzzzzz");
    expect(res.stderr).toContain("hint:");
  });

  it("a malformed id and an unknown output format exit 2", async () => {
    expect((await accounts("--ou", "not-an-ou")).code).toBe(2);
    const bad = await accounts("--output", "xml");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--output must be one of table, json, csv");
  });

  it("prints an aligned table with a count", async () => {
    const res = await accounts("--output", "table", "--ou", org.ouIds["Root/Sandbox/L2/L3"] as string);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+STATE\s+OU ID\s+OU PATH$/);
    const members = org.accounts.filter((a) => a.ouPath === "Root/Sandbox/L2/L3");
    expect(lines.at(-1)).toBe(`${members.length} accounts`);
    expect(res.stdout).toMatch(/sandbox-l2-l3-01\s+sandbox-l2-l3-01@example.com\s+SUSPENDED/);
  });

  it("writes RFC 4180 CSV with a header", async () => {
    const res = await accounts("--output", "csv");
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("account_id,account_name,email,state,ou_id,ou_path");
    expect(lines).toHaveLength(org.accounts.length + 2);
  });

  it("runs from the repository root as `pnpm orgwarden`, with AWS_ENDPOINT_URL", async () => {
    const res = await runCli(["accounts", "--output", "json"], {
      viaPnpm: true,
      env: { AWS_ENDPOINT_URL: moto.endpoint },
    });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toHaveLength(org.accounts.length + 1);
  });

  it("says what to do when the account is not in an organization", async () => {
    const other = await startMoto();
    try {
      const res = await runCli(["accounts", "--endpoint-url", other.endpoint]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("not in an AWS Organization");
      expect(res.stderr).toContain("management account");
      // The report starts account work during the walk; a walk that fails still ends in one clear error.
      const report = await runCli(["report", "--endpoint-url", other.endpoint]);
      expect(report.code).toBe(1);
      expect(report.stderr).toMatch(
        /^orgwarden: the credentials' account is not in an AWS Organization\n {2}hint: /,
      );
    } finally {
      await other.stop();
    }
  });
});
