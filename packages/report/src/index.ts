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
export {
  NO_COLOUR,
  type Paint,
  painter,
  paintPlanLine,
  paintStatus,
  type Style,
  visibleLength,
} from "./formats/colour.js";
export {
  ASFF_COMPLIANCE,
  asffFinding,
  defaultProductArn,
  findingId,
  relatedRequirements,
} from "./formats/format-asff.js";
export { formatCsv, neutraliseCell } from "./formats/format-csv.js";
export { escapeHtml, formatReportHtml, type ReportPageExtras } from "./formats/format-html.js";
export { formatReportOcsf, OCSF_VERSION, ocsfFinding, reportOcsfChunks } from "./formats/format-ocsf.js";
export { REPORT_FORMATS, type ReportFormat } from "./formats/format-report.js";
export { formatReportCsv, reportCsvChunks } from "./formats/format-report-csv.js";
export { formatReportJson, reportJsonChunks } from "./formats/format-report-json.js";
export { formatReportTable } from "./formats/format-report-table.js";
export { renderTable, type TableOptions } from "./formats/render-table.js";
export type {
  AttachedPolicy,
  EffectivePolicyError,
  InvalidEffectivePolicy,
  PolicyOverview,
  PolicyTypeOverview,
  PolicyTypeReadError,
  PolicyTypeState,
  TargetPolicies,
} from "./policies/policy-overview.js";
export {
  type PolicyQuota,
  type PolicyQuotaSource,
  type PolicyQuotas,
  resolvePolicyQuotas,
} from "./policies/policy-quotas.js";
export { NEAR_QUOTA_SLOTS, type SlotState, type Slots, slotsOf } from "./policies/policy-slots.js";
export { type ReadPolicyOverviewInput, readPolicyOverview } from "./policies/read-policy-overview.js";
export { parseReportJson } from "./read-report.js";
export {
  type ControlOutcome,
  compareRows,
  OPT_IN_SOURCES,
  RCP_CONTROLS,
  REPORT_SOURCES,
  type Report,
  type ReportRow,
  type ReportRows,
  type ReportSource,
  SCP_CONTROLS,
  type ScpDrift,
  type ShardInfo,
  type ShardSpec,
} from "./report-model.js";
export { closeReport, RowStore, type RowStoreOptions } from "./row-store.js";
export { RCP_CONTROL_POLICIES, rcpCoverage, scpCoverage } from "./scp-coverage.js";
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
  type ShardReport,
  shardOf,
} from "./shard.js";
export { emptyCounts, type ReportSummary, type StatusCounts, summarizeReport } from "./summarize-report.js";
