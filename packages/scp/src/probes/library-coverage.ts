import { PROBE_FAMILIES } from "./probe-families.js";
import type { TemplateRef } from "./probe-table.js";
import { RESOURCE_PROBE_FAMILIES } from "./resource-probe-families.js";

/** Every family of either guard, by name and the templates it names. */
const ALL_FAMILIES: ReadonlyArray<{ name: string; templates: readonly TemplateRef[] }> = [
  ...PROBE_FAMILIES,
  ...RESOURCE_PROBE_FAMILIES,
];

/**
 * Library templates no family names, and why none needs to: what each denies is nothing a
 * principal the guard protects does. orgwarden's role and root sessions are probed with every action
 * they call under every policy in effect, so a template that denied them more than it says would
 * still be caught there.
 */
export const TEMPLATES_WITHOUT_PROBES: Readonly<Record<TemplateRef, string>> = {
  "scp/deny-leave-organization":
    "denies organizations:LeaveOrganization only, to everyone: orgwarden never calls it, no person or workload needs it (the management account removes accounts), and there is no exemption to claim",
  "scp/deny-root-access-keys":
    "denies iam:CreateAccessKey to the root user only: orgwarden's centralized-root sessions never create keys (their task policies do not allow it), and it exempts nobody by name",
};

/** How the lockout guard answers for a template: the families that probe it, or why none does. */
export type ProbeCoverage =
  | { kind: "probed"; families: string[] }
  | { kind: "no-probes"; why: string }
  | { kind: "missing" };

export function probeCoverage(template: TemplateRef): ProbeCoverage {
  const families = ALL_FAMILIES.filter((f) => f.templates.includes(template)).map((f) => f.name);
  if (families.length > 0) return { kind: "probed", families };
  const why = TEMPLATES_WITHOUT_PROBES[template];
  return why === undefined ? { kind: "missing" } : { kind: "no-probes", why };
}

/** Every template a family names or the table above excuses: each must exist in the library. */
export function templatesAccountedFor(): TemplateRef[] {
  const named = ALL_FAMILIES.flatMap((f) => f.templates);
  return [...new Set([...named, ...(Object.keys(TEMPLATES_WITHOUT_PROBES) as TemplateRef[])])].sort();
}
