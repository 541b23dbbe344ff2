import {
  type AccountClients,
  type AccountResult,
  type ApiCallCounter,
  type ControlId,
  controlEntry,
  createFanOut,
  describeAwsError,
  frameworkIds,
  type Inventory,
  type Logger,
  type OrgAccount,
  silentLogger,
} from "@orgwarden/core";
import { DEFAULT_RULES } from "@orgwarden/rules";
import type { AwsCredentialIdentity } from "@smithy/types";
import { configOutcomes } from "./config-outcomes.js";
import {
  type AccountEvaluationSettings,
  type AccountFindings,
  accountEvaluator,
  organizationTrailsOnce,
  wantsSource,
} from "./evaluate-account.js";
import {
  CHECK_CONTROLS,
  type ControlOutcome,
  compareRows,
  type Report,
  type ReportRow,
  type ReportSource,
  ROOT_ACCESS_CONTROLS,
  SCP_CONTROLS,
} from "./report-model.js";
import type { RootAccessReading } from "./root-checks.js";
import { type JudgeScp, scpCoverage } from "./scp-coverage.js";
import type { TrailJudgement } from "./trail-checks.js";
import { type EvaluationWorkerSetup, errorToWire } from "./workers/wire.js";
import { EvaluationPool } from "./workers/worker-pool.js";

export interface CollectReportInput extends ReportEvaluationInput {
  inventory: Inventory;
  /** The accounts to report on (e.g. those under --ou), in inventory order. */
  accounts: readonly OrgAccount[];
}

/** What evaluating accounts needs; the inventory is only needed at the end, for the rows. */
export interface ReportEvaluationInput extends AccountEvaluationSettings {
  clients: AccountClients;
  /** Judges attached orgwarden policies against the library (drift, managed tag): SCP coverage. */
  judgeScp: JudgeScp;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /**
   * Centralized root access (features and AssumeRoot audits): adds root-credentials-centralized and
   * root-credentials-present to the check source.
   */
  rootAccess?: RootAccessReading | undefined;
  /** Worker threads that evaluate accounts; every account is evaluated in this thread without. */
  workers?: ReportWorkers | undefined;
}

/** Worker threads for the account evaluations: the report's CPU spread over every core. */
export interface ReportWorkers {
  /** Threads; 0 evaluates every account in this thread. */
  count: number;
  /** Accounts evaluated in this thread before the workers start, so a small organization never pays for them. */
  startAfter: number;
  /** How the workers reach AWS: the command's client options and role. */
  connection: Pick<EvaluationWorkerSetup, "factory" | "assumer" | "logLevel">;
  /** The operator's credentials, resolved (and refreshed) by this thread. */
  operatorCredentials: () => Promise<AwsCredentialIdentity>;
  /** The workers' API calls are added here. */
  callCounter?: ApiCallCounter | undefined;
}

/** A report in progress: accounts are evaluated as they are added, rows are built at the end. */
export interface ReportRun {
  /** Starts evaluating an account (e.g. as the organization walk finds it). */
  add(account: OrgAccount): void;
  /** Evaluates any account not added yet, waits for all, and builds the rows. */
  finish(inventory: Inventory, accounts: readonly OrgAccount[]): Promise<Report>;
}

/**
 * Builds the report: one parallel pass over the accounts (one AssumeRole each, every call once),
 * then rows for every account × control × selected source. No account is ever missing: a suspended
 * account gets SKIPPED rows, one that cannot be reached gets ERROR rows with the reason.
 */
export async function collectReport(input: CollectReportInput): Promise<Report> {
  const run = startReport(input);
  return run.finish(input.inventory, input.accounts);
}

/** Starts a report whose account work can begin before the inventory is complete. */
export function startReport(input: ReportEvaluationInput): ReportRun {
  const logger = input.logger ?? silentLogger();
  const now = input.now ?? (() => new Date());
  const explicit = input.sources !== undefined;
  const wants = (s: ReportSource) => wantsSource(input.sources, s);
  // Judged once in this thread, and handed to the worker threads as it is.
  const organizationTrails = organizationTrailsOnce(input.clients, input.homeRegion, logger);
  const evaluate = accountEvaluator(input, {
    clients: input.clients,
    logger,
    now,
    organizationTrails,
    ...(input.rootAccess ? { rootAccess: input.rootAccess } : {}),
  });
  // Past `startAfter` accounts, evaluations go to worker threads (started on first need).
  let added = 0;
  let pool: Promise<EvaluationPool> | undefined;
  const workers = input.workers;
  const task = (account: OrgAccount): Promise<AccountFindings> => {
    added += 1;
    if (!workers || workers.count <= 0 || added <= workers.startAfter) return evaluate(account);
    pool ??= startPool(input, workers, organizationTrails, logger);
    return pool.then((p) => p.evaluate(account));
  };
  const run = createFanOut(task, {
    concurrency: input.concurrency ?? 16,
    logger,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });

  return {
    add: (account) => run.add(account),
    finish: async (inventory, accounts) => {
      for (const a of accounts) run.add(a);
      const settled = new Map((await run.settle()).map((r) => [r.account.id, r]));
      if (pool) await (await pool.catch(() => undefined))?.close();
      const results = accounts.map((a) => settled.get(a.id) as AccountResult<OrgAccount, AccountFindings>);
      return buildReport(input, inventory, results, { wants, explicit, now });
    },
  };
}

