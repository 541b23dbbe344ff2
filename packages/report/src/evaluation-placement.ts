/** Where a report's accounts are evaluated. */
export type Placement = "this-thread" | "workers";

export interface PlacementOptions {
  /** More accounts than this known: workers. 0 puts every account in workers. */
  workersPast: number;
  /** The walk still going this long after its first account: workers (a large organization). Default 1 s. */
  walkLongerThanMs?: number;
  /** Starts the timer (tests pass their own). */
  setTimer?: (fn: () => void, ms: number) => void;
}

/**
 * Decides once where accounts are evaluated: this thread for a small organization, worker threads
 * for a large one. Until it is decided the accounts found go on in this thread, never waiting. It
 * is decided for workers as soon as more than `workersPast` accounts are known or the walk is
 * still listing accounts `walkLongerThanMs` after the first one, and for this thread when the walk
 * ends with few accounts. Both matter: the walk is paced (20 Organizations requests per second),
 * and a tree three levels deep lists its hundredth account only after about 9 s — evaluating until
 * then in this thread, beside the walk, made a 5,000-account report 8 s slower than starting the
 * workers a second after the first account; and a 20-account report never pays for two workers.
 */
export class EvaluationPlacement {
  readonly #options: PlacementOptions;
  #known = 0;
  #decided: Placement | undefined;

  constructor(options: PlacementOptions) {
    this.#options = options;
    if (options.workersPast <= 0) this.#decided = "workers";
    if (options.workersPast === Number.POSITIVE_INFINITY) this.#decided = "this-thread";
  }

  /** One more account is known (the walk found it). */
  known(): void {
    this.#known += 1;
    if (this.#known > this.#options.workersPast) this.#decide("workers");
    else if (this.#known === 1 && !this.#decided) {
      const set = this.#options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
      set(() => this.#decide("workers"), this.#options.walkLongerThanMs ?? 1_000);
    }
  }

  /** The walk has ended with `total` accounts in scope. */
  complete(total: number): void {
    this.#decide(total > this.#options.workersPast ? "workers" : "this-thread");
  }

  /** Where the next account goes: this thread until workers are decided. */
  where(): Placement {
    return this.#decided ?? "this-thread";
  }

  #decide(placement: Placement): void {
    this.#decided ??= placement;
  }
}
