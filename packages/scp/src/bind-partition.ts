import { OrgwardenError } from "@orgwarden/core";
import type { ScpParameters } from "./scp-parameters.js";

/**
 * The parameters in the organization's partition. Flags and the config file are read (and the
 * library rendered, to catch bad input) before any AWS call, so in the commercial partition; once
 * the organization is described, orgwarden's own role and the audit automation roles (built from
 * names) move to its partition, and an exempt principal written for another partition is refused:
 * `aws:PrincipalArn` in GovCloud is `arn:aws-us-gov:…`, so `arn:aws:…` would exempt nobody.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function bindPartition(params: ScpParameters, partition: string): ScpParameters {
  const own = params.ExemptPrincipalArns[0];
  const foreign = params.ExemptPrincipalArns.slice(1).filter((arn) => {
    const p = arn.split(":")[1];
    return p !== "*" && p !== partition;
  });
  if (foreign.length > 0) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `exempt principal ${foreign.map((a) => `"${a}"`).join(", ")} is in another partition than the organization's (${partition}): aws:PrincipalArn would never equal it, so it would exempt nobody`,
      {
        hint: `Write it as ${foreign[0]?.replace(/^arn:[^:]+:/, `arn:${partition}:`)} (or arn:*:… for any partition). Nothing was changed.`,
        details: { partition, exemptPrincipals: foreign },
      },
    );
  }
  if (params.Partition === partition) return params;
  const move = (arn: string) => arn.replace(/^arn:[^:]+:/, `arn:${partition}:`);
  const exempt = params.ExemptPrincipalArns.map((arn) => (arn === own ? move(arn) : arn));
  return {
    ...params,
    Partition: partition,
    ExemptPrincipalArns: exempt,
    ExemptRoleArns: exempt.filter((a) => /:role\//.test(a)),
    AuditAutomationArns: params.AuditAutomationArns.map(move),
  };
}
