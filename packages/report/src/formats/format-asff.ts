import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { type ComplianceStatus, type ControlEntry, controlEntry } from "@orgwarden/core";
import type { ReportRow } from "../report-model.js";

/**
 * A report row as an AWS Security Finding Format (ASFF) finding, for BatchImportFindings with the
 * account's default product ARN. https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
 */

/** ASFF Compliance.Status per row status (the ASFF Compliance object's documented values). */
export const ASFF_COMPLIANCE: Record<ComplianceStatus, "PASSED" | "FAILED" | "WARNING" | "NOT_AVAILABLE"> = {
  COMPLIANT: "PASSED",
  NON_COMPLIANT: "FAILED",
  // "Check could not determine pass/fail": evaluations not in yet.
  INSUFFICIENT_DATA: "WARNING",
  // "Check could not be performed due to a service outage, API error, or because the result of the
  // AWS Config evaluation was NOT_APPLICABLE".
  ERROR: "NOT_AVAILABLE",
  NOT_APPLICABLE: "NOT_AVAILABLE",
  SKIPPED: "NOT_AVAILABLE",
};

export const GENERATOR_PREFIX = "orgwarden";
/** ASFF Types, from the finding type taxonomy's "Software and Configuration Checks" namespace. */
const TYPES_BY_FRAMEWORK = {
  cis: "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
  aws: "Software and Configuration Checks/AWS Security Best Practices",
} as const;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The default product ARN of an account: what a custom integration imports under. */
export function defaultProductArn(accountId: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * The finding's id, stable across runs so that a re-import updates instead of duplicating:
 * orgwarden/<account>/<control>/<region>, where region is "global" for a global control and, for a
 * regional one (a row covers every region the account uses), the Security Hub region the finding
 * lives in. A row of the Config rules source (the same control, judged by AWS Config) gets "/config".
 */
export function findingId(row: ReportRow, hubRegion: string): string {
  const region = controlEntry(row.control).scope === "regional" ? hubRegion : "global";
  const id = `${GENERATOR_PREFIX}/${row.accountId}/${row.control}/${region}`;
  return row.source === "config" ? `${id}/config` : id;
}

/**
 * CIS-3.0:1.5;SecurityHub:IAM.9 → ["CIS AWS Foundations Benchmark v3.0.0/1.5",
 * "AWS Foundational Security Best Practices/IAM.9"] (at most 32: ASFF's limit).
 */
export function relatedRequirements(frameworks: string): string[] {
  return frameworks
    .split(";")
    .filter(Boolean)
    .map((f) => {
      const [framework, id] = f.split(":") as [string, string];
      const cis = /^CIS-(\d+)\.(\d+)$/.exec(framework);
      if (cis) return `CIS AWS Foundations Benchmark v${cis[1]}.${cis[2]}.0/${id}`;
      if (framework === "SecurityHub") return `AWS Foundational Security Best Practices/${id}`;
      return `${framework}/${id}`;
    })
    .slice(0, 32);
}

function types(entry: ControlEntry): string[] {
  return [
    ...(entry.cis["3.0"].length || entry.cis["5.0"].length ? [TYPES_BY_FRAMEWORK.cis] : []),
    TYPES_BY_FRAMEWORK.aws,
  ];
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export interface AsffContext {
  /** The region whose Security Hub receives the finding. */
  hubRegion: string;
  /** When this import is made; the finding's UpdatedAt (Security Hub ignores an update that is not newer). */
  importedAt: string;
}

export function asffFinding(row: ReportRow, ctx: AsffContext): AwsSecurityFinding {
  const entry = controlEntry(row.control);
  const status = ASFF_COMPLIANCE[row.status];
  // As Security Hub's own controls do: a passed check is informational.
  const severity = {
    Label: status === "PASSED" ? "INFORMATIONAL" : entry.severity,
    Original: entry.severity,
  };
  const partition = partitionOf(ctx.hubRegion);
  const regions = row.region.split(" ").filter(Boolean);
  const account = {
    Type: "AwsAccount",
    Id: `AWS::::Account:${row.accountId}`,
    Partition: partition as "aws",
  };
  return {
    SchemaVersion: "2018-10-08",
    Id: findingId(row, ctx.hubRegion),
    ProductArn: defaultProductArn(row.accountId, ctx.hubRegion),
    ProductName: "orgwarden",
    CompanyName: "orgwarden",
    GeneratorId: `${GENERATOR_PREFIX}/${row.control}/${row.source}`,
    AwsAccountId: row.accountId,
    AwsAccountName: row.accountName,
    Types: types(entry),
    CreatedAt: row.evaluatedAt,
    UpdatedAt: ctx.importedAt,
    Severity: severity,
    Title: clip(entry.title, 256),
    Description: clip(
      `${row.status}: ${row.reason}${regions.length ? ` (regions: ${regions.join(", ")})` : ""}`,
      1024,
    ),
    Remediation: { Recommendation: { Text: clip(entry.remediation, 512), Url: entry.link } },
    SourceUrl: entry.link,
    ProductFields: {
      "orgwarden/control": row.control,
      "orgwarden/source": row.source,
      "orgwarden/status": row.status,
      "orgwarden/ouPath": clip(row.ouPath, 1024),
      ...(row.resourceId
        ? { "orgwarden/resource": clip(`${row.resourceType} ${row.resourceId}`.trim(), 1024) }
        : {}),
    },
    Compliance: {
      Status: status,
      RelatedRequirements: relatedRequirements(row.frameworks),
    },
    FindingProviderFields: { Severity: severity, Types: types(entry) },
    // The account is the resource; for regional controls, the account in each region the row names.
    Resources: (regions.length ? regions : [ctx.hubRegion])
      .slice(0, 32)
      .map((region) => ({ ...account, Region: region })),
    RecordState: "ACTIVE",
  };
}
