import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { CONTROL_CATALOGUE, manualClock } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { reportRow } from "../../../../test/support/report-row.js";
import { findingId } from "../formats/format-asff.js";
import type { Report, ReportRow } from "../report-model.js";
import { importFindingsToSecurityHub, SECURITY_HUB_BATCH } from "./import-findings.js";

const hub = mockClient(SecurityHubClient);
afterEach(() => hub.reset());

const clients = {
  get: <C>(Ctor: new (c: object) => C, accountId: string, region?: string) =>
    new Ctor({ region, credentials: { accessKeyId: `AKIA${accountId}`, secretAccessKey: "x" } }),
  release: () => {},
} as never;

const report = (rows: ReportRow[]): Report => ({
  generatedAt: "2026-11-30T12:00:00.000Z",
  organizationId: "o-test",
  rows,
});

describe("importFindingsToSecurityHub", () => {
  it("each account imports its own findings, in requests of at most 100, then resolves the passed ones", async () => {
    const sent: Array<{ kind: string; ids: string[]; accounts: Set<string> }> = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      sent.push({
        kind: "import",
        ids: input.Findings.map((f) => f.Id as string),
        accounts: new Set(input.Findings.map((f) => f.AwsAccountId as string)),
      });
      return { FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] };
    });
    hub
      .on(BatchUpdateFindingsCommand)
      .callsFake((input: { FindingIdentifiers: Array<{ Id: string; ProductArn: string }> }) => {
        sent.push({
          kind: "update",
          ids: input.FindingIdentifiers.map((f) => f.Id),
          accounts: new Set(input.FindingIdentifiers.map((f) => f.ProductArn.split(":")[4] as string)),
        });
        return { ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] };
      });
    // 40 accounts × every control, from the checks and from Config rules; one suspended account.
    const rows: ReportRow[] = [];
    for (let a = 0; a < 40; a++)
      for (const [k, c] of CONTROL_CATALOGUE.entries())
        for (const source of ["check", "config"] as const)
          rows.push(
            reportRow(String(100000000000 + a), c.id, (a + k) % 4 ? "COMPLIANT" : "NON_COMPLIANT", {
              source,
            }),
          );
    rows.push(reportRow("333333333333", "root-mfa", "SKIPPED"));
    const result = await importFindingsToSecurityHub({ report: report(rows), clients, region: "us-east-1" });
    const imports = sent.filter((s) => s.kind === "import");
    expect(Math.max(...sent.map((s) => s.ids.length))).toBeLessThanOrEqual(SECURITY_HUB_BATCH);
    // One account per request (the caller must be the finding's account), every row once, ids unique.
    expect(sent.every((s) => s.accounts.size === 1)).toBe(true);
    const ids = imports.flatMap((s) => s.ids);
    expect(ids).toHaveLength(rows.length - 1);
    expect(new Set(ids).size).toBe(ids.length);
    // The passed ones, and only those, are resolved.
    const resolved = sent.filter((s) => s.kind === "update").flatMap((s) => s.ids);
    expect(resolved.sort()).toEqual(
      rows
        .filter((r) => r.status === "COMPLIANT")
        .map((r) => findingId(r, "us-east-1"))
        .sort(),
    );
    // The suspended account is skipped, not failed.
    expect(result).toMatchObject({
      accounts: 40,
      skipped: ["333333333333"],
      failed: [],
      resolved: resolved.length,
    });
    expect(result.importRequests).toBe(imports.length);
  });

  it("never sends more than 10 requests a second from one account", async () => {
    // On a manual clock: the pace is read from the clock the requests were sent at, not the wall's.
    const clock = manualClock(1_000_000);
    const times: number[] = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      times.push(clock.now());
      return { FailedCount: 0, SuccessCount: input.Findings.length };
    });
    hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => {
      times.push(clock.now());
      return { ProcessedFindings: input.FindingIdentifiers };
    });
    // Far more rows than an account has (ids repeat; only the requests' pace matters here).
    const rows = Array.from({ length: 1200 }, (_, i) =>
      reportRow("111111111111", "root-mfa", i % 2 ? "COMPLIANT" : "NON_COMPLIANT"),
    );
    await importFindingsToSecurityHub({ report: report(rows), clients, region: "us-east-1", clock });
    expect(times).toHaveLength(12 + 6);
    // Evenly spaced: 100 ms apart, so any 11 requests span at least a second.
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(100);
    for (let i = 10; i < times.length; i++)
      expect((times[i] as number) - (times[i - 10] as number)).toBeGreaterThanOrEqual(1000);
  });

  it("an account without Security Hub, or whose role is refused, fails with what to do; the others go in", async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      const account = input.Findings[0]?.AwsAccountId;
      if (account === "222222222222")
        return {
          FailedCount: input.Findings.length,
          SuccessCount: 0,
          FailedFindings: input.Findings.map((f) => ({
            Id: f.Id,
            ErrorCode: "InvalidAccess",
            ErrorMessage: "Account 222222222222 is not subscribed to AWS Security Hub",
          })),
        };
      if (account === "333333333333")
        throw Object.assign(new Error("not authorized to perform securityhub:BatchImportFindings"), {
          name: "AccessDeniedException",
          $metadata: { httpStatusCode: 403 },
        });
      return { FailedCount: 0, SuccessCount: input.Findings.length };
    });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const result = await importFindingsToSecurityHub({
      report: report(
        ["111111111111", "222222222222", "333333333333"].map((a) =>
          reportRow(a, "root-mfa", "NON_COMPLIANT"),
        ),
      ),
      clients,
      region: "eu-west-1",
    });
    expect(result.accounts).toBe(1);
    expect(result.failed.map((f) => f.accountId).sort()).toEqual(["222222222222", "333333333333"]);
    const noHub = result.failed.find((f) => f.accountId === "222222222222");
    expect(noHub).toMatchObject({ cause: "not-enabled", findings: 1 });
    expect(noHub?.hint).toContain("Enable Security Hub in eu-west-1");
    const denied = result.failed.find((f) => f.accountId === "333333333333");
    expect(denied).toMatchObject({ cause: "failed" });
    expect(denied?.message).toContain("securityhub:BatchImportFindings");
  });
});
