import type { ProbeAction } from "./probe-requests.js";
import type { Caller, RcpTemplateRef, ResourceProbeContext } from "./resource-probe-table.js";

/*
 * What the resource-side families share: the RCPs they name, the callers they stand for, and the
 * member resources they call.
 */

export const IDENTITY = "rcp/identity-perimeter";
export const DEPUTY = "rcp/confused-deputy";
export const TRANSPORT = "rcp/secure-transport";
export const OIDC = "rcp/trusted-oidc-providers";

/** An account and an organization that are not the organization's nor trusted. */
export const FOREIGN_ACCOUNT = "444455556666";
export const FOREIGN_ORG = "o-foreignorg12";
/** A provider no one trusts. */
export const UNTRUSTED_OIDC = "oidc.untrusted.example.com";

export const BUCKET = "arn:${Partition}:s3:::app-data-${Account}";
export const OBJECT = `${BUCKET}/object.json`;
export const LOG_BUCKET = "arn:${Partition}:s3:::org-log-archive-${Account}";
/** What a workload or a partner does with a member account's data. */
export const DATA_ACTIONS: readonly ProbeAction[] = [
  ["s3:GetObject", OBJECT],
  ["sqs:SendMessage", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"],
  ["kms:Decrypt", "arn:${Partition}:kms:${Region}:${Account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
  ["secretsmanager:GetSecretValue", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:app-AbCdEf"],
];

export const deniedUnder =
  (template: RcpTemplateRef) =>
  (c: ResourceProbeContext): "DENY" | "ANY" =>
    c.inEffect(template) ? "DENY" : "ANY";

export const member = (c: ResourceProbeContext, path: string): Caller => ({
  kind: "principal",
  arn: `arn:${c.params.Partition}:iam::${c.setting.account}:${path}`,
  account: c.setting.account,
  orgId: c.setting.organizationId,
});

export const outsider = (account: string, orgId: string | undefined, c: ResourceProbeContext): Caller => ({
  kind: "principal",
  arn: `arn:${c.params.Partition}:iam::${account}:role/partner-access`,
  account,
  orgId,
});

/** A service principal writing for a resource of `sourceAccount` (in `sourceOrgId`). */
export const service = (
  name: string,
  sourceArn: (c: ResourceProbeContext, account: string) => string,
  foreign: boolean,
): ((c: ResourceProbeContext) => Caller) => {
  return (c) => {
    const account = foreign ? FOREIGN_ACCOUNT : c.setting.account;
    return {
      kind: "service",
      service: name,
      sourceAccount: account,
      sourceOrgId: foreign ? FOREIGN_ORG : c.setting.organizationId,
      sourceArn: sourceArn(c, account),
    };
  };
};

export const trailArn = (c: ResourceProbeContext, account: string) =>
  `arn:${c.params.Partition}:cloudtrail:${c.home}:${account}:trail/organization-trail`;
export const recorderArn = (c: ResourceProbeContext, account: string) =>
  `arn:${c.params.Partition}:config:${c.home}:${account}:config-recorder/default`;
export const distributionArn = (c: ResourceProbeContext, account: string) =>
  `arn:${c.params.Partition}:cloudfront::${account}:distribution/EDFDVBD6EXAMPLE`;
