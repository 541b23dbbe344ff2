import { examplePrincipalArn } from "../exempt-principals.js";
import { ADMIN_ACTIONS } from "./probe-actions.js";
import { type ProbeFamily, type ProbeRow, probeFromRow } from "./probe-table.js";

/**
 * Exempt principals act from anywhere: from outside the allowed networks and through endpoints, as
 * administrators. Formerly exempt ones (exempted by today's documents only) are probed too, for what
 * an update would take away from them: shown, never refused.
 */
function exemptRow(principal: string, pattern: string, formerly: boolean): ProbeRow {
  const who = formerly ? "formerly exempt" : "exempt";
  return {
    id: `${formerly ? "formerly-exempt" : "exempt"}:${pattern}`,
    label: `${who} principal ${principal} without MFA`,
    principal: () => principal,
    actions: ADMIN_ACTIONS,
    mfa: /:user\//.test(principal) ? "absent" : "false",
    networks: ["outside", "vpc-endpoint"],
    regions: "every",
    expect: formerly ? "ANY" : "ALLOW",
    strictness: formerly ? "advisory" : "managed",
  };
}

/** One probe per exempt pattern (orgwarden's own role, the first, has its own probe). */
export const exemptPrincipalProbes: ProbeFamily<never> = {
  name: "exempt principals",
  templates: [],
  probes: (c) =>
    [
      ...c.params.ExemptPrincipalArns.slice(1).map((pattern) => ({ pattern, formerly: false })),
      ...(c.setting.formerlyExempt ?? []).map((pattern) => ({ pattern, formerly: true })),
    ].map(({ pattern, formerly }) => {
      const principal =
        c.setting.exemptExamples?.get(pattern) ?? examplePrincipalArn(pattern, c.setting.account);
      return probeFromRow(exemptRow(principal, pattern, formerly), c);
    }),
};
