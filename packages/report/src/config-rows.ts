import type { ComplianceStatus, ControlId, OrgAccount } from "@orgwarden/core";
import { DEFAULT_RULES, type RuleDefinition } from "@orgwarden/rules";
import type { AccountFindings } from "./evaluate-account.js";
import type { ControlOutcome, ReportRow } from "./report-model.js";
import type { RowStore, SpilledLine } from "./row-store.js";

/** The row an account gets for a Config control it has no outcome of: why it has none. */
export interface ConfigFill {
  status: ComplianceStatus;
  reason: string;
}

/**
 * The config source's rows, which wait for the whole report: every account gets a row for each
 * Config control found in any account (SKIPPED where its rule is not deployed), so an account's
 * Config rows are known only once every account is done. Until then each account's outcome rows
 * wait on the store's disk, and memory keeps only where they are and the row for a missing control.
 */
export interface ConfigRows {
  /** Notes the Config controls an account's findings show deployed. */
  found(findings: AccountFindings): void;
  /** An account's Config outcome rows, and the row for each report Config control it has none of. */
  hold(account: OrgAccount, fill: ConfigFill, outcomes: ReportRow[]): void;
  /** Every account is done: each held account's Config rows go onto the store. */
  complete(row: (account: OrgAccount, outcome: ControlOutcome) => ReportRow): void;
}

export function configRows(
  input: { rules: readonly RuleDefinition[]; explicit: boolean },
  wanted: boolean,
  store: RowStore,
): ConfigRows {
  const deployed = new Set<ControlId>();
  const held: Array<{ account: OrgAccount; fill: ConfigFill; outcomes?: SpilledLine }> = [];
  return {
    found(findings) {
      for (const reading of findings.config ?? [])
        if (reading.state !== "not-deployed") deployed.add(reading.control);
      for (const control of findings.configDeployed ?? []) deployed.add(control);
    },
    hold(account, fill, outcomes) {
      // Without the config source no account has Config findings: no Config control, no rows.
      if (!wanted) return;
      held.push({ account, fill, ...(outcomes.length ? { outcomes: store.spill(outcomes) } : {}) });
    },
    complete(row) {
      const controls = configControls(deployed, input);
      if (controls.length === 0) return;
      for (const { account, fill, outcomes: line } of held) {
        const outcomes = line ? (store.unspill(line) as ReportRow[]) : [];
        const rows: ReportRow[] = [];
        for (const control of controls) {
          const found = outcomes.filter((o) => o.control === control);
          if (found.length === 0) rows.push(row(account, { control, ...fill }));
          rows.push(...found);
        }
        store.append({ ouPath: account.ouPath, accountName: account.name, accountId: account.id }, rows);
      }
      held.length = 0;
    },
  };
}

/**
 * The report's Config controls: those deployed in any account; with an explicit config source and
 * none deployed, those of the default rules (so the rows say they are not deployed).
 */
function configControls(
  deployed: ReadonlySet<ControlId>,
  input: { rules: readonly RuleDefinition[]; explicit: boolean },
): ControlId[] {
  const controls = new Set(deployed);
  if (controls.size === 0 && input.explicit) {
    for (const rule of input.rules)
      if ((DEFAULT_RULES as readonly string[]).includes(rule.name)) controls.add(rule.control);
  }
  return [...controls].sort();
}
