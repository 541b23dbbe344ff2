import type { RunConfig } from "../config/run-config.js";
import { parseChoice } from "./parse-choice.js";

/** root remove-credentials' flags, in the forms of a `root:` entry of orgwarden.yaml. */
export interface RootFlags {
  /** `--keep mfa` (repeatable or comma-separated, as the file's `keep: [mfa]`). */
  keep?: string | string[];
  allowRoot?: boolean;
}

export interface RootSettings {
  keepMfa: boolean;
  allowRoot: boolean;
}

/**
 * The root family's one merge, for `root remove-credentials` (flags) and each `root:` entry of run
 * (the file): the same values in the same forms, with the same defaults (remove MFA too; never the
 * organization root unless allowed).
 */
export function rootSettings(
  flags: RootFlags,
  entry?: Pick<RunConfig["root"][number], "keep" | "allowRoot">,
): RootSettings {
  const keep =
    flags.keep === undefined
      ? (entry?.keep ?? [])
      : [flags.keep]
          .flat()
          .flatMap((k) => k.split(","))
          .map((k) => k.trim())
          .filter(Boolean)
          .map((k) => parseChoice("keep", k, ["mfa"] as const));
  return {
    keepMfa: keep.includes("mfa"),
    allowRoot: flags.allowRoot ?? entry?.allowRoot ?? false,
  };
}
