import type { Paint } from "@orgwarden/report";
import type { planRuleDeployment } from "@orgwarden/rules";
import type { PlanDocument, PlanResult } from "./plan-json.js";

type RulePlan = Awaited<ReturnType<typeof planRuleDeployment>>;

/** The deploy-rules plan as a document (--output json, orgwarden schema plan). */
export function rulePlanDocument(
  plan: RulePlan,
  target: PlanDocument["target"],
  result: PlanResult,
): PlanDocument {
  return {
    command: "deploy-rules",
    target,
    changes: plan.changes,
    steps: plan.accounts.flatMap((r) =>
      r.ok
        ? r.value.changes.map((c) => ({
            kind: c.action,
            description: `${c.action} ${c.rule} in ${r.account.id} ${c.region}${c.reason ? `: ${c.reason}` : ""}`,
            accountId: r.account.id,
            region: c.region,
            rule: c.rule,
            ...(c.reason ? { reason: c.reason } : {}),
          }))
        : [],
    ),
    affected: [],
    lockout: null,
    unreachable: plan.accounts.flatMap((r) =>
      r.ok ? [] : [{ accountId: r.account.id, name: r.account.name, reason: r.error.message }],
    ),
    result,
  };
}

/** The plan's table rows: account, name, region, rule, action, why (ERROR rows for unreachable accounts). */
export function planRows(results: RulePlan["accounts"]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.ok) {
      rows.push([
        r.account.id,
        r.account.name,
        "-",
        "-",
        "ERROR",
        `${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}`,
      ]);
      continue;
    }
    if (r.value.iamPolicy) {
      rows.push([
        r.account.id,
        r.account.name,
        "global",
        "iam policy",
        r.value.iamPolicy.action === "create" ? "create" : "unchanged",
        r.value.iamPolicy.arn,
      ]);
    }
    for (const c of r.value.changes)
      rows.push([r.account.id, r.account.name, c.region, c.rule, c.action, c.reason ?? ""]);
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

/** "4 accounts: no recording configuration recorder; 1 account: account is SUSPENDED" */
export function skipReasons(results: RulePlan["accounts"]): string {
  const byReason = new Map<string, Set<string>>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const c of r.value.changes) {
      if (c.action !== "skipped") continue;
      const reason = c.reason ?? "skipped";
      byReason.set(reason, (byReason.get(reason) ?? new Set()).add(r.account.id));
    }
  }
  return [...byReason]
    .map(([reason, ids]) => `${ids.size} account${ids.size === 1 ? "" : "s"}: ${reason}`)
    .join("; ");
}

export function summarizeRulePlan(results: RulePlan["accounts"]): Record<string, number> {
  const counts: Record<string, number> = {
    create: 0,
    update: 0,
    unchanged: 0,
    delete: 0,
    skipped: 0,
    unreachable: 0,
  };
  for (const r of results) {
    if (!r.ok) {
      counts.unreachable = (counts.unreachable ?? 0) + 1;
      continue;
    }
    for (const c of r.value.changes) counts[c.action] = (counts[c.action] ?? 0) + 1;
  }
  return counts;
}
