import { orgwardenResourceAccess } from "./orgwarden-resource-access.js";
import { identityPerimeter, secureTransport, webIdentities } from "./perimeter-probes.js";
import type { ResourceProbeFamily } from "./resource-probe-table.js";
import { serviceDeliveries } from "./service-delivery-probes.js";

/** Every resource-side family, in the order their probes are listed in a plan and in docs/lockout-matrix.md. */
export const RESOURCE_PROBE_FAMILIES: readonly ResourceProbeFamily[] = [
  orgwardenResourceAccess,
  serviceDeliveries,
  identityPerimeter,
  secureTransport,
  webIdentities,
];
