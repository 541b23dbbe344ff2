import { type RuleDeploymentPlan, unreadAccounts } from "@orgwarden/job";
import { type Paint, renderTable } from "@orgwarden/report";
import { countRuleActions, type OrganizationRuleChange, RULE_ACTIONS, type RuleStep } from "@orgwarden/rules";
import type { DocumentStep, PlanDocument, PlanResult } from "./plan-document-schema.js";
import { planDocument } from "./plan-json.js";

/** The deploy-rules plan as a person reads it before saying yes. */
export function renderRulePlan(planned: RuleDeploymentPlan, paint: Paint, width?: number): string {
  const verb = planned.remove ? "remove" : "deploy";
  if (planned.mode === "organization") {
    const rows = planned.plan.steps.map((c) => [
      c.region,
      c.rule,
      paintAction(paint, c.action),
      c.reason ?? "",
    ]);
    return (
      `Plan: ${verb} organization Config rules for ${planned.where} (${planned.plan.excludedAccounts.length} accounts excluded)\n` +
      renderTable(["REGION", "RULE", "ACTION", "WHY"], rows, { width })
    );
  }
  const { plan } = planned;
  const rules = planned.rules.map((r) => r.name).join(", ");
  const counts = countRuleActions(plan.steps.filter((s) => s.kind === "rule"));
  const unreachable = unreadAccounts(planned);
  const summary = [...RULE_ACTIONS.map((a) => `${counts[a]} ${a}`), `${unreachable} unreachable`].join(", ");
  return (
    `Plan: ${verb} ${rules} in ${planned.accounts.length} accounts under ${planned.where}\n` +
    renderTable(
      ["ACCOUNT", "NAME", "REGION", "RULE", "ACTION", "WHY"],
      planRows(planned).map((r) => r.map((c, i) => (i === 4 ? paintAction(paint, c) : c))),
      { width },
    ) +
    `\n${summary}\n`
  );
}

/** The deploy-rules plan as a document (--output json, orgwarden schema plan). */
export function rulePlanDocument(planned: RuleDeploymentPlan, result: PlanResult): PlanDocument {
  const { target } = planned;
  if (planned.mode === "organization")
    return planDocument("deploy-rules", planned.plan, organizationRuleStep, { target }, result);
  const unreachable = planned.plan.accounts.flatMap((r) =>
    r.ok ? [] : [{ accountId: r.account.id, name: r.account.name, reason: r.error.message }],
  );
  return planDocument("deploy-rules", planned.plan, accountRuleStep, { target, unreachable }, result);
}

function accountRuleStep(s: RuleStep): DocumentStep {
  if (s.kind === "mfa-policy")
    return {
      kind: s.action,
      description: `${s.action} IAM policy ${s.arn} in ${s.account.id}`,
      policy: s.arn,
      accountId: s.account.id,
      region: s.region,
    };
  return {
    kind: s.action,
    description: `${s.action} ${s.rule} in ${s.account.id} ${s.region}${s.reason ? `: ${s.reason}` : ""}`,
    accountId: s.account.id,
    region: s.region,
    rule: s.rule,
    ...(s.reason ? { reason: s.reason } : {}),
  };
}

function organizationRuleStep(c: OrganizationRuleChange): DocumentStep {
  return {
    kind: c.action,
    description: `${c.action} organization rule ${c.rule} in ${c.region}${c.reason ? `: ${c.reason}` : ""}`,
    rule: c.rule,
    region: c.region,
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

/** The plan's table rows: account, name, region, rule, action, why (ERROR rows for unreachable accounts). */
function planRows(planned: Extract<RuleDeploymentPlan, { mode: "accounts" }>): string[][] {
  const rows: string[][] = [];
  for (const r of planned.plan.accounts) {
    const { id, name } = r.account;
    if (!r.ok) {
      rows.push([
        id,
        name,
        "-",
        "-",
        "ERROR",
        `${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}`,
      ]);
      continue;
    }
    const policy = r.value.iamPolicy;
    if (policy)
      rows.push([
        id,
        name,
        "global",
        "iam policy",
        policy.action === "create" ? "create" : "unchanged",
        policy.arn,
      ]);
    for (const c of r.value.changes) rows.push([id, name, c.region, c.rule, c.action, c.reason ?? ""]);
  }
  return rows;
}

/** A rule action word in its colour: create/update green/yellow, delete red, skipped dim. */
export function paintAction(paint: Paint, action: string): string {
  const style = (
    { create: "green", update: "yellow", delete: "red", skipped: "dim", ERROR: "magenta" } as const
  )[action as "create"];
  return style ? paint(action, style) : action;
}
