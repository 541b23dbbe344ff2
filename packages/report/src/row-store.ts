import * as nodeFs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import {
  type AccountKey,
  compareAccounts,
  compareRows,
  type Report,
  type ReportRow,
  type ReportRows,
} from "./report-model.js";

/** The file calls the store makes (a test passes one that fails). */
export type SpillFs = Pick<
  typeof nodeFs,
  "mkdtempSync" | "openSync" | "writeSync" | "readSync" | "closeSync" | "rmSync"
>;

export interface RowStoreOptions {
  /** Where the store's folder is made; default the system's temporary folder (TMPDIR). */
  tmpDir?: string;
  fs?: SpillFs;
}

/** One line of the spill file: where it starts and how many bytes it has (without its newline). */
export interface SpilledLine {
  offset: number;
  bytes: number;
}

/** What memory keeps of an account: its place in report order and where its rows are on disk. */
interface AccountEntry extends AccountKey {
  lines: SpilledLine[];
}

/**
 * A report's rows on disk: each account's rows are one JSON line of a temporary file as the account
 * is done, and memory keeps only where each account's line is. Reading sorts the accounts once into
 * report order (compareAccounts) and reads each account's rows back in turn, so a report of 20,000
 * accounts (260,000 rows) is never in memory whole.
 *
 * The order is the one `rows.sort(compareRows)` gives: an account's rows are sorted within it with
 * compareRows (a stable sort, as the whole sort is), and accounts never tie in compareAccounts since
 * their ids differ. The folder is removed by close(), or when the process exits.
 */
export class RowStore implements ReportRows {
  readonly #fs: SpillFs;
  readonly #dir: string;
  readonly #fd: number;
  readonly #accounts = new Map<string, AccountEntry>();
  /** The accounts in report order, sorted on the first read after an account was added. */
  #order: AccountEntry[] | undefined;
  #size = 0;
  #length = 0;
  #closed = false;
  readonly #removeOnExit = () => this.close();

  constructor(options: RowStoreOptions = {}) {
    this.#fs = options.fs ?? nodeFs;
    const parent = options.tmpDir ?? tmpdir();
    try {
      this.#dir = this.#fs.mkdtempSync(join(parent, "orgwarden-rows-"));
    } catch (err) {
      throw spillFailed(parent, err);
    }
    try {
      this.#fd = this.#fs.openSync(join(this.#dir, "rows.jsonl"), "w+");
    } catch (err) {
      this.#fs.rmSync(this.#dir, { recursive: true, force: true });
      throw spillFailed(this.#dir, err);
    }
    process.on("exit", this.#removeOnExit);
  }

  /** The folder that holds the rows (removed by close()). */
  get dir(): string {
    return this.#dir;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * Adds rows of one account, in any order. An account may be added to more than once (rows that
   * wait for the whole report come last); its rows are read back together.
   */
  append(account: AccountKey, rows: readonly ReportRow[]): void {
    if (rows.length === 0) return;
    const line = this.spill([...rows].sort(compareRows));
    let entry = this.#accounts.get(account.accountId);
    if (!entry) {
      entry = {
        ouPath: account.ouPath,
        accountName: account.accountName,
        accountId: account.accountId,
        lines: [],
      };
      this.#accounts.set(account.accountId, entry);
      this.#order = undefined;
    }
    entry.lines.push(line);
    this.#length += rows.length;
  }

  /** Writes any JSON value as one line, for `unspill` to read back: what must wait for the whole report. */
  spill(value: unknown): SpilledLine {
    return this.spillText(JSON.stringify(value));
  }

  /** Writes JSON text already made (one line: JSON.stringify's), for `unspillText` to read back. */
  spillText(json: string): SpilledLine {
    if (this.#closed) throw closedError();
    const text = Buffer.from(`${json}\n`, "utf8");
    const line = { offset: this.#size, bytes: text.length - 1 };
    try {
      for (let done = 0; done < text.length; ) {
        const n = this.#fs.writeSync(this.#fd, text, done, text.length - done, this.#size + done);
        if (n <= 0) throw Object.assign(new Error("write returned 0 bytes"), { code: "EIO" });
        done += n;
      }
    } catch (err) {
      throw spillFailed(this.#dir, err);
    }
    this.#size += text.length;
    return line;
  }

  unspill(line: SpilledLine): unknown {
    return JSON.parse(this.unspillText(line));
  }

  unspillText(line: SpilledLine): string {
    if (this.#closed) throw closedError();
    const buffer = Buffer.allocUnsafe(line.bytes);
    for (let done = 0; done < line.bytes; ) {
      const n = this.#fs.readSync(this.#fd, buffer, done, line.bytes - done, line.offset + done);
      if (n <= 0)
        throw new OrgwardenError("INTERNAL", `the report's rows in ${this.#dir} end too early`, {
          hint: "Something removed or truncated orgwarden's temporary folder while it ran: run again.",
        });
      done += n;
    }
    return buffer.toString("utf8");
  }

  *[Symbol.iterator](): Iterator<ReportRow> {
    this.#order ??= [...this.#accounts.values()].sort(compareAccounts);
    for (const entry of this.#order) {
      const rows = entry.lines.flatMap((line) => this.unspill(line) as ReportRow[]);
      // Each line is sorted; rows added later (Config's, once every account is in) are merged in.
      if (entry.lines.length > 1) rows.sort(compareRows);
      yield* rows;
    }
  }

  /** Removes the folder; the rows can no longer be read. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    process.off("exit", this.#removeOnExit);
    try {
      this.#fs.closeSync(this.#fd);
    } catch {
      // Already closed or gone: the folder is removed below all the same.
    }
    this.#fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Closes what a report holds on disk (a RowStore's folder); a report of plain rows holds nothing. */
export function closeReport(report: Pick<Report, "rows">): void {
  if (report.rows instanceof RowStore) report.rows.close();
}

function spillFailed(where: string, err: unknown): OrgwardenError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = err instanceof Error ? err.message : String(err);
  return new OrgwardenError(
    "WRITE_FAILED",
    `cannot write the report's rows to the temporary folder ${where}: ${code && !why.includes(code) ? `${code}: ` : ""}${why}`,
    {
      hint: "Set TMPDIR to a writable folder with space (about 9 KB per account), and run again.",
      cause: err,
    },
  );
}

function closedError(): OrgwardenError {
  return new OrgwardenError("INTERNAL", "the report's rows were read after the report was closed", {
    hint: "Close a report (closeReport) only once every format has been written.",
  });
}
