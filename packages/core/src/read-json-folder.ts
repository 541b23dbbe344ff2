import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { z } from "zod";
import { OrgwardenError } from "./errors.js";

export interface JsonDocument<T> {
  /** The file name without `.json`. */
  name: string;
  file: string;
  data: T;
}

/**
 * Reads every `*.json` in `dir` (sorted by name) and validates each with `schema`. A folder that
 * cannot be read, a file that is not JSON or does not fit the schema is an INVALID_INPUT error that
 * names the file and the field, so a reviewer can fix it without reading code.
 */
export function readJsonFolder<S extends z.ZodType>(
  dir: string,
  schema: S,
  what: string,
): Array<JsonDocument<z.infer<S>>> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch (err) {
    throw new OrgwardenError("INVALID_INPUT", `cannot read the ${what} at ${dir}`, {
      hint: `Point the command at a folder of ${what} files.`,
      cause: err,
    });
  }
  return files.sort().map((f) => {
    const file = join(dir, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new OrgwardenError("INVALID_INPUT", `${file} is not valid JSON: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`)
        .join("; ");
      throw new OrgwardenError("INVALID_INPUT", `${file}: ${problems}`);
    }
    return { name: basename(f, ".json"), file, data: parsed.data as z.infer<S> };
  });
}
