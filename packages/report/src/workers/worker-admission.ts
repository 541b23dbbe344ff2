/** How a worker's share of accounts follows how busy its thread is (WorkerAdmission). */
export interface AdmissionOptions {
  /** Accounts given at once before anything is measured. */
  initial: number;
  /** Never fewer than this at once. */
  min?: number;
  /** At or above this event loop utilization the thread is saturated: its share shrinks. */
  saturated?: number;
  /** Below this, and with its share full, the thread has room: its share grows. */
  room?: number;
}

/**
 * How many accounts one worker thread (or the main thread, beside the workers) is given at once. The fan-out keeps `--concurrency` accounts
 * in flight; a worker whose event loop is already saturated gains nothing from more of them — their
 * requests only wait for the same CPU, each with its objects alive (garbage collection) and its own
 * socket — so the extra accounts wait in the pool, holding nothing, until the worker has room.
 * Measured every quarter second from the worker's event loop utilization
 * (https://nodejs.org/api/worker_threads.html#workerperformance): saturated, the share shrinks by a
 * fifth; idle time left while its share was full, it grows by a quarter. With high latency the
 * threads wait more than they work, and the share grows to whatever the fan-out allows.
 */
export class WorkerAdmission {
  #limit: number;
  readonly #min: number;
  readonly #saturated: number;
  readonly #room: number;

  constructor(options: AdmissionOptions) {
    this.#min = Math.max(1, options.min ?? 2);
    this.#limit = Math.max(this.#min, options.initial);
    this.#saturated = options.saturated ?? 0.95;
    this.#room = options.room ?? 0.85;
  }

  /** Accounts the worker may have at once now. */
  get limit(): number {
    return this.#limit;
  }

  /**
   * One measurement: the thread's event loop utilization (0–1) since the last one, and whether the
   * worker had its whole share in flight at some point in that time.
   */
  observe(utilization: number, full: boolean): void {
    if (utilization >= this.#saturated) this.#limit = Math.max(this.#min, Math.floor(this.#limit * 0.8));
    else if (utilization < this.#room && full) this.#limit += Math.max(1, Math.floor(this.#limit / 4));
  }
}
