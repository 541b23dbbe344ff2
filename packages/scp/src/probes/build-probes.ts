import type { ScpParameters } from "../scp-parameters.js";
import { DEFAULT_PROBE_SETTING, type Probe, type ProbeSetting } from "./probe.js";
import { PROBE_FAMILIES } from "./probe-families.js";
import { requestMaker } from "./probe-requests.js";
import type { ProbeContext, TemplateRef } from "./probe-table.js";

/**
 * The probe requests of the lockout guard for one member account. `inEffect` is the set of library
 * policy names (without the orgwarden- prefix) in effect on the target after the change.
 */
export function buildProbes(
  params: ScpParameters,
  inEffect: ReadonlySet<string>,
  setting: Partial<ProbeSetting> = {},
): Probe[] {
  const s: ProbeSetting = { ...DEFAULT_PROBE_SETTING, ...setting };
  const context: ProbeContext = {
    params,
    setting: s,
    home: s.regions[0] ?? "us-east-1",
    requests: requestMaker(params, s),
    inEffect: (template) => {
      const name = scpName(template);
      return name !== undefined && inEffect.has(name);
    },
    renders: (template) => {
      const name = scpName(template);
      return name !== undefined && (s.ownPolicies?.includes(name) ?? true);
    },
  };
  return PROBE_FAMILIES.flatMap((family) => family.probes(context));
}

/** The SCP library name of a template; undefined for another folder's (the guard evaluates SCPs only). */
function scpName(template: TemplateRef): string | undefined {
  return template.startsWith("scp/") ? template.slice("scp/".length) : undefined;
}
