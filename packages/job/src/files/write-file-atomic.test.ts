import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AtomicFs, copyFileAtomic, writeFileAtomic } from "./write-file-atomic.js";

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

/** The real file system, with writeSync failing once `budget` bytes have been written. */
function diskOf(budget: number, overrides: Partial<AtomicFs> = {}): AtomicFs {
  let left = budget;
  return {
    ...fs,
    writeSync: ((fd: number, buf: Buffer, offset: number, length: number) => {
      if (left <= 0) throw enospc();
      // As write(2) on a nearly full disk: what fits, then ENOSPC on the next call.
      const n = Math.min(length, left);
      left -= n;
      return fs.writeSync(fd, buf, offset, n);
    }) as AtomicFs["writeSync"],
    ...overrides,
  };
}

describe("writeFileAtomic", () => {
  it("writes every piece, and leaves no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    writeFileAtomic(join(dir, "sub", "r.csv"), ["a,b\n", "1,2\n"]);
    expect(readFileSync(join(dir, "sub", "r.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(readdirSync(join(dir, "sub"))).toEqual(["r.csv"]);
  });

  it("finishes a short write (write(2) may write less than asked)", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    let calls = 0;
    const shortWrites: AtomicFs = {
      ...fs,
      writeSync: ((fd: number, buf: Buffer, offset: number, length: number) => {
        calls += 1;
        return fs.writeSync(fd, buf, offset, Math.min(length, 3));
      }) as AtomicFs["writeSync"],
    };
    writeFileAtomic(join(dir, "r.json"), '{"rows":[1,2,3]}\n', { fs: shortWrites });
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe('{"rows":[1,2,3]}\n');
    expect(calls).toBeGreaterThan(1);
  });

  it("a full disk: WRITE_FAILED naming the path and the cause; nothing under the final name, no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    const file = join(dir, "report.json");
    let error: unknown;
    try {
      writeFileAtomic(file, ["x".repeat(100), "y".repeat(100)], { what: "the report", fs: diskOf(150) });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      code: "WRITE_FAILED",
      message: `cannot write the report to ${file}: no space left on the device (ENOSPC)`,
      hint: expect.stringContaining("Free space"),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a failed write keeps the previous file whole (latest.csv of the last run)", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    const file = join(dir, "latest.csv");
    writeFileSync(file, "the last run's report\n");
    expect(() => writeFileAtomic(file, "new report\n".repeat(10), { fs: diskOf(20) })).toThrow(/ENOSPC/);
    expect(readFileSync(file, "utf8")).toBe("the last run's report\n");
    expect(readdirSync(dir)).toEqual(["latest.csv"]);
  });

  it("a flush that fails (ENOSPC often shows only at fsync or close) fails the write", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    const failingFsync: AtomicFs = {
      ...fs,
      fsyncSync: () => {
        throw enospc();
      },
    };
    expect(() => writeFileAtomic(join(dir, "r.csv"), "a\n", { fs: failingFsync })).toThrow(
      expect.objectContaining({ code: "WRITE_FAILED" }),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("an error while producing the content is passed on as it is, and the temporary file removed", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    function* pieces() {
      yield "a\n";
      throw new TypeError("a formatting bug");
    }
    expect(() => writeFileAtomic(join(dir, "r.csv"), pieces())).toThrow(TypeError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("copyFileAtomic", () => {
  it("copies whole, or leaves the destination as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-atomic-"));
    writeFileSync(join(dir, "report.csv"), "new\n");
    writeFileSync(join(dir, "latest.csv"), "old\n");
    const failingCopy: AtomicFs = {
      ...fs,
      copyFileSync: () => {
        throw enospc();
      },
    };
    expect(() =>
      copyFileAtomic(join(dir, "report.csv"), join(dir, "latest.csv"), { fs: failingCopy }),
    ).toThrow(/cannot write a file to .*latest\.csv: no space left/);
    expect(readFileSync(join(dir, "latest.csv"), "utf8")).toBe("old\n");
    copyFileAtomic(join(dir, "report.csv"), join(dir, "latest.csv"));
    expect(readFileSync(join(dir, "latest.csv"), "utf8")).toBe("new\n");
    expect(readdirSync(dir).sort()).toEqual(["latest.csv", "report.csv"]);
  });
});
