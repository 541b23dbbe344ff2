import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  type AccountClients,
  type ApiCallCounter,
  createFanOut,
  DEFAULT_CONCURRENCY,
  describeAwsError,
  type Inventory,
  type Logger,
  type OrgAccount,
  silentLogger,
  type WaitListener,
} from "@orgwarden/core";
import type { AwsCredentialIdentity } from "@smithy/types";
import { type ReportRowsInput, reportRowMaker } from "./build-rows.js";
import type { RootAccessReading } from "./checks/root-access.js";
import type { TrailJudgement } from "./checks/trails.js";
import {
  type AccountEvaluationSettings,
  type AccountFindings,
  accountEvaluator,
  forgettingEachAccount,
  organizationTrailsOnce,
  wantsSource,
} from "./evaluate-account.js";
import { EvaluationPlacement } from "./evaluation-placement.js";
import type { FindingsJson } from "./findings-json.js";
import { exemptResourceReader } from "./rcp-exempt-resources.js";
import type { Report } from "./report-model.js";
import { RowStore } from "./row-store.js";
import type { JudgeScp } from "./scp-coverage.js";
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
  /** Judges orgwarden's RCPs against the RCP library: RCP coverage, for an inventory with its RCPs read. */
  judgeRcp?: JudgeScp | undefined;
  /**
   * The operator's Organizations client: reads the SCPs on the path of an account where a region
   * refused orgwarden, to name a region-deny SCP. Without it such a region is an ERROR.
   */
  organizations?: OrganizationsClient | undefined;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /**
   * Centralized root access (features and AssumeRoot audits): adds root-credentials-centralized and
   * root-credentials-present to the check source.
   */
  rootAccess?: RootAccessReading | undefined;
  /**
   * Worker threads that evaluate accounts beside this thread; every account is evaluated in this
   * thread without.
   */
  workers?: ReportWorkers | undefined;
  /**
   * The counter the command's clients count into: an account whose call waits out a back-off (in
   * this thread, or a worker's) lends its place meanwhile (FanOut.lend), so `concurrency` counts
   * the accounts at work, not those asleep.
   */
  callCounter?: ApiCallCounter | undefined;
  /** The `policies` source: reads every policy type once the inventory is complete. */
  policies?: ReportRowsInput["policies"];
}

/** Worker threads for the account evaluations: the report's CPU spread over every core. */
export interface ReportWorkers {
  /**
   * Worker threads; this thread takes a share of the accounts beside them. 0 evaluates every account
   * in this thread alone.
   */
  count: number;
  /**
   * An organization of at most this many accounts is evaluated in this thread (it never pays for
   * starting workers); a larger one in the workers from when that is known (EvaluationPlacement).
   * 0: always workers.
   */
  startAfter: number;
  /** How the workers reach AWS: the command's client options and role. */
  connection: Pick<EvaluationWorkerSetup, "factory" | "assumer" | "logLevel">;
  /** The operator's credentials, resolved (and refreshed) by this thread. */
  operatorCredentials: () => Promise<AwsCredentialIdentity>;
  /** The workers' API calls are added here. */
  callCounter?: ApiCallCounter | undefined;
}

/**
 * A report in progress: accounts are evaluated as they are added, and each account's rows go to disk
 * as it is done (once the inventory is complete).
 */
export interface ReportRun {
  /** Starts evaluating an account (e.g. as the organization walk finds it). */
  add(account: OrgAccount): void;
  /**
   * Evaluates any account not added yet and waits for all. The report's rows are on disk until its
   * owner calls closeReport(report) (or the process exits).
   */
  finish(inventory: Inventory, accounts: readonly OrgAccount[]): Promise<Report>;
  /** Gives the report up (e.g. the walk failed): its rows so far are removed. */
  close(): void;
}

/**
 * Builds the report: one parallel pass over the accounts (one AssumeRole each, every call once),
 * and rows for every account × control × selected source as each is done (build-rows.ts). No
 * account is ever missing: a suspended account gets SKIPPED rows, one that cannot be reached gets
 * ERROR rows with the reason. The caller closes the report (closeReport) once it is written.
 */
export async function collectReport(input: CollectReportInput): Promise<Report> {
  const run = startReport(input);
  return run.finish(input.inventory, input.accounts);
}

