// The lockout guard's probes live in probes/, one file per family; this is their entry point.
export { buildProbes } from "./probes/build-probes.js";
export { buildResourceProbes } from "./probes/build-resource-probes.js";
export {
  type Operator,
  PROBE_ACCOUNT,
  PROBE_ORGANIZATION,
  PROBE_SOURCE_IP,
  type Probe,
  type ProbeSetting,
  type WebIdentity,
} from "./probes/probe.js";
export { CLAIM_ROLE_ACTIONS, CLAIM_USER_ACTIONS } from "./probes/probe-actions.js";
