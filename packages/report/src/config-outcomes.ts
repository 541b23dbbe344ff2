import type { RuleReading } from "@orgwarden/config";
import type { ControlOutcome } from "./report-model.js";

/**
 * One outcome per rule for one account, folding per-resource evaluations (and regions) into the
 * account's row: any NON_COMPLIANT wins and names its resources; then COMPLIANT; all NOT_APPLICABLE
 * stays NOT_APPLICABLE; nothing evaluated yet is INSUFFICIENT_DATA.
 */
export function configOutcomes(readings: readonly RuleReading[]): ControlOutcome[] {
  const byRule = new Map<string, RuleReading[]>();
  for (const r of readings) byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r]);
  const out: ControlOutcome[] = [];
  for (const [rule, list] of byRule) {
    const control = (list[0] as RuleReading).control;
    const name = (list[0] as RuleReading).configRuleName;
    const evaluations = list.flatMap((r) => r.evaluations.map((e) => ({ ...e, region: r.region })));
    const latest = evaluations.reduce<Date | undefined>(
      (max, e) => (e.evaluatedAt && (!max || e.evaluatedAt > max) ? e.evaluatedAt : max),
      undefined,
    );
    const at = latest ? { evaluatedAt: latest } : {};
    if (list.every((r) => r.state === "not-deployed")) {
      out.push({ control, status: "SKIPPED", reason: `rule ${name} is not deployed in this account` });
      continue;
    }
    const bad = evaluations.filter((e) => e.status === "NON_COMPLIANT");
    if (bad.length > 0) {
      out.push({
        control,
        status: "NON_COMPLIANT",
        reason: `${rule}: ${bad.map((e) => `${e.resourceId}${e.annotation ? ` (${e.annotation})` : ""}`).join("; ")}`,
        resourceType: bad[0]?.resourceType ?? "",
        resourceId: [...new Set(bad.map((e) => e.resourceId))].join(" "),
        ...at,
      });
    } else if (evaluations.some((e) => e.status === "COMPLIANT")) {
      out.push({ control, status: "COMPLIANT", reason: `${rule}: compliant`, ...at });
    } else if (evaluations.length > 0 && evaluations.every((e) => e.status === "NOT_APPLICABLE")) {
      out.push({
        control,
        status: "NOT_APPLICABLE",
        reason: `${rule}: not applicable (${evaluations[0]?.annotation || "no applicable resources"})`,
        ...at,
      });
    } else {
      out.push({ control, status: "INSUFFICIENT_DATA", reason: `${rule}: no evaluation results yet` });
    }
  }
  return out;
}
