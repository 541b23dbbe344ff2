import type { ShardSpec } from "@orgwarden/report";
import type { JobSession } from "./session.js";

/** A long step's progress (accounts done of total), e.g. a line on a terminal's stderr. */
export interface Progress {
  onProgress: (done: number, total: number) => void;
  end: () => void;
}

/** How the job talks to whoever runs it; every hook is optional (a Lambda handler may pass none). */
export interface JobHooks {
  /** A line for the person watching (stderr in the CLI); the log has the same facts. */
  notice?: (line: string) => void;
  progress?: (label: string) => Progress;
}

export interface JobDeps {
  session: JobSession;
  hooks?: JobHooks;
}

export interface JobOptions {
  /** false: make the changes only (scp:, root:, rules:), no report. */
  report?: boolean;
  /** Only the report, for this shard's accounts, as shard-K-of-N.json; no change is made. */
  shard?: ShardSpec;
}

export const NO_PROGRESS: Progress = { onProgress: () => {}, end: () => {} };
