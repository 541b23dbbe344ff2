import { renderTable } from "@orgwarden/report";
import { describeTarget, type ScpPlan, type ScpStep } from "@orgwarden/scp";

/** The plan as a person reads it before saying yes. */
export function renderScpPlan(plan: ScpPlan): string {
  const lines: string[] = [];
  lines.push(
    `Plan: ${plan.action === "apply" ? "apply SCPs to" : "detach SCPs from"} ${describeTarget(plan.target)}`,
  );
  for (const step of plan.steps) lines.push(`  ${describeStep(step)}`);
  if (plan.sizes.length > 0) {
    lines.push("", "Policy sizes (minified, against the quota):");
    for (const s of plan.sizes) lines.push(`  ${s.name}: ${s.size} / ${s.max} characters`);
  }
  const a = plan.attachments;
  lines.push(
    "",
    `SCPs attached directly to the target: ${a.before} now → ${a.after} after (limit ${a.limit})${a.names.length ? `; now: ${a.names.join(", ")}` : ""}`,
  );
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
    );
    lines.push(
      ...table
        .trimEnd()
        .split("\n")
        .map((l) => `  ${l}`),
    );
  }
  for (const n of plan.notes) lines.push("", `Note: ${n}`);
  lines.push("", `${plan.changes} change${plan.changes === 1 ? "" : "s"}.`);
  return `${lines.join("\n")}\n`;
}

export function describeStep(step: ScpStep): string {
  switch (step.kind) {
    case "enable-policy-type":
      return `+ enable the SERVICE_CONTROL_POLICY type on the root ${step.rootId}`;
    case "create-policy":
      return `+ create ${step.policy.managedName} (tagged managed-by=orgwarden)`;
    case "update-policy":
      return `~ update ${step.policy.managedName} (${step.policyId}): its content drifted from the library`;
    case "attach-policy":
      return `+ attach ${step.policyName} to ${step.targetId}`;
    case "detach-policy":
      return `- detach ${step.policyName} (${step.policyId}) from ${step.targetId}`;
    case "nothing-to-do":
      return `= ${step.policyName}: nothing to do (${step.reason})`;
  }
}
