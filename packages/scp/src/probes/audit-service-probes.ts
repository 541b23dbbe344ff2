import { matchesPattern } from "../policy-pattern.js";
import { AUDIT_SETUP_ACTIONS, AUDIT_STOP_ACTIONS } from "./probe-actions.js";
import { type ProbePrincipal, probePrincipalArn } from "./probe-principals.js";
import { deniedUnder, type ProbeContext, type ProbeRow, tableFamily } from "./probe-table.js";

const PROTECT_AUDIT = "scp/protect-audit";
type AuditContext = ProbeContext<typeof PROTECT_AUDIT>;

/** True when the audit automation list of the parameters names the principal. */
function isNamedAutomation(c: AuditContext, who: ProbePrincipal): boolean {
  const arn = probePrincipalArn(who, c.params, c.setting);
  return c.params.AuditAutomationArns.some((p) => matchesPattern(p, "arn", arn, undefined));
}

/**
 * Automation setting up the audit services. Named in the audit automation list, protect-audit must
 * let it through (a mismatch refuses); not named, a denial is shown only.
 */
function automationRow(id: string, who: string, principal: ProbePrincipal): ProbeRow<typeof PROTECT_AUDIT> {
  return {
    id,
    label: `${who} setting up audit services`,
    principal,
    actions: AUDIT_SETUP_ACTIONS,
    mfa: "false",
    expect: (c) => (isNamedAutomation(c, principal) || !c.inEffect(PROTECT_AUDIT) ? "ALLOW" : "ANY"),
    strictness: (c) => (isNamedAutomation(c, principal) ? "managed" : "advisory"),
  };
}

/** CloudTrail, Config and GuardDuty: who must keep setting them up, and who must not turn them off. */
export const auditServiceProbes = tableFamily(
  "audit services and the roles that run them",
  [PROTECT_AUDIT],
  [
    {
      id: "service-linked-role",
      label: "a service-linked role (AWSServiceRoleForConfig)",
      principal: "config-service-linked-role",
      actions: AUDIT_SETUP_ACTIONS,
      mfa: "absent",
      keys: { "aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false" },
      expect: "ALLOW",
      strictness: "managed",
    },
    automationRow(
      "stacksets-execution-role",
      "a CloudFormation StackSets execution role",
      "stacksets-execution-role",
    ),
    automationRow(
      "control-tower-execution",
      "Control Tower (AWSControlTowerExecution)",
      "control-tower-execution",
    ),
    {
      id: "member-admin-stops-audit",
      label: "a member-account administrator stopping CloudTrail and GuardDuty",
      principal: "member-admin",
      actions: AUDIT_STOP_ACTIONS,
      mfa: "false",
      expect: deniedUnder(PROTECT_AUDIT),
      strictness: "managed",
    },
  ],
);
