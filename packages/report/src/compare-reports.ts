import type { ComplianceStatus, ControlId } from "@orgwarden/core";
import {
  type Report,
  type ReportRow,
  type ReportSource,
  rowsByAccount,
  type ScpDrift,
} from "./report-model.js";

export interface AccountRef {
  accountId: string;
  accountName: string;
  ouPath: string;
}

export interface RowChange extends AccountRef {
  control: ControlId;
  source: ReportSource;
  /** The row's status in the previous report; null when it had no such row (a new account or control). */
  from: ComplianceStatus | null;
  to: ComplianceStatus;
  reason: string;
}

/** "What changed since the last run": the previous report against this one (changes.json). */
export interface ReportChanges {
  organizationId: string;
  previousGeneratedAt: string;
  generatedAt: string;
  accountsAdded: AccountRef[];
  accountsRemoved: AccountRef[];
  /** Rows NON_COMPLIANT now that were not before (or did not exist). */
  becameNonCompliant: RowChange[];
  /** Rows NON_COMPLIANT before that are COMPLIANT or NOT_APPLICABLE now. */
  fixed: RowChange[];
  /** The SCP drift this run's detect entries found, standing and new. */
  scpDrift: ScpDrift[];
  /**
   * The part of scpDrift the last run did not find (every line of it when the last report does not
   * say what drift it found, as one written before orgwarden kept it).
   */
  newScpDrift: ScpDrift[];
  /**
   * Something got worse since the last run: a row became NON_COMPLIANT, or drift the last run did not
   * find. Drift that stands from run to run is listed, but is not worse again every day.
   */
  worse: boolean;
}

const key = (r: ReportRow) => `${r.accountId}|${r.control}|${r.source}`;
const ref = (r: ReportRow): AccountRef => ({
  accountId: r.accountId,
  accountName: r.accountName,
  ouPath: r.ouPath,
});

/**
 * The previous report against this one. `scpDrift` is this run's; the previous run's is the one its
 * report kept (Report.scpDrift).
 *
 * What it holds: the previous report's status of each row by account, control and source, and each
 * account of either report (the previous report is in memory anyway: it was read from
 * latest.json). This one's rows are read once, an account at a time; only the rows that changed
 * are kept.
 */
export function compareReports(previous: Report, current: Report, scpDrift: ScpDrift[] = []): ReportChanges {
  const before = new Map<string, ComplianceStatus>();
  const accountsBefore = new Map<string, AccountRef>();
  for (const r of previous.rows) {
    before.set(key(r), r.status);
    accountsBefore.set(r.accountId, ref(r));
  }
  const accountsNow = new Map<string, AccountRef>();
  const change = (r: ReportRow, from: ComplianceStatus | undefined): RowChange => ({
    ...ref(r),
    control: r.control,
    source: r.source,
    from: from ?? null,
    to: r.status,
    reason: r.reason,
  });
  const becameNonCompliant: RowChange[] = [];
  const fixed: RowChange[] = [];
  for (const rows of rowsByAccount(current.rows)) {
    // The last row of a key counts, as in a Map of every row.
    const now = new Map(rows.map((r) => [key(r), r]));
    accountsNow.set((rows[0] as ReportRow).accountId, ref(rows[rows.length - 1] as ReportRow));
    for (const [k, r] of now) {
      const old = before.get(k);
      if (r.status === "NON_COMPLIANT" && old !== "NON_COMPLIANT") becameNonCompliant.push(change(r, old));
      if (old === "NON_COMPLIANT" && (r.status === "COMPLIANT" || r.status === "NOT_APPLICABLE"))
        fixed.push(change(r, old));
    }
  }
  const drift = scpDrift.filter((d) => d.drift.length > 0);
  const driftBefore = previous.scpDrift
    ? new Set(previous.scpDrift.flatMap((d) => d.drift.map((line) => `${d.target}|${line}`)))
    : undefined;
  const newDrift = drift
    .map((d) => ({
      target: d.target,
      drift: d.drift.filter((line) => !driftBefore?.has(`${d.target}|${line}`)),
    }))
    .filter((d) => d.drift.length > 0);
  return {
    organizationId: current.organizationId,
    previousGeneratedAt: previous.generatedAt,
    generatedAt: current.generatedAt,
    accountsAdded: [...accountsNow.values()].filter((a) => !accountsBefore.has(a.accountId)),
    accountsRemoved: [...accountsBefore.values()].filter((a) => !accountsNow.has(a.accountId)),
    becameNonCompliant,
    fixed,
    scpDrift: drift,
    newScpDrift: newDrift,
    worse: becameNonCompliant.length > 0 || newDrift.length > 0,
  };
}

