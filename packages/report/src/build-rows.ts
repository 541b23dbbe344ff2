import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  type AccountResult,
  type ControlId,
  controlEntry,
  describeAwsError,
  frameworkIds,
  type Inventory,
  type OrgAccount,
} from "@orgwarden/core";
import { DEFAULT_RULES } from "@orgwarden/rules";
import { settleDeniedRegions } from "./checks/regions.js";
import { checkControlsFor } from "./checks/registry.js";
import type { RootAccessReading } from "./checks/root-access.js";
import { configOutcomes } from "./config-outcomes.js";
import { type AccountEvaluationSettings, type AccountFindings, wantsSource } from "./evaluate-account.js";
import { type ExplainRegionDenial, regionDenialExplainer } from "./region-denials.js";
import {
  type ControlOutcome,
  compareRows,
  type Report,
  type ReportRow,
  type ReportSource,
  SCP_CONTROLS,
} from "./report-model.js";
import { type JudgeScp, scpCoverage } from "./scp-coverage.js";

/** What turning the accounts' findings into rows needs from the report's input. */
export interface ReportRowsInput extends Pick<AccountEvaluationSettings, "sources" | "rules"> {
  /** Judges attached orgwarden policies against the library (drift, managed tag): SCP coverage. */
  judgeScp: JudgeScp;
  /** When the report reads centralized root access, its controls are check rows too. */
  rootAccess?: RootAccessReading | undefined;
  /**
   * Reads the SCPs on an account's path when one of its regions refused orgwarden's calls, to tell a
   * region closed to everyone from a refusal of orgwarden alone. Without it, every refusal is ERROR.
   */
  regionDenials?: { organizations: OrganizationsClient; roleName: string; partition?: string } | undefined;
}

/** How one report's rows are made: the same for every account. */
interface RowContext {
  inventory: Inventory;
  judgeScp: JudgeScp;
  wants: (s: ReportSource) => boolean;
  checkControls: readonly ControlId[];
  configControls: readonly ControlId[];
  generatedAt: Date;
  catalogueOf: (control: ControlId) => { severity: string; frameworks: string };
  explainDenial: ExplainRegionDenial | undefined;
}

/**
 * The report from every account's findings: rows for every account × control × selected source,
 * sorted. No account is ever missing: a suspended account gets SKIPPED rows, one that cannot be
 * reached gets ERROR rows with the reason.
 */
export async function buildReport(
  input: ReportRowsInput,
  inventory: Inventory,
  results: ReadonlyArray<AccountResult<OrgAccount, AccountFindings>>,
  now: () => Date,
): Promise<Report> {
  const wants = (s: ReportSource) => wantsSource(input.sources, s);
  const explicit = input.sources !== undefined;
  const context: RowContext = {
    inventory,
    judgeScp: input.judgeScp,
    wants,
    checkControls: checkControlsFor(input.rootAccess !== undefined),
    configControls: configControlsFor(input, results, explicit && wants("config")),
    generatedAt: now(),
    catalogueOf: catalogueLookup(),
    explainDenial: input.regionDenials
      ? regionDenialExplainer({ ...input.regionDenials, inventory })
      : undefined,
  };
  const rows: ReportRow[] = [];
  for (const r of results) rows.push(...(await accountRows(r, context)));
  rows.sort(compareRows);
  return {
    generatedAt: context.generatedAt.toISOString(),
    organizationId: inventory.organizationId,
    rows,
  };
}

/** Severity and frameworks per control, made once per report: 20,000 accounts share the same strings. */
function catalogueLookup(): RowContext["catalogueOf"] {
  const catalogue = new Map<ControlId, { severity: string; frameworks: string }>();
  return (control) => {
    let c = catalogue.get(control);
    if (!c) {
      const entry = controlEntry(control);
      c = { severity: entry.severity, frameworks: frameworkIds(entry) };
      catalogue.set(control, c);
    }
    return c;
  };
}

