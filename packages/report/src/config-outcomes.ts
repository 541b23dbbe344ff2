import type { RuleReading } from "@orgwarden/rules";
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
    // A regional rule answers for its region only: regions where it is missing or has no result
    // keep the account from COMPLIANT. https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config.html
    const missing = list.filter((r) => r.state === "not-deployed").map((r) => r.region);
    const silent = list.filter((r) => r.state === "no-results").map((r) => r.region);
    const regions = {
      region: list.length > 1 || missing.length > 0 ? list.map((r) => r.region).join(" ") : "",
    };
    if (bad.length > 0) {
      const badRegions = [...new Set(bad.map((e) => e.region))];
      out.push({
        control,
        status: "NON_COMPLIANT",
        reason: `${rule}: ${bad.map((e) => `${e.resourceId}${e.annotation ? ` (${e.annotation})` : ""}${list.length > 1 ? ` in ${e.region}` : ""}`).join("; ")}`,
        resourceType: bad[0]?.resourceType ?? "",
        resourceId: [...new Set(bad.map((e) => e.resourceId))].join(" "),
        ...(list.length > 1 ? { region: badRegions.join(" ") } : {}),
        ...at,
      });
    } else if (missing.length > 0 || (silent.length > 0 && list.length > 1)) {
      out.push({
        control,
        status: "INSUFFICIENT_DATA",
        reason: `${rule}: ${[
          missing.length ? `not deployed in ${missing.join(" ")}` : "",
          silent.length ? `no results yet in ${silent.join(" ")}` : "",
        ]
          .filter(Boolean)
          .join("; ")}: the account cannot be judged in every region`,
        region: [...missing, ...silent].join(" "),
        ...at,
      });
    } else if (evaluations.some((e) => e.status === "COMPLIANT")) {
      out.push({
        control,
        status: "COMPLIANT",
        reason: `${rule}: compliant${list.length > 1 ? ` in all ${list.length} regions` : ""}`,
        ...regions,
        ...at,
      });
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
