import { describe, expect, it } from "vitest";
import type { ReadScope } from "./event-source.js";
import { LAKE_COLUMNS, lakeStatements, lakeTime, MAX_STATEMENT_LENGTH, recordOfRow } from "./lake-query.js";

const scope = (accounts: string[], errorsOnly = false): ReadScope => ({
  organizationId: "o-a1b2c3d4e5",
  accounts,
  regions: ["us-east-1", "eu-west-1"],
  window: { start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-15T12:30:00.250Z") },
  errorsOnly,
});
const account = (i: number) => String(100000000000 + i);

describe("the CloudTrail Lake query", () => {
  it("selects each field by itself, over the window, regions and accounts", () => {
    const [only, ...more] = lakeStatements("EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE", scope(["111122223333"]));
    expect(more).toEqual([]);
    expect(only?.accounts).toEqual(["111122223333"]);
    const sql = only?.statement ?? "";
    expect(sql).toMatch(/^SELECT eventVersion AS c0, eventTime AS c1, /);
    expect(sql).toContain("userIdentity.sessionContext.sessionIssuer.arn AS c");
    expect(sql).toContain("element_at(resources, 1).arn AS c");
    expect(sql).toContain("userIdentity.sessionContext.assumedRoot AS c");
    expect(sql).toContain(
      " FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE WHERE eventTime >= '2026-03-01 00:00:00' AND eventTime <= '2026-03-15 12:30:00' AND awsRegion IN ('us-east-1', 'eu-west-1') AND recipientAccountId IN ('111122223333')",
    );
    expect(sql).not.toContain("accessKeyId");
    expect(sql).not.toContain("errorCode IS NOT NULL");
    expect(lakeStatements("eds", scope(["111122223333"], true))[0]?.statement).toContain(
      "AND errorCode IS NOT NULL AND",
    );
  });

  it("splits the accounts so that no statement passes StartQuery's 10,000 characters, each account once", () => {
    const accounts = Array.from({ length: 1500 }, (_, i) => account(i));
    const queries = lakeStatements("eds", scope(accounts));
    expect(queries.length).toBeGreaterThan(2);
    for (const q of queries) expect(q.statement.length).toBeLessThanOrEqual(MAX_STATEMENT_LENGTH);
    expect(queries.flatMap((q) => q.accounts)).toEqual(accounts);
  });

  it("a row read back into the record's own shape: nested fields, the first resource, times and booleans", () => {
    const index = (sql: string) => LAKE_COLUMNS.findIndex((c) => c.sql === sql);
    const cell = (sql: string, text: string) => ({ [`c${index(sql)}`]: text });
    const record = recordOfRow([
      cell("eventID", "3f0a7c9e-1111-2222-3333-444455556666"),
      cell("eventTime", "2026-03-02 10:15:00.000"),
      cell("eventName", "PutObject"),
      cell("readOnly", "false"),
      cell("userIdentity.type", "AssumedRole"),
      cell("userIdentity.sessionContext.sessionIssuer.arn", "arn:aws:iam::111122223333:role/ci"),
      cell("userIdentity.sessionContext.attributes.mfaAuthenticated", "false"),
      cell("userIdentity.sessionContext.assumedRoot", "true"),
      cell("element_at(resources, 1).arn", "arn:aws:s3:::bucket/key"),
      cell("element_at(additionalEventData, 'MFAUsed')", "No"),
      cell("element_at(requestParameters, 'roleName')", "BreakGlass"),
      // Lake (Trino) may answer the alias in another case; an empty value is no value.
      { [`C${index("errorCode")}`]: "AccessDenied" },
      cell("vpcEndpointId", ""),
    ]);
    expect(record).toEqual({
      eventID: "3f0a7c9e-1111-2222-3333-444455556666",
      eventTime: "2026-03-02T10:15:00Z",
      eventName: "PutObject",
      readOnly: false,
      errorCode: "AccessDenied",
      userIdentity: {
        type: "AssumedRole",
        sessionContext: {
          sessionIssuer: { arn: "arn:aws:iam::111122223333:role/ci" },
          attributes: { mfaAuthenticated: "false" },
          assumedRoot: "true",
        },
      },
      resources: [{ ARN: "arn:aws:s3:::bucket/key" }],
      additionalEventData: { MFAUsed: "No" },
      requestParameters: { roleName: "BreakGlass" },
    });
  });

  it("times as Lake compares them", () => {
    expect(lakeTime(new Date("2026-03-02T10:15:07.900Z"))).toBe("2026-03-02 10:15:07");
  });
});
