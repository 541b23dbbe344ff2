import { describeStep } from "@orgwarden/job";
import { NO_COLOUR, type Paint, paintPlanLine, renderTable } from "@orgwarden/report";
import { describeAwsCheck, describeTarget, policyKindOf, type ScpPlan, sourceLabel } from "@orgwarden/scp";

/** The plan (SCPs, RCPs, S3 or EC2 declarative policies) as a person reads it before saying yes. */
export function renderScpPlan(plan: ScpPlan, paint: Paint = NO_COLOUR, width?: number): string {
  const lines: string[] = [];
  const kind = policyKindOf(plan.policyType);
  const many = kind.many;
  lines.push(
    plan.action === "apply"
      ? `Plan: apply ${many} to ${describeTarget(plan.target)}`
      : plan.affected.length === 0
        ? `Plan: delete orgwarden's ${many} that are attached nowhere`
        : `Plan: detach ${many} from ${describeTarget(plan.target)}`,
  );
  for (const step of plan.steps) lines.push(paintPlanLine(paint, `  ${describeStep(step)}`));
  if (plan.affected.length > 0) {
    lines.push("", "Accounts the change reaches:");
    for (const t of plan.affected) {
      const why =
        t.reason === "target" ? "the target" : `also has ${t.policies.join(", ")}, updated in place`;
      lines.push(`  ${t.path} (${t.targetId}): ${t.accounts} account${t.accounts === 1 ? "" : "s"} — ${why}`);
    }
  }
  for (const u of plan.updates) {
    const where = u.alsoAttachedTo.length > 0 ? ` — also attached to ${u.alsoAttachedTo.join(", ")}` : "";
    lines.push("", `Changes to ${u.policy} (${u.policyId})${where}:`);
    for (const l of u.diff) lines.push(`  ${l}`);
  }
  for (const r of plan.replacements) {
    lines.push("", `${r.to} replaces ${r.from} (${r.fromId}) on the target, for the new parameters:`);
    for (const l of r.diff) lines.push(`  ${l}`);
  }
  if (plan.sizes.length > 0) {
    lines.push("", "Policy sizes (minified, against the quota):");
    for (const s of plan.sizes) lines.push(`  ${s.name}: ${s.size} / ${s.max} characters`);
  }
  const a = plan.attachments;
  lines.push(
    "",
    `${many} attached directly to the target: ${a.before} now → ${a.after} after (limit ${a.limit})${a.names.length ? `; now: ${a.names.join(", ")}` : ""}`,
  );
  if (plan.quotaSources) {
    const maxSize = plan.sizes[0]?.max;
    lines.push(
      `Quotas used: ${a.limit} ${many} per target (${sourceLabel(plan.quotaSources.maxPoliciesPerTarget)})${maxSize === undefined ? "" : `, ${maxSize} characters per ${kind.short} (${sourceLabel(plan.quotaSources.maxPolicySize)})`}.`,
    );
  }
  if (plan.validation?.ran) {
    const findings = plan.validation.findings;
    lines.push(
      "",
      findings.length === 0
        ? "IAM Access Analyzer: no findings on the policies to be written."
        : "IAM Access Analyzer findings on the policies to be written:",
    );
    for (const f of findings) lines.push(`  ${f.findingType} ${f.policy}: ${f.issueCode} — ${f.details}`);
  }
  if (plan.lockout) {
    lines.push(
      "",
      `Lockout check on the policies in effect after the change (${plan.lockout.pathDescription}):`,
    );
    const table = renderTable(
      ["PROBE", "RESULT", "EXPECTED", "WHY"],
      plan.lockout.results.map((r) => [
        r.probe.label,
        r.decision,
        r.probe.expect === "ANY" ? "-" : r.probe.expect,
        r.ok ? r.detail : `${r.blocking ? "REFUSED: " : "warning: "}${r.detail}`,
      ]),
      // Indented by two: the table gets the rest of the line.
      { width: width === undefined ? undefined : width - 2 },
    );
    lines.push(
      ...table
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  }
  if (plan.awsCheck) lines.push("", ...describeAwsCheck(plan.awsCheck));
  const access = plan.externalAccess?.verdicts ?? [];
  if (access.length > 0) {
    lines.push(
      "",
      `External access IAM Access Analyzer finds (${plan.externalAccess?.analyzer}), after the change:`,
    );
    for (const v of access) {
      const who = Object.entries(v.finding.principal)
        .map(([k, p]) => `${k} ${p}`)
        .join(", ");
      const what = `${v.finding.resource} to ${v.finding.isPublic ? "anyone" : who}`;
      lines.push(
        v.stopped.length === v.finding.actions.length
          ? `  stopped by ${v.stoppedBy ?? "the RCPs"}${v.unless ? `, unless ${v.unless}` : ""}: ${what} (${v.stopped.join(", ")})`
          : v.stopped.length > 0
            ? `  partly stopped by ${v.stoppedBy ?? "the RCPs"}${v.unless ? `, unless ${v.unless}` : ""}: ${what} (${v.stopped.join(", ")} of ${v.finding.actions.join(", ")})`
            : `  still open: ${what} (${v.finding.actions.join(", ")})`,
      );
    }
  }
  for (const c of plan.sharedPolicyChecks) {
    lines.push(
      "",
      c.regressions.length === 0
        ? `Shared policy check on ${c.targetPath} (${c.accounts} accounts): nothing allowed there today is denied after the update.`
        : `Shared policy check on ${c.targetPath} (${c.accounts} accounts): REFUSED`,
    );
    for (const r of c.regressions) lines.push(`  ${r.label}: ${r.detail} (${r.accounts} accounts)`);
  }
  for (const n of plan.notes) lines.push("", `Note: ${n}`);
  lines.push("", `${plan.changes} change${plan.changes === 1 ? "" : "s"}.`);
  return `${lines.join("\n")}\n`;
}
