import { setImmediate as yieldToEventLoop } from "node:timers/promises";
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
import { settleDeniedRegions } from "./checks/regions.js";
import { checkControlsFor } from "./checks/registry.js";
import type { RootAccessReading } from "./checks/root-access.js";
import { configOutcomes } from "./config-outcomes.js";
import { type ConfigRows, configRows } from "./config-rows.js";
import { type AccountEvaluationSettings, type AccountFindings, wantsSource } from "./evaluate-account.js";
import { FindingsJson, findingsFromJson, findingsToJson } from "./findings-json.js";
import { creditRcps } from "./guardrails/rcp-credit.js";
import { GUARDRAIL_CONTROLS } from "./guardrails/read-guardrails.js";
import type { PolicyOverview } from "./policies/policy-overview.js";
import { policyOutcomes } from "./policies/policy-rows.js";
import type { ReadExemptResources } from "./rcp-exempt-resources.js";
import { type ExplainRegionDenial, regionDenialExplainer } from "./region-denials.js";
import {
  type AccountKey,
  type ControlOutcome,
  RCP_CONTROLS,
  type Report,
  type ReportRow,
  type ReportSource,
  SCP_CONTROLS,
} from "./report-model.js";
import type { RowStore, SpilledLine } from "./row-store.js";
import { type JudgeScp, RCP_CONTROL_POLICIES, rcpCoverage, scpCoverage } from "./scp-coverage.js";

const policyOfControl = (control: ControlId): string =>
  RCP_CONTROL_POLICIES.find((c) => c.control === control)?.policy ?? control;

/** What turning the accounts' findings into rows needs from the report's input. */
export interface ReportRowsInput extends Pick<AccountEvaluationSettings, "sources" | "rules"> {
  /** Judges attached orgwarden policies against the library (drift, managed tag): SCP coverage. */
  judgeScp: JudgeScp;
  /**
   * Judges orgwarden's RCPs against the RCP library: RCP coverage rows (source scp), for an inventory
   * that has read its RCPs (the report reads them when the RCP type is enabled).
   */
  judgeRcp?: JudgeScp | undefined;
  /**
   * Reads the resources tagged to opt out of the tag-exempt RCPs in effect on a member account's path
   * (rcp-exempt-resource rows, source scp); called only for an account where such an RCP is in sync.
   */
  exemptResources?: ReadExemptResources | undefined;
  /** When the report reads centralized root access, its controls are check rows too. */
  rootAccess?: RootAccessReading | undefined;
  /**
   * Reads the SCPs on an account's path when one of its regions refused orgwarden's calls, to tell a
   * region closed to everyone from a refusal of orgwarden alone. Without it, every refusal is ERROR.
   */
  regionDenials?: { organizations: OrganizationsClient; roleName: string; partition?: string } | undefined;
  /**
   * Reads every policy type once the inventory is complete (the `policies` source): its rows are
   * made when every account is done (policy-rows.ts).
   */
  policies?: ((inventory: Inventory) => Promise<PolicyOverview>) | undefined;
}

/** How one report's rows are made: the same for every account, once the inventory is complete. */
interface RowContext {
  inventory: Inventory;
  judgeScp: JudgeScp;
  judgeRcp: JudgeScp | undefined;
  exemptResources: ReadExemptResources | undefined;
  wants: (s: ReportSource) => boolean;
  checkControls: readonly ControlId[];
  generatedAt: Date;
  catalogueOf: (control: ControlId) => { severity: string; frameworks: string };
  explainDenial: ExplainRegionDenial | undefined;
}

/** An account's findings: as found in this thread, or as JSON from a worker thread. */
export type EvaluatedAccount = AccountResult<OrgAccount, AccountFindings | FindingsJson>;
type AccountDone = AccountResult<OrgAccount, AccountFindings>;
/** An account done before the inventory is complete: its findings on the store's disk, or its error. */
type Waiting = { account: OrgAccount; spilled: SpilledLine } | Extract<AccountDone, { ok: false }>;

/** The account's findings as objects, read from JSON when a worker (or the disk) gave them as such. */
function parsed(r: EvaluatedAccount): AccountDone {
  return r.ok
    ? { ...r, value: r.value instanceof FindingsJson ? findingsFromJson(r.value.text) : r.value }
    : r;
}

/** A report's rows, made account by account as each is done, onto a RowStore. */
export interface ReportRowMaker {
  /**
   * An account is done: its rows are made now, or once the inventory is complete (start); until
   * then its findings wait on the store's disk, not in memory.
   */
  add(result: EvaluatedAccount): void;
  /**
   * The inventory is complete: the accounts done so far get their rows, and every later one as it is
   * done. Only `accounts` get rows (those outside --ou or the shard never do).
   */
  start(inventory: Inventory, accounts: readonly OrgAccount[]): void;
  /** Once every account was added: waits for their rows, adds the Config rows, and gives the report. */
  finish(): Promise<Report>;
}

