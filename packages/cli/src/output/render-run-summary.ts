import { describeStep, type JobDryRun, type RunSummary } from "@orgwarden/job";
import { describeRootRemovalStep } from "@orgwarden/root";
import { awsCheckHeadline } from "@orgwarden/scp";

/** What `orgwarden run` says at the end: one line per entry, the report files, the exit code. */
export function renderRunSummary(s: RunSummary): string {
  const lines = [`orgwarden run: ${s.accounts} accounts`];
  for (const e of s.scp) {
    lines.push(
      e.mode === "enforce"
        ? `  scp ${e.ou} (enforce): ${e.applied ? `${e.applied} change(s) applied` : "nothing to do"}`
        : `  scp ${e.ou} (detect): ${e.drift.length ? `DRIFT: ${e.drift.join("; ")}` : "no drift"}`,
    );
    if (e.guard) lines.push(`    ${e.guard}`);
  }
  for (const e of s.rcp ?? []) {
    lines.push(
      e.mode === "enforce"
        ? `  rcp ${e.ou} (enforce): ${e.applied ? `${e.applied} change(s) applied` : "nothing to do"}`
        : `  rcp ${e.ou} (detect): ${e.drift.length ? `DRIFT: ${e.drift.join("; ")}` : "no drift"}`,
    );
  }
  if (s.rollout) lines.push(`  rollout ${s.rollout.state}: ${s.rollout.summary}`);
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
  if (s.stopped) {
    lines.push(`  STOPPED: ${s.stopped.message}`);
    if (s.stopped.hint) lines.push(`    hint: ${s.stopped.hint}`);
    lines.push(`  Changed before it stopped (${s.stopped.changed.length}):`);
    for (const c of s.stopped.changed) lines.push(`    ${c}`);
    lines.push("  No report was written. Each step is safe to repeat: run again once the cause is fixed.");
  }
  lines.push(`  AWS write calls: ${s.writeCalls}; ${(s.durationMs / 1000).toFixed(1)} s; exit ${s.exitCode}`);
  return `${lines.join("\n")}\n`;
}

/** `run --dry-run`: the plan of every entry, in the order the run would apply them; nothing written. */
export function renderJobDryRun(dry: JobDryRun): string {
  const { plan } = dry;
  const c = plan.config;
  const lines = [
    `orgwarden run --dry-run: ${plan.inventory.accounts.length} accounts; each entry planned against the organization as the entries before it leave it`,
  ];
  const entryPlan = (family: "scp" | "rcp", p: JobDryRun["plan"]["scpPlans"][number], mode: string) => {
    const steps = p.steps.filter((st) => st.kind !== "nothing-to-do").map(describeStep);
    if (mode === "detect") {
      lines.push(
        `  ${family} ${p.target.path} (${p.target.id}) (detect): ${steps.length ? "DRIFT (reported, not repaired)" : "no drift"}`,
      );
    } else {
      lines.push(
        `  ${family} ${p.target.path} (${p.target.id}) (enforce): ${steps.length ? `${steps.length} change(s)` : "nothing to do"}`,
      );
    }
    for (const st of steps) lines.push(`    ${st}`);
    if (p.awsCheck) lines.push(`    ${awsCheckHeadline(p.awsCheck)}`);
    for (const n of p.notes) lines.push(`    note: ${n}`);
  };
  for (const [i, p] of plan.scpPlans.entries()) entryPlan("scp", p, c.scp[i]?.mode ?? "enforce");
  for (const [i, p] of plan.rcpPlans.entries()) entryPlan("rcp", p, c.rcp[i]?.mode ?? "enforce");
  if (c.deleteUnusedScps && c.scp.some((e) => e.mode === "enforce"))
    lines.push(
      "  scp: orgwarden SCPs attached nowhere after these entries will be deleted (deleteUnusedScps)",
    );
  plan.rootPlans.forEach((r, i) => {
    const entry = c.root[i];
    const head = `  root ${entry?.ou ?? "?"} (${entry?.mode ?? "detect"})`;
    if ("notAudited" in r) {
      lines.push(`${head}: ${r.notAudited}`);
      return;
    }
    const changing = r.accounts.filter((a) => a.steps.length > 0);
    const errors = r.accounts.filter((a) => a.audit.status === "ERROR");
    lines.push(
      entry?.mode === "enforce"
        ? `${head}: ${r.changes ? `${r.changes} change(s) in ${changing.length} account(s)` : "nothing to do"}${errors.length ? `, ${errors.length} account(s) could not be audited` : ""}`
        : `${head}: ${changing.length ? `ROOT CREDENTIALS in ${changing.length} account(s) (reported, not removed)` : "no root credentials"}${errors.length ? `, ${errors.length} account(s) could not be audited` : ""}`,
    );
    for (const a of changing) {
      lines.push(`    ${a.account.id} ${a.account.name}:`);
      for (const st of a.steps) lines.push(`      - ${describeRootRemovalStep(st)}`);
    }
    for (const a of errors) lines.push(`    ERROR ${a.account.id} ${a.account.name}: ${a.audit.reason}`);
  });
  for (const r of dry.rules) {
    lines.push(
      `  rules ${r.ou} (${r.mode}): ${r.changes ? `${r.changes} change(s)` : "nothing to do"}${r.unreachable ? `, ${r.unreachable} account(s) unreachable` : ""} (orgwarden deploy-rules --dry-run lists them)`,
    );
  }
  lines.push("Dry run: nothing was changed, and no report was written.");
  return `${lines.join("\n")}\n`;
}
