import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { OrgwardenError } from "@orgwarden/core";

/**
 * Fails (INVALID_INPUT, exit 2) when `dir` could not be created or written: a part of the path is a
 * file, or the nearest existing directory is not writable. Checked before any AWS call, so a bad
 * output path never costs a run (or half of one).
 */
export function checkWritableDir(dir: string, what: string): void {
  const full = resolve(dir);
  let current = full;
  for (;;) {
    const stat = statOrUndefined(current);
    if (stat) {
      if (!stat.isDirectory()) {
        throw new OrgwardenError(
          "INVALID_INPUT",
          `cannot write ${what} into ${dir}: ${current} is a file, not a directory`,
          {
            hint: "Choose a directory path, or move that file away.",
          },
        );
      }
      try {
        accessSync(current, constants.W_OK | constants.X_OK);
      } catch {
        throw new OrgwardenError(
          "INVALID_INPUT",
          `cannot write ${what} into ${dir}: ${current} is not writable`,
          {
            hint: "Choose a directory you can write to, or fix its permissions.",
          },
        );
      }
      return;
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

/** Like checkWritableDir for a file: its directory, and the file itself when it exists. */
export function checkWritableFile(file: string, what: string): void {
  const stat = statOrUndefined(resolve(file));
  if (stat?.isDirectory()) {
    throw new OrgwardenError("INVALID_INPUT", `cannot write ${what} to ${file}: it is a directory`, {
      hint: "Give a file name, e.g. report.csv.",
    });
  }
  if (stat) {
    try {
      accessSync(resolve(file), constants.W_OK);
    } catch {
      throw new OrgwardenError("INVALID_INPUT", `cannot write ${what} to ${file}: it is not writable`, {
        hint: "Choose another path, or fix the file's permissions.",
      });
    }
  }
  checkWritableDir(dirname(file), what);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