async function startPool(
  input: ReportEvaluationInput,
  workers: ReportWorkers,
  organizationTrails: () => Promise<readonly TrailJudgement[]>,
  logger: Logger,
): Promise<EvaluationPool> {
  const root = input.rootAccess;
  const features = root
    ? await root.features().then(
        (value) => ({ ok: true as const, value }),
        (err: unknown) => ({ ok: false as const, error: errorToWire(describeAwsError(err)) }),
      )
    : undefined;
  const pool = new EvaluationPool({
    size: workers.count,
    setup: {
      ...workers.connection,
      settings: evaluationSettings(input),
      operatorCredentials: await workers.operatorCredentials(),
      organizationTrails: wantsSource(input.sources, "check") ? [...(await organizationTrails())] : [],
      ...(root && features ? { rootAccess: { audits: root.audits, features } } : {}),
    },
    logger,
    operatorCredentials: workers.operatorCredentials,
    callCounter: workers.callCounter,
  });
  logger.info({ workers: pool.size }, "evaluation workers started");
  return pool;
}

/** The plain settings of an evaluation, for a worker thread (no clients, functions or loggers). */
function evaluationSettings(input: ReportEvaluationInput): AccountEvaluationSettings {
  return {
    sources: input.sources,
    homeRegion: input.homeRegion,
    regions: input.regions,
    ...(input.partition ? { partition: input.partition } : {}),
    ...(input.mfaPolicyName ? { mfaPolicyName: input.mfaPolicyName } : {}),
    mfaExemptTagKey: input.mfaExemptTagKey,
    ...(input.password ? { password: input.password } : {}),
    rules: input.rules,
    aggregator: input.aggregator,
    ...(input.credentialReportTimeoutMs
      ? { credentialReportTimeoutMs: input.credentialReportTimeoutMs }
      : {}),
  };
}

async function buildReport(
  input: ReportEvaluationInput,
  inventory: Inventory,
  results: Array<AccountResult<OrgAccount, AccountFindings>>,
  { wants, explicit, now }: { wants: (s: ReportSource) => boolean; explicit: boolean; now: () => Date },
): Promise<Report> {
  const configControls = configControlsFor(input, results, explicit && wants("config"));
  const checkControls = input.rootAccess ? [...CHECK_CONTROLS, ...ROOT_ACCESS_CONTROLS] : CHECK_CONTROLS;
  const generatedAt = now();
  const rows: ReportRow[] = [];
  // Severity and frameworks per control, made once: 20,000 accounts share the same strings.
  const catalogue = new Map<ControlId, { severity: string; frameworks: string }>();
  const catalogueOf = (control: ControlId) => {
    let c = catalogue.get(control);
    if (!c) {
      const entry = controlEntry(control);
      c = { severity: entry.severity, frameworks: frameworkIds(entry) };
      catalogue.set(control, c);
    }
    return c;
  };
  for (const r of results) {
    const account = r.account;
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
      continue;
    }
    if (wants("scp"))
      for (const o of await scpCoverage(inventory, account, input.judgeScp)) rows.push(row("scp", o));
    if (!r.ok) {
      const reason = r.error.hint ? `${r.error.message} (${r.error.hint})` : r.error.message;
      if (wants("check")) all("check", checkControls, "ERROR", reason);
      if (configControls.length) all("config", configControls, "ERROR", reason);
      continue;
    }
    if (wants("check")) for (const o of r.value.check ?? []) rows.push(row("check", o));
    if (configControls.length) {
      if (r.value.configError) {
        all(
          "config",
          configControls,
          "ERROR",
          `reading Config results failed: ${r.value.configError.message}`,
        );
        continue;
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
  }
  rows.sort(compareRows);
  return { generatedAt: generatedAt.toISOString(), organizationId: inventory.organizationId, rows };
}

function configControlsFor(
  input: ReportEvaluationInput,
  results: Array<{ ok: boolean; value?: AccountFindings }>,
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
