import type { RunSummary } from "@orgwarden/job";

/** What `orgwarden run` says at the end: one line per entry, the report files, the exit code. */
export function renderRunSummary(s: RunSummary): string {
  const lines = [`orgwarden run: ${s.accounts} accounts`];
  for (const e of s.scp) {
    lines.push(
      e.mode === "enforce"
        ? `  scp ${e.ou} (enforce): ${e.applied ? `${e.applied} change(s) applied` : "nothing to do"}`
        : `  scp ${e.ou} (detect): ${e.drift.length ? `DRIFT: ${e.drift.join("; ")}` : "no drift"}`,
    );
  }
  if (s.scpDeleted?.length) lines.push(`  scp: deleted unused ${s.scpDeleted.join(", ")}`);
  for (const r of s.root) {
    const errors = r.errors ? `, ${r.errors} account(s) could not be audited or cleaned` : "";
    if (r.note) {
      lines.push(`  root ${r.ou} (${r.mode}): ${r.note}`);
      continue;
    }
    lines.push(
      r.mode === "enforce"
        ? `  root ${r.ou} (enforce): ${r.removed ? `${r.removed} root credential(s) removed or MFA deactivated in ${r.changedAccounts} account(s)` : "nothing to do"}${errors}`
        : `  root ${r.ou} (detect): ${r.withCredentials ? `ROOT CREDENTIALS in ${r.withCredentials} account(s)` : "no root credentials"}${errors}`,
    );
    for (const u of r.unfinished ?? []) {
      lines.push(`    ${u.status} ${u.accountId} ${u.accountName}: ${u.reason}`);
      for (const step of u.removed) lines.push(`      removed: ${step}`);
    }
  }
  for (const r of s.rules) {
    lines.push(
      `  rules ${r.ou} (${r.mode}): ${r.written ? `${r.written} change(s)` : "nothing to do"}${r.unreachable ? `, ${r.unreachable} account(s) unreachable` : ""}`,
    );
  }
  if (s.report) {
    lines.push(
      `  report: ${s.report.rows} rows (${Object.entries(s.report.byStatus)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")})`,
    );
    for (const f of s.report.files) lines.push(`    ${f}`);
  }
  if (s.changes)
    lines.push(
      `  since the last run (${s.changes.since}): ${s.changes.becameNonCompliant} row(s) became NON_COMPLIANT, ${s.changes.fixed} fixed, ${s.changes.accountsAdded} account(s) added, ${s.changes.accountsRemoved} removed${s.changes.published === "sent" ? "; published to SNS" : s.changes.published === "failed" ? "; SNS publish FAILED" : ""}`,
    );
  if (s.securityHub)
    lines.push(
      `  security hub (${s.securityHub.region}): ${s.securityHub.imported} findings imported into ${s.securityHub.accounts} account(s)${s.securityHub.failed ? `, ${s.securityHub.failed} account(s) FAILED` : ""}`,
    );
  lines.push(`  AWS write calls: ${s.writeCalls}; ${(s.durationMs / 1000).toFixed(1)} s; exit ${s.exitCode}`);
  return `${lines.join("\n")}\n`;
}
