import { type ComplianceStatus, type ControlEntry, controlEntry } from "@orgwarden/core";
import type { Report, ReportRow } from "../report-model.js";
import { relatedRequirements } from "./format-asff.js";
import { rowChunks } from "./format-report.js";

/**
 * The report as OCSF Compliance Finding events (class_uid 2003, category Findings), one JSON object
 * per line, for Security Lake (after conversion to Parquet) and SIEMs. OCSF 1.8.0 with the cloud
 * profile: https://schema.ocsf.io/1.8.0/classes/compliance_finding,
 * https://github.com/ocsf/ocsf-schema/blob/1.8.0/events/findings/compliance_finding.json.
 * Every event also carries what OCSF 1.1.0 to 1.4.0 required (finding_info.title,
 * metadata.product.vendor_name, compliance.standards), so older consumers read it too.
 */
export const OCSF_VERSION = "1.8.0";

const CLASS_UID = 2003;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;

const SEVERITY_IDS: Record<ControlEntry["severity"], [number, string]> = {
  INFORMATIONAL: [1, "Informational"],
  LOW: [2, "Low"],
  MEDIUM: [3, "Medium"],
  HIGH: [4, "High"],
  CRITICAL: [5, "Critical"],
};

/** compliance.status_id: 1 Pass, 2 Warning, 3 Fail, 99 Other (with the word in status). */
const COMPLIANCE_STATUS: Record<ComplianceStatus, [number, string]> = {
  COMPLIANT: [1, "Pass"],
  INSUFFICIENT_DATA: [2, "Warning"],
  NON_COMPLIANT: [3, "Fail"],
  ERROR: [99, "Error"],
  NOT_APPLICABLE: [99, "Not Applicable"],
  SKIPPED: [99, "Skipped"],
};

/** The finding's status_id: 1 New (needs a look), 4 Resolved (passes or does not apply), 99 Other. */
const FINDING_STATUS: Record<ComplianceStatus, [number, string]> = {
  NON_COMPLIANT: [1, "New"],
  ERROR: [1, "New"],
  INSUFFICIENT_DATA: [1, "New"],
  COMPLIANT: [4, "Resolved"],
  NOT_APPLICABLE: [4, "Resolved"],
  SKIPPED: [99, "Skipped (suspended account)"],
};

export interface OcsfContext {
  organizationId: string;
  productVersion: string;
}

/** One row as an OCSF Compliance Finding. */
export function ocsfFinding(row: ReportRow, ctx: OcsfContext): Record<string, unknown> {
  const entry = controlEntry(row.control);
  const [complianceId, complianceWord] = COMPLIANCE_STATUS[row.status];
  const [statusId, statusWord] = FINDING_STATUS[row.status];
  // As Security Hub does for its controls: a passed check is informational.
  const [severityId, severityWord] =
    row.status === "COMPLIANT" ? [1, "Informational"] : SEVERITY_IDS[entry.severity];
  const requirements = relatedRequirements(row.frameworks);
  const standards = [...new Set(requirements.map((r) => r.slice(0, r.lastIndexOf("/"))))];
  const regions = row.region.split(" ").filter(Boolean);
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: "Create",
    category_uid: CATEGORY_UID,
    category_name: "Findings",
    class_uid: CLASS_UID,
    class_name: "Compliance Finding",
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: "Compliance Finding: Create",
    severity_id: severityId,
    severity: severityWord,
    status_id: statusId,
    status: statusWord,
    time: Date.parse(row.evaluatedAt),
    message: row.reason,
    metadata: {
      version: OCSF_VERSION,
      profiles: ["cloud"],
      product: { name: "orgwarden", vendor_name: "orgwarden", version: ctx.productVersion },
      log_name: "orgwarden-report",
    },
    cloud: {
      provider: "AWS",
      ...(regions.length === 1 ? { region: regions[0] } : {}),
      account: { uid: row.accountId, name: row.accountName, type_id: 10, type: "AWS Account" },
      org: { uid: ctx.organizationId, ou_name: row.ouPath },
    },
    finding_info: {
      uid: `orgwarden/${row.accountId}/${row.control}/${row.source}`,
      title: entry.title,
      desc: row.reason,
      types: [row.control],
      analytic: { type_id: 1, type: "Rule", uid: `${row.control}/${row.source}`, name: row.control },
      src_url: entry.link,
    },
    compliance: {
      control: row.control,
      standards: standards.length ? standards : ["orgwarden"],
      requirements,
      status_id: complianceId,
      status: complianceWord,
      status_detail: row.reason,
    },
    remediation: { desc: entry.remediation, references: [entry.link] },
    resources: [
      {
        uid: row.resourceId || row.accountId,
        type: row.resourceType || "AWS::::Account",
        ...(regions.length === 1 ? { region: regions[0] } : {}),
      },
    ],
    unmapped: { orgwarden: { status: row.status, source: row.source, regions, frameworks: row.frameworks } },
  };
}

/** JSON lines, ROWS_PER_CHUNK at a time. */
export function* reportOcsfChunks(report: Report, productVersion = "0.1.0"): Generator<string> {
  const ctx = { organizationId: report.organizationId, productVersion };
  for (const rows of rowChunks(report.rows)) {
    yield rows.map((r) => `${JSON.stringify(ocsfFinding(r, ctx))}\n`).join("");
  }
}

export function formatReportOcsf(report: Report): string {
  return [...reportOcsfChunks(report)].join("");
}