/**
 * Rows for every account × control × selected source. No account is ever missing: a suspended
 * account gets SKIPPED rows, one that cannot be reached gets ERROR rows with the reason. An
 * account's findings are dropped once its rows are on the store; findings wait in memory only for
 * accounts done before the inventory is complete, as every row needs its OU path (and SCP coverage
 * the SCPs along it).
 */
export function reportRowMaker(input: ReportRowsInput, now: () => Date, store: RowStore): ReportRowMaker {
  const wants = (s: ReportSource) => wantsSource(input.sources, s);
  const config = configRows(
    { rules: input.rules, explicit: input.sources !== undefined },
    wants("config"),
    store,
  );
  let waiting: Waiting[] = [];
  let ready: { context: RowContext; inScope: Map<string, OrgAccount> } | undefined;
  let policies: Promise<PolicyOverview> | undefined;
  const making = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const track = (work: Promise<void>) => {
    const made: Promise<void> = work
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => making.delete(made));
    making.add(made);
  };
  const make = async (done: EvaluatedAccount): Promise<void> => {
    const { context, inScope } = ready as NonNullable<typeof ready>;
    // The inventory's account: its OU path is the one the walk settled on.
    const account = inScope.get(done.account.id);
    if (!account) return;
    const r = parsed(done);
    store.append(accountKey(account), await accountRows({ ...r, account }, context, config));
  };
  const unspilled = (w: Waiting): EvaluatedAccount =>
    "spilled" in w
      ? { account: w.account, ok: true, value: new FindingsJson(store.unspillText(w.spilled)) }
      : w;

  return {
    add(r) {
      if (ready) return track(make(r));
      if (!r.ok) return void waiting.push(r);
      try {
        const json = r.value instanceof FindingsJson ? r.value.text : findingsToJson(r.value);
        waiting.push({ account: r.account, spilled: store.spillText(json) });
      } catch (error) {
        // The temporary folder cannot be written: finish() says so, as for any row.
        failure ??= { error };
      }
    },
    start(inventory, accounts) {
      ready = {
        context: {
          inventory,
          judgeScp: input.judgeScp,
          judgeRcp: input.judgeRcp,
          exemptResources: input.exemptResources,
          wants,
          checkControls: checkControlsFor(input.rootAccess !== undefined),
          generatedAt: now(),
          catalogueOf: catalogueLookup(),
          explainDenial: input.regionDenials
            ? regionDenialExplainer({ ...input.regionDenials, inventory })
            : undefined,
        },
        inScope: new Map(accounts.map((a) => [a.id, a])),
      };
      // Read while the accounts are evaluated; a failure becomes ERROR rows in finish().
      if (wants("policies") && input.policies) {
        policies = input.policies(inventory);
        policies.catch(() => {});
      }
      // One after another: the rows of thousands of accounts done during the walk are never all
      // in memory at once, and each account's findings go once its rows are written. Each turn
      // gives the event loop back: the workers' answers keep coming, and V8 finishes its garbage
      // collections (a loop of microtasks alone let the heap grow by 110 MB at 20,000 accounts).
      const backlog = waiting;
      waiting = [];
      track(
        (async () => {
          for (let w = backlog.pop(); w; w = backlog.pop()) {
            await make(unspilled(w));
            await yieldToEventLoop();
          }
        })(),
      );
    },
    async finish() {
      const { context } = ready as NonNullable<typeof ready>;
      await Promise.all(making);
      if (failure) throw failure.error;
      config.complete((account, o) => rowOf(account, "config", o, context));
      if (wants("policies")) await appendPolicyRows(policies, ready as NonNullable<typeof ready>, store);
      return {
        generatedAt: context.generatedAt.toISOString(),
        organizationId: context.inventory.organizationId,
        rows: store,
      };
    },
  };
}

const accountKey = (a: OrgAccount): AccountKey => ({
  ouPath: a.ouPath,
  accountName: a.name,
  accountId: a.id,
});

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

/** One row of an account. */
function rowOf(
  account: OrgAccount,
  source: ReportSource,
  o: ControlOutcome,
  { generatedAt, catalogueOf }: Pick<RowContext, "generatedAt" | "catalogueOf">,
): ReportRow {
  return {
    accountId: account.id,
    accountName: account.name,
    ouPath: account.ouPath,
    control: o.control,
    source,
    status: o.status,
    resourceType: o.resourceType ?? "AWS::::Account",
    resourceId: o.resourceId ?? account.id,
    reason: o.reason.replace(/\s+/g, " ").trim(),
    // A date that is no date (an unparsable timestamp) is the report's, here as after JSON (null).
    evaluatedAt: (o.evaluatedAt && !Number.isNaN(o.evaluatedAt.getTime())
      ? o.evaluatedAt
      : generatedAt
    ).toISOString(),
    region: o.region ?? "",
    ...catalogueOf(o.control),
  };
}

