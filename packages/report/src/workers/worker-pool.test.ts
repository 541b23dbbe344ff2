import { type OrgAccount, silentLogger } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { AccountFindings } from "../evaluate-account.js";
import type { EvaluationWorkerSetup } from "./wire.js";
import { EvaluationPool } from "./worker-pool.js";

const account = (n: number): OrgAccount =>
  ({ id: String(n).padStart(12, "0"), name: `a${n}`, status: "ACTIVE" }) as unknown as OrgAccount;

// Here the pool runs from its TypeScript source, beside which there is no evaluation-worker.js: its
// one worker dies as it starts, as a worker that crashes would.
describe("EvaluationPool with this thread's share", () => {
  it("answers every account once, goes on in this thread when its worker died, and refuses accounts once closed", async () => {
    const evaluatedHere: string[] = [];
    const pool = new EvaluationPool({
      size: 1,
      setup: {} as EvaluationWorkerSetup,
      logger: silentLogger(),
      operatorCredentials: async () => ({ accessKeyId: "a", secretAccessKey: "b" }),
      thisThread: async (a) => {
        evaluatedHere.push(a.id);
        await new Promise((r) => setImmediate(r));
        return {} as AccountFindings;
      },
    });
    const accounts = Array.from({ length: 80 }, (_, i) => account(i + 1));
    const settled = await Promise.allSettled(accounts.map((a) => pool.evaluate(a)));
    // Each account answered: by this thread, or failed with the worker's death; never twice.
    expect(new Set(evaluatedHere).size).toBe(evaluatedHere.length);
    const ok = settled.filter((s) => s.status === "fulfilled").length;
    expect(ok).toBe(evaluatedHere.length);
    expect(ok).toBeGreaterThan(0);
    for (const s of settled)
      if (s.status === "rejected") expect(String(s.reason)).toContain("evaluation worker thread failed");
    // Accounts after the worker's death all went to this thread.
    const later = await Promise.allSettled([account(81), account(82)].map((a) => pool.evaluate(a)));
    expect(later.map((s) => s.status)).toEqual(["fulfilled", "fulfilled"]);

    await pool.close();
    await expect(pool.evaluate(account(83))).rejects.toThrow("the evaluation workers are closed");
  });
});
