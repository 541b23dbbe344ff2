import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { credentialScope, type Protocol, sendAwsError } from "./wire-protocol.js";

/**
 * Faults injected in each service's own wire format, shared by the latency proxy (in front of moto)
 * and the scale stand-in: throttling, 5xx, connection resets and slow answers, chosen by a seeded
 * PRNG, with a cap on faults per logical request so a run with enough retries always gets through.
 */
export interface Faults {
  /** Percent of requests answered with the service's throttling error. */
  throttlePct?: number;
  /** Percent answered with HTTP 500/503. */
  serverErrorPct?: number;
  /** Percent whose connection is reset without an answer. */
  resetPct?: number;
  /** Percent answered only after `slowMs` (longer than the client's timeout). */
  slowPct?: number;
  slowMs?: number;
  /**
   * At most this many faults for one logical request (same action, caller and body), so a run with
   * enough retries always gets through: the tests stay deterministic under random faults.
   */
  maxFaultsPerRequest?: number;
}

export type FaultKind = "throttle" | "5xx" | "reset" | "slow";

/**
 * Throttling as each service answers it: Organizations `TooManyRequestsException`, IAM and STS
 * `Throttling`, EC2 `RequestLimitExceeded`, CloudTrail and Config `ThrottlingException`, and
 * GuardDuty (REST) HTTP 429.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/CommonErrors.html
 */
export function throttlingError(
  protocol: Protocol,
  organizations: boolean,
): { status: number; code: string } {
  if (protocol === "query") return { status: 400, code: "Throttling" };
  if (protocol === "ec2-query") return { status: 503, code: "RequestLimitExceeded" };
  if (protocol === "rest-json") return { status: 429, code: "ThrottlingException" };
  return { status: 400, code: organizations ? "TooManyRequestsException" : "ThrottlingException" };
}

export class FaultInjector {
  readonly injected = new Map<string, number>();
  #faults: Faults | undefined;
  readonly #perRequest = new Map<string, number>();
  readonly #random: () => number;

  constructor(faults: Faults | undefined, seed = 42) {
    this.#faults = faults;
    this.#random = mulberry32(seed);
  }

  set(faults: Faults | undefined): void {
    this.#faults = faults;
    this.#perRequest.clear();
  }

  /** The fault to inject for this request, if any (counted in `injected`). */
  choose(req: IncomingMessage, action: string, body: Buffer): FaultKind | undefined {
    const f = this.#faults;
    if (!f) return undefined;
    const key = fingerprint(req, action, body);
    const used = this.#perRequest.get(key) ?? 0;
    if (used >= (f.maxFaultsPerRequest ?? 2)) return undefined;
    const r = this.#random() * 100;
    let edge = 0;
    const hit = (pct: number | undefined) => {
      edge += pct ?? 0;
      return r < edge;
    };
    const kind: FaultKind | undefined = hit(f.throttlePct)
      ? "throttle"
      : hit(f.serverErrorPct)
        ? "5xx"
        : hit(f.resetPct)
          ? "reset"
          : hit(f.slowPct)
            ? "slow"
            : undefined;
    if (!kind) return undefined;
    this.#perRequest.set(key, used + 1);
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }

  /**
   * Answers the request with `kind`; returns false for "slow" after waiting, so the caller then
   * answers normally (late).
   */
  async inject(
    kind: FaultKind,
    req: IncomingMessage,
    res: ServerResponse,
    protocol: Protocol,
  ): Promise<boolean> {
    switch (kind) {
      case "throttle": {
        const organizations = String(req.headers["x-amz-target"] ?? "").startsWith("AWSOrganizations");
        const t = throttlingError(protocol, organizations);
        sendAwsError(res, protocol, t.status, t.code, "Rate exceeded");
        return true;
      }
      case "5xx":
        sendAwsError(
          res,
          protocol,
          this.#random() < 0.5 ? 500 : 503,
          "ServiceUnavailable",
          "injected server error",
        );
        return true;
      case "reset":
        req.socket.destroy();
        return true;
      case "slow":
        await sleep(this.#faults?.slowMs ?? 5000);
        return false;
    }
  }
}

function fingerprint(req: IncomingMessage, action: string, body: Buffer): string {
  const key = credentialScope(req).accessKeyId;
  return createHash("sha1").update(`${action}|${key}|${req.url}|`).update(body).digest("hex");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A small seeded PRNG, so a fault pattern can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