/** Starts a report whose account work can begin before the inventory is complete. */
export function startReport(input: ReportEvaluationInput): ReportRun {
  const logger = input.logger ?? silentLogger();
  const now = input.now ?? (() => new Date());
  // Judged once in this thread, and handed to the worker threads as it is.
  const organizationTrails = organizationTrailsOnce(input.clients, input.homeRegion, logger);
  const evaluate = accountEvaluator(input, {
    clients: input.clients,
    logger,
    now,
    organizationTrails,
    ...(input.rootAccess ? { rootAccess: input.rootAccess } : {}),
  });
  // An account this thread evaluates beside the workers is forgotten once done, as in a worker.
  const evaluateAndForget = forgettingEachAccount(evaluate, input);
  // Past `startAfter` accounts, every evaluation goes to worker threads (started on first need).
  const workers = input.workers;
  const placement = new EvaluationPlacement({
    workersPast: workers && workers.count > 0 ? workers.startAfter : Number.POSITIVE_INFINITY,
  });
  let pool: Promise<EvaluationPool> | undefined;
  const closePool = async () => {
    if (pool) await (await pool.catch(() => undefined))?.close();
  };
  // Set once the fan-out exists: a waiting account's place goes to the next one.
  let lend: WaitListener = () => {};
  const evaluateSomewhere = (account: OrgAccount): Promise<AccountFindings | FindingsJson> => {
    if (placement.where() === "this-thread" || !workers) return evaluate(account);
    pool ??= startPool(input, workers, organizationTrails, logger, evaluateAndForget, (scope, ms) =>
      lend(scope, ms),
    );
    return pool.then((p) => p.evaluate(account));
  };
  // Made first: a temporary folder (TMPDIR) that cannot be written fails the report before any
  // account work.
  const store = new RowStore();
  const rows = reportRowMaker(rowsInput(input), now, store);
  // Findings go to the rows as each account is done, never into the fan-out's results, so they
  // are dropped once the account's rows are on disk. A failure is the fan-out's to log and count.
  const task = async (account: OrgAccount): Promise<void> => {
    let findings: AccountFindings | FindingsJson;
    try {
      findings = await evaluateSomewhere(account);
    } catch (err) {
      rows.add({ account, ok: false, error: describeAwsError(err) });
      throw err;
    }
    rows.add({ account, ok: true, value: findings });
  };
  const run = createFanOut(task, {
    concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
    logger,
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  lend = (scope, ms) => run.lend(scope, ms);
  const stopLending = input.callCounter?.onWait(lend);

  return {
    add: (account) => {
      placement.known();
      run.add(account);
    },
    finish: async (inventory, accounts) => {
      try {
        placement.complete(accounts.length);
        rows.start(inventory, accounts);
        for (const a of accounts) run.add(a);
        await run.settle();
        stopLending?.();
        await closePool();
        return await rows.finish();
      } catch (err) {
        stopLending?.();
        store.close();
        // A failed report leaves no worker thread behind in a long-running process (run).
        await closePool().catch(() => {});
        throw err;
      }
    },
    close: () => {
      stopLending?.();
      store.close();
      void closePool().catch(() => {});
    },
  };
}

/** What the rows need of the report's input. */
function rowsInput(input: ReportEvaluationInput): ReportRowsInput {
  return {
    sources: input.sources,
    rules: input.rules,
    judgeScp: input.judgeScp,
    judgeRcp: input.judgeRcp,
    // As the member account, in the regions of --regions (the home region without): only for an
    // account a tag-exempt RCP reaches in sync.
    exemptResources: input.judgeRcp
      ? exemptResourceReader(input.clients, input.regions ?? [input.homeRegion])
      : undefined,
    rootAccess: input.rootAccess,
    policies: input.policies,
    // The operator's Organizations client reads the SCPs a refused region may be closed by.
    ...(input.organizations
      ? {
          regionDenials: {
            organizations: input.organizations,
            roleName: input.clients.assumer.roleName,
            ...(input.partition ? { partition: input.partition } : {}),
          },
        }
      : {}),
  };
}

async function startPool(
  input: ReportEvaluationInput,
  workers: ReportWorkers,
  organizationTrails: () => Promise<readonly TrailJudgement[]>,
  logger: Logger,
  evaluateHere: (account: OrgAccount) => Promise<AccountFindings>,
  onWait: WaitListener,
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
    onWait,
    // This thread takes its share beside the workers (ReportWorkers.count says how many there are).
    thisThread: evaluateHere,
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
    ...(input.configServiceLinkedRoleCheck === false ? { configServiceLinkedRoleCheck: false } : {}),
    rules: input.rules,
    aggregator: input.aggregator,
    ...(input.credentialReportTimeoutMs
      ? { credentialReportTimeoutMs: input.credentialReportTimeoutMs }
      : {}),
  };
}
