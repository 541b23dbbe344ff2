export { DEFAULT_PASSWORD_REQUIREMENTS, type PasswordRequirements } from "@orgwarden/core";
/** Config-rule discovery lives in rules; re-exported under the name report has always had. */
export { orgwardenRuleName } from "@orgwarden/rules";
export type { AccountCheckClients, AccountCheckSettings } from "./checks/account-check.js";
export { checkAccount } from "./checks/check-account.js";
export { CHECK_CONTROLS, ROOT_ACCESS_CONTROLS } from "./checks/registry.js";
export { type RootAccessReading, type RootAudit, rootAccessReading } from "./checks/root-access.js";
export { judgeCentralizedRootAccess } from "./checks/root-credentials-centralized.js";
export { judgeRootCredentialsPresent } from "./checks/root-credentials-present.js";
export {
  type CollectReportInput,
  collectReport,
  type ReportEvaluationInput,
  type ReportRun,
  type ReportWorkers,
  startReport,
} from "./collect-report.js";
export {
  NO_COLOUR,
  type Paint,
  painter,
  paintPlanLine,
  paintStatus,
  type Style,
  visibleLength,
} from "./colour.js";
export {
  type AccountRef,
  changesSummary,
  compareReports,
  type ReportChanges,
  type RowChange,
  SNS_MAX_MESSAGE_BYTES,
} from "./compare-reports.js";
export { configOutcomes } from "./config-outcomes.js";
export {
  type AccountEvaluationSettings,
  type AccountFindings,
  accountEvaluator,
} from "./evaluate-account.js";
export { formatCsv, neutraliseCell } from "./format-csv.js";
export { escapeHtml, formatReportHtml, type ReportPageExtras } from "./format-html.js";
export { formatReportOcsf, OCSF_VERSION, ocsfFinding, reportOcsfChunks } from "./format-ocsf.js";
export {
  formatReportCsv,
  formatReportJson,
  formatReportTable,
  REPORT_FORMATS,
  type ReportFormat,
  reportCsvChunks,
  reportJsonChunks,
} from "./format-report.js";
export { parseReportJson } from "./read-report.js";
export { renderTable, type TableOptions } from "./render-table.js";
export {
  type ControlOutcome,
  compareRows,
  REPORT_SOURCES,
  type Report,
  type ReportRow,
  type ReportSource,
  SCP_CONTROLS,
  type ScpDrift,
  type ShardInfo,
  type ShardSpec,
} from "./report-model.js";
export { scpCoverage } from "./scp-coverage.js";
export {
  ASFF_COMPLIANCE,
  asffFinding,
  defaultProductArn,
  findingId,
  relatedRequirements,
} from "./security-hub/asff.js";
export {
  enableSecurityHubHint,
  importFindingsToSecurityHub,
  SECURITY_HUB_BATCH,
  SECURITY_HUB_RATE,
  type SecurityHubImportFailure,
  type SecurityHubImportInput,
  type SecurityHubImportResult,
} from "./security-hub/import-findings.js";
export {
  inShard,
  MAX_SHARDS,
  mergeShardReports,
  parseShard,
  parseShardReport,
  shardOf,
} from "./shard.js";
export { emptyCounts, type ReportSummary, type StatusCounts, summarizeReport } from "./summarize-report.js";
