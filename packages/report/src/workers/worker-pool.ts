import { type EventLoopUtilization, performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import {
  type ApiCallCounter,
  describeAwsError,
  type Logger,
  type OrgAccount,
  OrgwardenError,
  type WaitListener,
} from "@orgwarden/core";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { AccountFindings } from "../evaluate-account.js";
import { FindingsJson } from "../findings-json.js";
import {
  type EvaluationWorkerSetup,
  errorFromWire,
  errorToWire,
  type FromWorker,
  type ToWorker,
} from "./wire.js";
import { WorkerAdmission } from "./worker-admission.js";

/** Old-generation heap of one worker; its live data is the accounts in flight (a few MB). */
export const WORKER_HEAP_MB = 128;
/**
 * Young generation of one worker (two 16 MB semi-spaces). Measured at 5,000 accounts (bench/README.md):
 * 96 MB cost 425–431 MB of peak RSS, 48 MB 361–365 MB, with the CPU per account within the
 * machine's noise (11.0–11.2 against 10.8–11.9 ms); 32 MB saved nothing more.
 */
export const WORKER_YOUNG_MB = 48;

export interface EvaluationPoolOptions {
  size: number;
  setup: EvaluationWorkerSetup;
  logger: Logger;
  /** The operator's credentials, fresh: the workers ask before theirs expire. */
  operatorCredentials: () => Promise<AwsCredentialIdentity>;
  /** The workers' API calls are added here when they close. */
  callCounter?: ApiCallCounter | undefined;
  /** Told of each wait of an account's call in a worker (ApiCallCounter.onWait), as it begins. */
  onWait?: WaitListener | undefined;
  /**
   * Evaluates an account in this thread: this thread then takes a share of the accounts beside the
   * workers, sized by the same measure of its own event loop (WorkerAdmission).
   */
  thisThread?: ((account: OrgAccount) => Promise<AccountFindings>) | undefined;
}

/**
 * Accounts a worker is always given at once, if the fan-out has them (WorkerAdmission grows the
 * share from there while the worker has idle time). 32 keep a worker's core busy at 50 ms per
 * request (bench/README.md). It is a floor because the utilization is not CPU time: a thread that
 * is ready but waits for a core (a busy or CPU-limited machine), or a CPU profiler's sampling,
 * reads as saturated; with a floor of 16 such readings cost a 1,000-account report 25–75 % more wall
 * time, and a profiled 5,000-account report four times the time.
 */
const INITIAL_SHARE = 32;
/** This thread's share never shrinks below this (EvaluationPoolOptions.thisThread). */
const THIS_THREAD_MIN_SHARE = 8;
/** How often each worker's event loop utilization is read. */
const ADMISSION_EVERY_MS = 250;

interface Waiting {
  account: OrgAccount;
  resolve: (f: FindingsJson | AccountFindings) => void;
  reject: (e: Error) => void;
}

/** This thread's share (EvaluationPoolOptions.thisThread). */
interface Here {
  evaluate: (account: OrgAccount) => Promise<AccountFindings>;
  inFlight: number;
  admission: WorkerAdmission;
  mark: EventLoopUtilization;
  wasFull: boolean;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (f: FindingsJson) => void; reject: (e: Error) => void }>;
  admission: WorkerAdmission;
  /** The worker's event loop utilization when last read. */
  mark: EventLoopUtilization;
  /** Whether its whole share was in flight since then. */
  wasFull: boolean;
  failed?: OrgwardenError;
  exited?: boolean;
  closed?: Promise<void>;
}

/**
 * Worker threads that evaluate accounts, so the report's CPU (the SDK's serialising, signing and
 * parsing, about 1 ms per request) spreads over every core — and, with `thisThread`, this thread
 * beside them, so a machine of N cores runs N − 1 workers: one isolate fewer (each holds the SDK's
 * code and its own young generation, about 80 MB), and this thread's findings are never copied.
 * Each account goes to the thread with the most room in its share (WorkerAdmission: a saturated
 * thread is not given more); past every share, accounts wait here in the order they came. A worker
 * that dies fails its accounts (ERROR rows with the reason), never loses them; the accounts still
 * waiting go to the others.
 */
