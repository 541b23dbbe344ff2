import pLimit from "p-limit";
import { type Clock, SYSTEM_CLOCK } from "./clock.js";

/**
 * Paces requests with a token bucket: on average at most `rate` start per second, a burst of up to
 * `burst` at once after a quiet spell (a small organization's walk is not slowed), and at most
 * `concurrency` run at once. Shared by everything that calls one throttled API.
 */
export class RequestPace {
  readonly #rate: number;
  readonly #burst: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #clock: Clock;
  #tokens: number;
  #at: number;
  /** Turns handed out but not yet started (they wait for their token in order). */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    rate: number,
    concurrency: number,
    burst: number = Math.max(1, rate),
    clock: Clock = SYSTEM_CLOCK,
  ) {
    this.#rate = rate;
    this.#burst = Math.max(1, burst);
    this.#tokens = this.#burst;
    this.#limit = pLimit(Math.max(1, concurrency));
    this.#clock = clock;
    this.#at = clock.now();
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#limit(async () => {
      await this.#turn();
      return fn();
    });
  }

  #turn(): Promise<void> {
    const turn = this.#queue.then(async () => {
      if (this.#rate <= 0) return;
      const now = this.#clock.now();
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
      this.#at = now;
      if (this.#tokens < 1) {
        await this.#clock.sleep(((1 - this.#tokens) / this.#rate) * 1000);
        this.#tokens = 1;
        this.#at = this.#clock.now();
      }
      this.#tokens -= 1;
    });
    this.#queue = turn;
    return turn;
  }
}
