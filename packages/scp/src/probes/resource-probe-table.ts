import { OrgwardenError, replacePlaceholders } from "@orgwarden/core";
import type { ProbeRequest } from "../evaluate-scps.js";
import type { RcpParameters } from "../rcp-parameters.js";
import type { KeyValue } from "../request-keys.js";
import type { Operator, Probe, ProbeSetting } from "./probe.js";
import type { ProbeAction } from "./probe-requests.js";
import { resourceKeys } from "./probe-requests.js";

/** An RCP library template by file name: `rcp/identity-perimeter` for rcp/identity-perimeter.json. */
export type RcpTemplateRef = `rcp/${string}`;

/** What a resource-side family builds its probes from. */
export interface ResourceProbeContext {
  readonly params: RcpParameters;
  /** The member account whose resources are called, its path, and who runs orgwarden. */
  readonly setting: ProbeSetting;
  readonly operator: Operator;
  /** Where the resources are probed: the first region orgwarden works in. */
  readonly home: string;
  /** True when the RCP is in effect on the account's path after the change. */
  readonly inEffect: (template: RcpTemplateRef) => boolean;
}

/**
 * Who calls a member account's resource, as the request context says it: an IAM principal of some
 * account (in the organization or not), an AWS service with its service principal, or a federated
 * caller of AssumeRoleWithWebIdentity (no AWS credentials, so no principal keys).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
export type Caller =
  | { kind: "principal"; arn: string; account: string; orgId: string | undefined }
  | {
      kind: "service";
      service: string;
      /** The source keys the service sends; absent for one that sends none (ELB's log delivery). */
      sourceAccount: string | undefined;
      sourceOrgId: string | undefined;
      sourceArn: string | undefined;
    }
  | { kind: "web-identity"; provider: string; subject: string }
  /** An unsigned request (a public bucket read): no principal key at all. */
  | { kind: "anonymous" };

type Resolved<V> = V | ((c: ResourceProbeContext) => V);

/** One resource-side probe as data: who calls, what on which resource, and what the guard expects. */
export interface ResourceProbeRow {
  id: string;
  label: Resolved<string>;
  caller: (c: ResourceProbeContext) => Caller;
  /** Actions on member resources: ARNs with ${Partition}, ${Region} and ${Account} (the member's). */
  actions: Resolved<readonly ProbeAction[]>;
  /** aws:SecureTransport; default true (every SDK and CLI call is HTTPS). */
  secureTransport?: boolean;
  /** Tags on the resource (aws:ResourceTag/<key>). */
  resourceTags?: Resolved<Record<string, string>>;
  expect: Resolved<Probe["expect"]>;
  strictness: Resolved<Probe["strictness"]>;
  /** What would let the probe pass (a flag that trusts the caller), shown when it refuses the plan. */
  remedy?: Resolved<string | undefined>;
  when?: (c: ResourceProbeContext) => boolean;
}

export interface ResourceProbeFamily {
  name: string;
  /** The RCPs whose presence changes what the family expects (library-coverage.ts checks them). */
  templates: readonly RcpTemplateRef[];
  /** The rows, or rows made from the context (one per region, one per web identity of the runner). */
  rows: readonly ResourceProbeRow[] | ((c: ResourceProbeContext) => readonly ResourceProbeRow[]);
}

export function resourceProbes(family: ResourceProbeFamily, c: ResourceProbeContext): Probe[] {
  const rows = typeof family.rows === "function" ? family.rows(c) : family.rows;
  return rows.filter((row) => row.when?.(c) ?? true).map((row) => probeFromResourceRow(row, c));
}

function probeFromResourceRow(row: ResourceProbeRow, c: ResourceProbeContext): Probe {
  const caller = row.caller(c);
  const remedy = resolve(row.remedy, c);
  const tags = resolve(row.resourceTags, c) ?? {};
  const requests = resolve(row.actions, c).map(([action, resource]): ProbeRequest => {
    const arn = resourceArn(resource, c);
    return {
      action,
      resource: arn,
      keys: {
        ...callerKeys(caller),
        ...resourceKeys(arn, c.setting),
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
        "aws:RequestedRegion": c.home,
        "aws:SecureTransport": row.secureTransport === false ? "false" : "true",
      },
    };
  });
  return {
    id: row.id,
    label: resolve(row.label, c),
    principalArn:
      caller.kind === "principal"
        ? caller.arn
        : caller.kind === "service"
          ? caller.service
          : caller.kind === "web-identity"
            ? caller.provider
            : "anonymous",
    requests,
    expect: resolve(row.expect, c),
    strictness: resolve(row.strictness, c),
    ...(remedy ? { remedy } : {}),
  };
}

/** The request keys a caller brings; an absent key is left out, as AWS leaves it out. */
function callerKeys(caller: Caller): Record<string, KeyValue> {
  switch (caller.kind) {
    case "principal":
      return {
        "aws:PrincipalArn": caller.arn,
        "aws:PrincipalAccount": caller.account,
        ...(caller.orgId ? { "aws:PrincipalOrgID": caller.orgId } : {}),
        "aws:PrincipalType": /:user\//.test(caller.arn) ? "User" : "AssumedRole",
        "aws:PrincipalIsAWSService": "false",
        "aws:ViaAWSService": "false",
      };
    case "service":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
      return {
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalServiceName": caller.service,
        ...(caller.sourceAccount ? { "aws:SourceAccount": caller.sourceAccount } : {}),
        ...(caller.sourceArn ? { "aws:SourceArn": caller.sourceArn } : {}),
        ...(caller.sourceOrgId ? { "aws:SourceOrgID": caller.sourceOrgId } : {}),
      };
    case "web-identity":
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
      return { [`${caller.provider}:sub`]: caller.subject, [`${caller.provider}:aud`]: "sts.amazonaws.com" };
    case "anonymous":
      return {};
  }
}

function resourceArn(resource: string, c: ResourceProbeContext): string {
  const values: Readonly<Record<string, string>> = {
    Partition: c.params.Partition,
    Region: c.home,
    Account: c.setting.account,
  };
  return replacePlaceholders(resource, (name) => {
    const value = values[name];
    if (value === undefined) {
      throw new OrgwardenError("INTERNAL", `probe resource ${resource}: unknown placeholder \${${name}}`);
    }
    return value;
  });
}

function resolve<V>(value: Resolved<V>, c: ResourceProbeContext): V;
function resolve<V>(value: Resolved<V> | undefined, c: ResourceProbeContext): V | undefined;
function resolve<V>(value: Resolved<V> | undefined, c: ResourceProbeContext): V | undefined {
  return typeof value === "function" ? (value as (c: ResourceProbeContext) => V)(c) : value;
}
