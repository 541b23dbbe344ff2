import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import { basename, dirname, join } from "node:path";
import { OrgwardenError } from "@orgwarden/core";

/** The file-system calls the writer makes; tests inject a failing one. */
export type AtomicFs = Pick<
  typeof nodeFs,
  | "openSync"
  | "writeSync"
  | "fsyncSync"
  | "closeSync"
  | "renameSync"
  | "rmSync"
  | "copyFileSync"
  | "mkdirSync"
>;

export interface WriteFileAtomicOptions {
  /** What the file is, for the error: "the report", "changes.json". */
  what?: string;
  fs?: AtomicFs;
}

/**
 * Writes `content` (a string, or pieces of one) to `file` so that a reader (an auditor, the
 * container's upload) only ever sees the whole file or none: it goes to a temporary file in the
 * same folder, is flushed to disk (fsync), then renamed over `file` (rename within a folder is
 * atomic on POSIX). On any failure the temporary file is removed, nothing appears under `file`, and
 * an OrgwardenError WRITE_FAILED names the path and the cause (a full disk gives ENOSPC, often only
 * at the flush or the close).
 */
export function writeFileAtomic(
  file: string,
  content: string | Iterable<string>,
  options: WriteFileAtomicOptions = {},
): void {
  const fs = options.fs ?? nodeFs;
  const what = options.what ?? "a file";
  withTempFile(file, what, fs, (tmp) => {
    const fd = fs.openSync(tmp, "wx");
    let closed = false;
    try {
      for (const chunk of typeof content === "string" ? [content] : content) writeAll(fs, fd, chunk);
      fs.fsyncSync(fd);
      closed = true;
      fs.closeSync(fd);
    } finally {
      if (!closed) closeQuietly(fs, fd);
    }
  });
}

/** Copies `source` to `file` the same way (latest.csv next to the stamped report). */
export function copyFileAtomic(source: string, file: string, options: WriteFileAtomicOptions = {}): void {
  const fs = options.fs ?? nodeFs;
  withTempFile(file, options.what ?? "a file", fs, (tmp) => {
    fs.copyFileSync(source, tmp, nodeFs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(tmp, "r+");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** Names a temporary file beside `file`, fills it, renames it into place; removes it on failure. */
function withTempFile(file: string, what: string, fs: AtomicFs, fill: (tmp: string) => void): void {
  const dir = dirname(file);
  // Hidden, and ending in .orgwarden-tmp, so that the entrypoint's upload can leave any behind
  // (only a killed process leaves one).
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.orgwarden-tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fill(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The first failure is the one to report.
    }
    // A failure to produce the content (a formatting bug) is not a file-system problem.
    if (typeof (err as NodeJS.ErrnoException | undefined)?.code !== "string") throw err;
    throw writeFailed(file, what, err);
  }
  syncFolder(dir);
}

function writeAll(fs: AtomicFs, fd: number, chunk: string): void {
  writeWhole(fd, Buffer.from(chunk, "utf8"), fs);
}

/**
 * write(2) may write less than asked (a nearly full disk): write the rest, or fail on the next
 * call. Also standard output redirected to a file, which Node writes without this loop.
 */
export function writeWhole(fd: number, bytes: Uint8Array, fs: Pick<AtomicFs, "writeSync"> = nodeFs): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (n <= 0) throw Object.assign(new Error("write returned 0 bytes"), { code: "EIO" });
    offset += n;
  }
}

function closeQuietly(fs: AtomicFs, fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already failing: the write's error is the one to report.
  }
}

/** The rename is durable once the folder is flushed too; not every platform lets a folder be opened. */
function syncFolder(dir: string): void {
  try {
    const fd = nodeFs.openSync(dir, "r");
    try {
      nodeFs.fsyncSync(fd);
    } finally {
      nodeFs.closeSync(fd);
    }
  } catch {
    // Best effort: the file itself is complete either way.
  }
}

function writeFailed(file: string, what: string, err: unknown): OrgwardenError {
  return new OrgwardenError("WRITE_FAILED", `cannot write ${what} to ${file}: ${describeWriteError(err)}`, {
    hint: writeHint(err),
    cause: err,
  });
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "no space left on the device (ENOSPC)",
  EDQUOT: "the disk quota is used up (EDQUOT)",
  EFBIG: "the file is larger than the file system allows (EFBIG)",
  EROFS: "the file system is read-only (EROFS)",
  EACCES: "permission denied (EACCES)",
  EPERM: "the operation is not permitted (EPERM)",
  EISDIR: "it is a directory (EISDIR)",
  ENOTDIR: "a part of the path is a file, not a directory (ENOTDIR)",
  ENOENT: "the folder does not exist (ENOENT)",
  EIO: "an input/output error (EIO)",
  EPIPE: "the reader went away (EPIPE)",
};

const READ_ERRORS: Record<string, string> = {
  ENOENT: "there is no such file (ENOENT)",
  EISDIR: "it is a folder, not a file (EISDIR)",
  ENOTDIR: "a part of the path is a file, not a folder (ENOTDIR)",
  EACCES: "permission denied (EACCES)",
  EPERM: "the operation is not permitted (EPERM)",
  EIO: "an input/output error (EIO)",
};

/** A Node file-system error as words a person can act on, by its code (never its message text). */
export function describeWriteError(err: unknown): string {
  return describeFileError(err, "write");
}

/** The same for reading a file (--config, report merge's shards). */
export function describeFileError(err: unknown, op: "read" | "write"): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words = code ? (op === "read" ? READ_ERRORS : WRITE_ERRORS)[code] : undefined;
  if (words) return words;
  return err instanceof Error ? err.message : String(err);
}

function writeHint(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOSPC":
    case "EDQUOT":
    case "EFBIG":
      return "Free space on that file system, or write somewhere else (--out, report.outputDir), and run again. Nothing was left under that name.";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "Choose a folder you can write to, or fix its permissions, and run again.";
    default:
      return "Check the path and the file system, and run again. Nothing was left under that name.";
  }
}

/**
 * A file's text, or INVALID_INPUT (exit 2) naming `what` it was to be, why it cannot be read, and
 * `hint`: orgwarden.yaml and a rollout's state are read this way.
 */
export function readInputFile(file: string, what: string, hint: string): string {
  try {
    return nodeFs.readFileSync(file, "utf8");
  } catch (err) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `cannot read ${what} ${file}: ${describeFileError(err, "read")}`,
      {
        hint,
        cause: err,
      },
    );
  }
}