/** One account's rows: its outcomes per source, or a SKIPPED or ERROR row per control when it was not read. */
async function accountRows(
  r: AccountResult<OrgAccount, AccountFindings>,
  {
    inventory,
    judgeScp,
    wants,
    checkControls,
    configControls,
    generatedAt,
    catalogueOf,
    explainDenial,
  }: RowContext,
): Promise<ReportRow[]> {
  const account = r.account;
  const rows: ReportRow[] = [];
  const row = (source: ReportSource, o: ControlOutcome): ReportRow => ({
    accountId: account.id,
    accountName: account.name,
    ouPath: account.ouPath,
    control: o.control,
    source,
    status: o.status,
    resourceType: o.resourceType ?? "AWS::::Account",
    resourceId: o.resourceId ?? account.id,
    reason: o.reason.replace(/\s+/g, " ").trim(),
    evaluatedAt: (o.evaluatedAt ?? generatedAt).toISOString(),
    region: o.region ?? "",
    ...catalogueOf(o.control),
  });
  const all = (
    source: ReportSource,
    controls: readonly ControlId[],
    status: "SKIPPED" | "ERROR",
    reason: string,
  ) => controls.map((control) => rows.push(row(source, { control, status, reason })));

  if (account.state !== "ACTIVE") {
    const reason = `account is ${account.state}`;
    if (wants("check")) all("check", checkControls, "SKIPPED", reason);
    if (configControls.length) all("config", configControls, "SKIPPED", reason);
    if (wants("scp")) all("scp", SCP_CONTROLS, "SKIPPED", reason);
    return rows;
  }
  if (wants("scp")) for (const o of await scpCoverage(inventory, account, judgeScp)) rows.push(row("scp", o));
  if (!r.ok) {
    const reason = r.error.hint ? `${r.error.message} (${r.error.hint})` : r.error.message;
    if (wants("check")) all("check", checkControls, "ERROR", reason);
    if (configControls.length) all("config", configControls, "ERROR", reason);
    return rows;
  }
  if (wants("check"))
    for (const o of r.value.check ?? []) rows.push(row("check", await settle(account, o, explainDenial)));
  if (configControls.length) {
    if (r.value.configError) {
      all("config", configControls, "ERROR", `reading Config results failed: ${r.value.configError.message}`);
      return rows;
    }
    const outcomes = configOutcomes(r.value.config ?? []);
    for (const control of configControls) {
      const found = outcomes.filter((o) => o.control === control);
      if (found.length === 0)
        rows.push(
          row("config", {
            control,
            status: "SKIPPED",
            reason: "no orgwarden rule for this control is deployed in this account",
          }),
        );
      for (const o of found) rows.push(row("config", o));
    }
  }
  return rows;
}

function configControlsFor(
  input: ReportRowsInput,
  results: ReadonlyArray<{ ok: boolean; value?: AccountFindings }>,
  explicitConfig: boolean,
): ControlId[] {
  const found = new Set<ControlId>();
  for (const r of results) {
    if (!r.ok || !r.value) continue;
    for (const reading of r.value.config ?? [])
      if (reading.state !== "not-deployed") found.add(reading.control);
    for (const control of r.value.configDeployed ?? []) found.add(control);
  }
  if (found.size === 0 && explicitConfig) {
    for (const rule of input.rules)
      if ((DEFAULT_RULES as readonly string[]).includes(rule.name)) found.add(rule.control);
  }
  return [...found].sort();
}

/** A check outcome with refused regions, settled with the SCPs on the account's path. */
async function settle(
  account: OrgAccount,
  o: ControlOutcome,
  explain: ExplainRegionDenial | undefined,
): Promise<ControlOutcome> {
  if (!o.deniedRegions?.length) return o;
  const explained = new Map<string, string | undefined>();
  for (const d of o.deniedRegions) {
    let why: string | undefined;
    try {
      why = explain && d.action ? await explain(account, d.region, d.action) : undefined;
    } catch (err) {
      // SCPs that cannot be read explain nothing: the region stays refused (ERROR), with the cause.
      d.reason = `${d.reason}; the SCPs on its path could not be read: ${describeAwsError(err, "Organizations").message}`;
    }
    explained.set(d.region, why);
  }
  return settleDeniedRegions(o, explained);
}