/**
 * One account's check, guardrail and SCP rows: its outcomes, or a SKIPPED or ERROR row per control
 * when it was not read. Its Config rows wait in `config` for the report's Config controls.
 */
async function accountRows(r: AccountDone, context: RowContext, config: ConfigRows): Promise<ReportRow[]> {
  const { inventory, judgeScp, judgeRcp, exemptResources, wants, checkControls, explainDenial } = context;
  // RCP coverage is part of the scp source: read RCPs where the type is enabled, and where it is not,
  // NON_COMPLIANT rows that say so (an auditor must see the missing perimeter, not no rows).
  const rcps = judgeRcp;
  const account = r.account;
  if (r.ok) config.found(r.value);
  const rows: ReportRow[] = [];
  const row = (source: ReportSource, o: ControlOutcome) => rowOf(account, source, o, context);
  const all = (
    source: ReportSource,
    controls: readonly ControlId[],
    status: "SKIPPED" | "ERROR",
    reason: string,
  ) => controls.map((control) => rows.push(row(source, { control, status, reason })));

  if (account.state !== "ACTIVE") {
    const reason = `account is ${account.state}`;
    if (wants("check")) all("check", checkControls, "SKIPPED", reason);
    if (wants("guardrails")) all("guardrails", GUARDRAIL_CONTROLS, "SKIPPED", reason);
    config.hold(account, { status: "SKIPPED", reason }, []);
    if (wants("scp")) all("scp", rcps ? [...SCP_CONTROLS, ...RCP_CONTROLS] : SCP_CONTROLS, "SKIPPED", reason);
    return rows;
  }
  if (wants("scp")) for (const o of await scpCoverage(inventory, account, judgeScp)) rows.push(row("scp", o));
  // The RCPs on the account's path: rows of the scp source, and credit on the guardrails' rows.
  const rcpOutcomes =
    rcps && (wants("scp") || wants("guardrails")) ? await rcpCoverage(inventory, account, rcps) : [];
  if (wants("scp")) for (const o of rcpOutcomes) rows.push(row("scp", o));
  if (!r.ok) {
    const reason = r.error.hint ? `${r.error.message} (${r.error.hint})` : r.error.message;
    if (wants("check")) all("check", checkControls, "ERROR", reason);
    if (wants("guardrails")) all("guardrails", GUARDRAIL_CONTROLS, "ERROR", reason);
    config.hold(account, { status: "ERROR", reason }, []);
    return rows;
  }
  // No call where no tag-exempt RCP is in effect: an organization without RCPs makes none.
  const exemptions = rcpOutcomes.flatMap((o) =>
    o.exemptTagKey ? [{ policy: policyOfControl(o.control), tagKey: o.exemptTagKey }] : [],
  );
  if (wants("scp") && exemptResources && exemptions.length > 0)
    for (const o of await exemptResources(account, exemptions)) rows.push(row("scp", o));
  if (wants("check"))
    for (const o of r.value.check ?? []) rows.push(row("check", await settle(account, o, explainDenial)));
  if (wants("guardrails"))
    for (const o of r.value.guardrails ?? [])
      rows.push(row("guardrails", creditRcps(await settle(account, o, explainDenial), rcpOutcomes)));
  if (r.value.configError)
    config.hold(
      account,
      { status: "ERROR", reason: `reading Config results failed: ${r.value.configError.message}` },
      [],
    );
  else
    config.hold(
      account,
      { status: "SKIPPED", reason: "no orgwarden rule for this control is deployed in this account" },
      configOutcomes(r.value.config ?? []).map((o) => row("config", o)),
    );
  return rows;
}

/**
 * The `policies` source's rows, once every account is done. A reading that failed as a whole (the
 * organization unreachable, ListRoots refused) is an ERROR row of each control instead.
 */
async function appendPolicyRows(
  reading: Promise<PolicyOverview> | undefined,
  { context, inScope }: { context: RowContext; inScope: Map<string, OrgAccount> },
  store: RowStore,
): Promise<void> {
  const accounts = [...inScope.values()];
  let outcomes: Map<string, ControlOutcome[]>;
  try {
    if (!reading) throw new Error("the report was given no way to read the policy types");
    outcomes = policyOutcomes(await reading, context.inventory, accounts);
  } catch (err) {
    const reason = `the policy types could not be read: ${describeAwsError(err, "Organizations").message}`;
    const management = context.inventory.managementAccountId;
    outcomes = new Map(
      accounts.map((a) => [
        a.id,
        [
          { control: "effective-policy-valid" as const, status: "ERROR" as const, reason },
          ...(a.id === management
            ? [{ control: "policy-slots" as const, status: "ERROR" as const, reason }]
            : []),
        ],
      ]),
    );
  }
  for (const account of accounts) {
    const rows = (outcomes.get(account.id) ?? []).map((o) => rowOf(account, "policies", o, context));
    store.append(accountKey(account), rows);
  }
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