export class EvaluationPool {
  readonly #slots: Slot[] = [];
  readonly #here: Here | undefined;
  readonly #options: EvaluationPoolOptions;
  readonly #waiting: Waiting[] = [];
  readonly #measure: NodeJS.Timeout;
  #next = 0;
  #closing = false;
  /** Accounts evaluated by this thread and by the workers (logged when the pool closes). */
  readonly #evaluated = { thisThread: 0, workers: 0 };

  constructor(options: EvaluationPoolOptions) {
    this.#options = options;
    for (let i = 0; i < Math.max(1, options.size); i++) this.#slots.push(this.#start());
    if (options.thisThread) {
      this.#here = {
        evaluate: options.thisThread,
        inFlight: 0,
        // This thread also walks the organization and writes the rows: its share starts as a
        // worker's and shrinks whenever its event loop is saturated, down to a few accounts.
        admission: new WorkerAdmission({ initial: INITIAL_SHARE, min: THIS_THREAD_MIN_SHARE }),
        mark: performance.eventLoopUtilization(),
        wasFull: false,
      };
    }
    this.#measure = setInterval(() => this.#admit(), ADMISSION_EVERY_MS);
    this.#measure.unref();
  }

  /** Worker threads (this thread not counted). */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * The account's findings: as a worker wrote them (read them with findingsFromJson), or as this
   * thread found them.
   */
  evaluate(account: OrgAccount): Promise<FindingsJson | AccountFindings> {
    if (this.#closing)
      return Promise.reject(new OrgwardenError("INTERNAL", "the evaluation workers are closed"));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ account, resolve, reject });
      this.#dispatch();
    });
  }

  /** Closes every worker and adds their API call counts to the command's. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#measure);
    const closed = new OrgwardenError("INTERNAL", "the evaluation workers are closed");
    for (const w of this.#waiting.splice(0)) w.reject(closed);
    await Promise.all(this.#slots.map((s) => this.#close(s)));
    this.#options.logger.info(
      { workers: this.#slots.length, accounts: { ...this.#evaluated } },
      "evaluation workers closed",
    );
  }

  /** Gives waiting accounts to the threads with room, in the order they came. */
  #dispatch(): void {
    while (this.#waiting.length > 0 && !this.#closing) {
      const live = this.#slots.filter((s) => !s.failed && !s.closed && !s.exited);
      const here = this.#here;
      if (live.length === 0 && !here) {
        const why =
          this.#slots.find((s) => s.failed)?.failed ??
          new OrgwardenError("INTERNAL", "the evaluation workers are closed");
        for (const w of this.#waiting.splice(0)) w.reject(why);
        return;
      }
      const room = (s: Slot) => s.admission.limit - s.pending.size;
      const slot = live.length > 0 ? live.reduce((best, s) => (room(s) > room(best) ? s : best)) : undefined;
      const hereRoom = here ? here.admission.limit - here.inFlight : Number.NEGATIVE_INFINITY;
      if (here && hereRoom > 0 && (!slot || hereRoom > room(slot))) {
        this.#evaluateHere(here, this.#waiting.shift() as Waiting);
        continue;
      }
      if (!slot || room(slot) <= 0) return;
      const next = this.#waiting.shift() as Waiting;
      const id = ++this.#next;
      slot.pending.set(id, { resolve: next.resolve, reject: next.reject });
      if (slot.pending.size >= slot.admission.limit) slot.wasFull = true;
      // A worker keeps the process alive only while it has work: a command that fails before
      // closing the pool still exits.
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ type: "evaluate", id, account: next.account } satisfies ToWorker);
    }
  }

  #evaluateHere(here: Here, next: Waiting): void {
    here.inFlight += 1;
    if (here.inFlight >= here.admission.limit) here.wasFull = true;
    let evaluation: Promise<AccountFindings>;
    try {
      evaluation = here.evaluate(next.account);
    } catch (err) {
      evaluation = Promise.reject(err);
    }
    evaluation.then(
      (findings) => {
        here.inFlight -= 1;
        this.#evaluated.thisThread += 1;
        next.resolve(findings);
        this.#dispatch();
      },
      (err: unknown) => {
        here.inFlight -= 1;
        this.#evaluated.thisThread += 1;
        next.reject(err instanceof Error ? err : new Error(String(err)));
        this.#dispatch();
      },
    );
  }

  /** Reads each thread's event loop utilization and resizes its share (WorkerAdmission). */
  #admit(): void {
    for (const slot of this.#slots) {
      if (slot.failed || slot.closed) continue;
      const now = slot.worker.performance.eventLoopUtilization();
      const since = slot.worker.performance.eventLoopUtilization(now, slot.mark);
      slot.mark = now;
      slot.admission.observe(since.utilization, slot.wasFull);
      slot.wasFull = slot.pending.size >= slot.admission.limit;
    }
    const here = this.#here;
    if (here) {
      const now = performance.eventLoopUtilization();
      here.admission.observe(performance.eventLoopUtilization(now, here.mark).utilization, here.wasFull);
      here.mark = now;
      here.wasFull = here.inFlight >= here.admission.limit;
    }
    this.#dispatch();
  }

  #start(): Slot {
    const worker = new Worker(new URL("./evaluation-worker.js", import.meta.url), {
      workerData: this.#options.setup,
      // A worker holds only the accounts in flight: a small heap, collected often, keeps the
      // process's memory near one thread's instead of growing with each worker.
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: Slot = {
      worker,
      pending: new Map(),
      admission: new WorkerAdmission({ initial: INITIAL_SHARE, min: INITIAL_SHARE }),
      mark: worker.performance.eventLoopUtilization(),
      wasFull: false,
    };
    worker.unref();
    worker.on("message", (m: FromWorker) => this.#receive(slot, m));
    const fail = (err: Error) => {
      slot.failed ??= new OrgwardenError("INTERNAL", `an evaluation worker thread failed: ${err.message}`, {
        hint: "Run again with --workers 0 to evaluate in one thread, and report this as a bug.",
        cause: err,
      });
      for (const p of slot.pending.values()) p.reject(slot.failed);
      slot.pending.clear();
      this.#dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      slot.exited = true;
      // A worker that exits takes no more accounts, even with none in flight; one closed (or stopped
      // for not answering) with accounts in flight fails them: none is left unanswered.
      if (!slot.closed || slot.pending.size > 0) fail(new Error(`it exited with code ${code}`));
    });
    return slot;
  }

  #receive(slot: Slot, m: FromWorker): void {
    switch (m.type) {
      case "result": {
        const p = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        if (slot.pending.size === 0) slot.worker.unref();
        this.#dispatch();
        if (!p) return;
        this.#evaluated.workers += 1;
        if (m.result.ok) p.resolve(new FindingsJson(m.result.value));
        else p.reject(errorFromWire(m.result.error));
        return;
      }
      case "credentials":
        this.#options.operatorCredentials().then(
          (value) =>
            slot.worker.postMessage({
              type: "credentials",
              id: m.id,
              result: { ok: true, value },
            } satisfies ToWorker),
          (err: unknown) =>
            slot.worker.postMessage({
              type: "credentials",
              id: m.id,
              result: { ok: false, error: errorToWire(describeAwsError(err)) },
            } satisfies ToWorker),
        );
        return;
      case "log":
        logAt(this.#options.logger, m.level, m.record);
        return;
      case "wait":
        this.#options.onWait?.(m.scope, m.ms);
        return;
      case "closed":
        this.#options.callCounter?.add(m.counts);
        return;
    }
  }

  #close(slot: Slot): Promise<void> {
    slot.closed ??= new Promise<void>((resolve) => {
      if (slot.exited) return resolve();
      slot.worker.ref();
      slot.worker.once("exit", () => resolve());
      slot.worker.postMessage({ type: "close" } satisfies ToWorker);
      // A worker that does not answer in time is stopped.
      setTimeout(() => void slot.worker.terminate(), 10_000).unref();
    });
    return slot.closed;
  }
}

/** A worker's log record, written by the main thread's logger at its level. */
function logAt(logger: Logger, level: number, record: Record<string, unknown>): void {
  const { msg, time: _time, name: _name, pid: _pid, hostname: _hostname, ...fields } = record;
  const method =
    level >= 50 ? "error" : level >= 40 ? "warn" : level >= 30 ? "info" : level >= 20 ? "debug" : "trace";
  logger[method]({ ...fields, thread: "worker" }, String(msg ?? ""));
}
