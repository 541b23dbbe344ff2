import { auditServiceProbes } from "./audit-service-probes.js";
import { exemptPrincipalProbes } from "./exempt-principal-probes.js";
import { exemptionClaims, exemptRoleRewrites } from "./exemption-claims.js";
import { exemptionTagProbes } from "./exemption-tag-probes.js";
import { mfaProbes } from "./mfa-probes.js";
import { networkProbes } from "./network-probes.js";
import { orgwardenSessions } from "./orgwarden-sessions.js";
import type { ProbeFamily } from "./probe-table.js";
import { rootUserProbes } from "./root-user-probes.js";
import { workloadProbes } from "./workload-probes.js";

/**
 * Every family of the lockout guard, in the order their probes are listed in a plan and in
 * docs/lockout-matrix.md. A new family goes here; a new library template is named by a family's
 * `templates` or, when it needs no probe of its own, in library-coverage.ts.
 */
export const PROBE_FAMILIES: readonly ProbeFamily[] = [
  orgwardenSessions,
  exemptPrincipalProbes,
  workloadProbes,
  auditServiceProbes,
  exemptRoleRewrites,
  mfaProbes,
  rootUserProbes,
  networkProbes,
  exemptionTagProbes,
  exemptionClaims,
];
