import { describe, expect, it } from "vitest";
import { WorkerAdmission } from "./worker-admission.js";

describe("WorkerAdmission: a worker's share of accounts follows how busy its thread is", () => {
  it("a saturated thread is given fewer accounts, down to the minimum, never none", () => {
    const a = new WorkerAdmission({ initial: 16, min: 2 });
    a.observe(0.99, true);
    expect(a.limit).toBe(12);
    for (let i = 0; i < 20; i++) a.observe(1, true);
    expect(a.limit).toBe(2);
  });

  it("a thread with idle time while its share was full is given more; one whose share was not full is not", () => {
    const a = new WorkerAdmission({ initial: 16 });
    a.observe(0.5, false);
    expect(a.limit).toBe(16);
    a.observe(0.5, true);
    expect(a.limit).toBe(20);
    // Waiting on slow requests, the share grows as far as the fan-out allows.
    for (let i = 0; i < 10; i++) a.observe(0.3, true);
    expect(a.limit).toBeGreaterThan(100);
  });

  it("between room and saturation the share stays: no oscillation at the edge", () => {
    const a = new WorkerAdmission({ initial: 16 });
    for (const u of [0.9, 0.93, 0.86, 0.94]) a.observe(u, true);
    expect(a.limit).toBe(16);
  });
});