/** SNS takes messages of at most 256 KB (262,144 bytes). */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

const account = (a: AccountRef) => `${a.accountName} (${a.accountId}, ${a.ouPath})`;

/**
 * The short text of the changes: what a person reads in an e-mail. Lists are cut to fit `maxBytes`
 * (each cut list says how many it left out, and that changes.json has them all).
 */
export function changesSummary(
  c: ReportChanges,
  options: { reportUrl?: string; maxBytes?: number } = {},
): string {
  const maxBytes = options.maxBytes ?? SNS_MAX_MESSAGE_BYTES;
  const head = [
    `orgwarden: what changed in ${c.organizationId} since the last run (${c.previousGeneratedAt} → ${c.generatedAt})`,
    c.worse
      ? `Worse: ${[
          c.becameNonCompliant.length ? `${c.becameNonCompliant.length} row(s) became NON_COMPLIANT` : "",
          c.newScpDrift.length ? `new SCP drift in ${c.newScpDrift.length} target(s)` : "",
        ]
          .filter(Boolean)
          .join("; ")}.`
      : "Nothing got worse.",
    `${c.accountsAdded.length} account(s) added, ${c.accountsRemoved.length} removed, ${c.becameNonCompliant.length} row(s) became NON_COMPLIANT, ${c.fixed.length} fixed.`,
    ...(c.scpDrift.length
      ? [
          `SCP drift in ${c.scpDrift.length} target(s), ${c.newScpDrift.length} of them with drift the last run did not find.`,
        ]
      : []),
  ];
  const newLines = new Set(c.newScpDrift.flatMap((d) => d.drift.map((line) => `${d.target}|${line}`)));
  const standing = c.scpDrift
    .map((d) => ({ target: d.target, drift: d.drift.filter((line) => !newLines.has(`${d.target}|${line}`)) }))
    .filter((d) => d.drift.length > 0);
  const tail = options.reportUrl ? [`Report: ${options.reportUrl}`] : [];
  const sections: Array<[string, string[]]> = [
    [
      "Became NON_COMPLIANT",
      c.becameNonCompliant.map(
        (r) =>
          `- ${account(r)} ${r.control} [${r.source}]: ${r.reason} (${r.from === null ? "new" : `was ${r.from}`})`,
      ),
    ],
    ["New SCP drift", c.newScpDrift.map((d) => `- ${d.target}: ${d.drift.join("; ")}`)],
    ["SCP drift standing since the last run", standing.map((d) => `- ${d.target}: ${d.drift.join("; ")}`)],
    ["Fixed", c.fixed.map((r) => `- ${account(r)} ${r.control} [${r.source}] (was ${r.from})`)],
    ["Accounts added", c.accountsAdded.map((a) => `- ${account(a)}`)],
    ["Accounts removed", c.accountsRemoved.map((a) => `- ${account(a)}`)],
  ];
  const bytes = (s: string) => Buffer.byteLength(s, "utf8") + 1;
  let budget = maxBytes - [...head, ...tail].reduce((n, l) => n + bytes(l), 0) - 200;
  const body: string[] = [];
  for (const [title, lines] of sections) {
    if (lines.length === 0) continue;
    body.push("", `${title} (${lines.length}):`);
    budget -= bytes(title) + 8;
    let shown = 0;
    for (const line of lines) {
      if (bytes(line) > budget) break;
      body.push(line);
      budget -= bytes(line);
      shown += 1;
    }
    if (shown < lines.length) body.push(`… and ${lines.length - shown} more (changes.json has them all)`);
  }
  return `${[...head, ...body, ...(tail.length ? ["", ...tail] : [])].join("\n")}\n`;
}
