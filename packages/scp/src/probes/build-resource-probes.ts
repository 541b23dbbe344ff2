import type { RcpParameters } from "../rcp-parameters.js";
import { DEFAULT_PROBE_SETTING, type Operator, type Probe, type ProbeSetting } from "./probe.js";
import { RESOURCE_PROBE_FAMILIES } from "./resource-probe-families.js";
import { type ResourceProbeContext, resourceProbes } from "./resource-probe-table.js";

/**
 * The resource-side probes of the lockout guard for one member account: requests *to* its
 * resources, judged with the RCPs on its path. `inEffect` is the set of RCP library names (without
 * the orgwarden- prefix) in effect there after the change. Without an operator in the setting,
 * orgwarden runs from the management account, inside the organization.
 */
export function buildResourceProbes(
  params: RcpParameters,
  inEffect: ReadonlySet<string>,
  setting: Partial<ProbeSetting> = {},
): Probe[] {
  const s: ProbeSetting = { ...DEFAULT_PROBE_SETTING, ...setting };
  const operator: Operator = s.operator ?? {
    accountId: MANAGEMENT_STAND_IN,
    principalArn: `arn:${params.Partition}:iam::${MANAGEMENT_STAND_IN}:role/orgwarden-operator`,
    inOrganization: true,
  };
  const context: ResourceProbeContext = {
    params,
    setting: s,
    operator,
    home: s.regions[0] ?? "us-east-1",
    inEffect: (template) => inEffect.has(template.slice("rcp/".length)),
  };
  return RESOURCE_PROBE_FAMILIES.flatMap((family) => resourceProbes(family, context));
}

/** A stand-in management account, when the setting names no operator. */
const MANAGEMENT_STAND_IN = "123456789012";
