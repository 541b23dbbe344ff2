import { paginateListServiceQuotas, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import type { ClientFactory, Credentials } from "./client-factory.js";
import { organizationsRegion } from "./partition.js";
import { OPERATOR_SCOPE } from "./request-scope.js";

/** One applied quota of the `organizations` service, as Service Quotas names it. */
export interface OrganizationsQuota {
  name: string;
  code: string;
  value: number;
}

/**
 * The applied quotas of AWS Organizations, from Service Quotas (service code `organizations`, in the
 * partition's Organizations region: us-east-1 in the commercial one), every page. AWS says quota
 * codes may change and names do not, so callers recognise a quota by its name. Throws what the SDK
 * throws (no permission, an endpoint without the API): each caller decides what a missing figure
 * costs it. Few attempts: a failure only means the defaults are used.
 *
 * The SCP planner reads the same quotas its own way (packages/scp/src/scp-quotas.ts); it can move
 * onto this helper without a change of behaviour.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export async function listOrganizationsQuotas(
  factory: ClientFactory,
  credentials: Credentials,
): Promise<OrganizationsQuota[]> {
  const client = factory.create(ServiceQuotasClient, {
    scope: OPERATOR_SCOPE,
    credentials,
    region: organizationsRegion(factory.options.region),
    maxAttempts: 3,
  });
  const quotas: OrganizationsQuota[] = [];
  for await (const page of paginateListServiceQuotas({ client }, { ServiceCode: "organizations" })) {
    for (const q of page.Quotas ?? []) {
      if (q.QuotaName && typeof q.Value === "number" && q.Value > 0)
        quotas.push({ name: q.QuotaName, code: q.QuotaCode ?? "", value: Math.floor(q.Value) });
    }
  }
  return quotas;
}
