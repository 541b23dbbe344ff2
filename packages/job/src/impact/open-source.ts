import type { ActivitySource, SourceSpec } from "@orgwarden/activity";
import type { JobSession } from "../session/session.js";

/** The source `--source` names, with the session's clients (completed with the sources). */
export function openActivitySource(_session: JobSession, spec: SourceSpec): ActivitySource {
  throw new Error(`source ${spec.kind} is not wired yet`);
}
