import { OrgwardenError, replacePlaceholders, requestedRegion } from "@orgwarden/core";
import type { ProbeRequest } from "../evaluate-scps.js";
import type { KeyValue } from "../request-keys.js";
import type { ScpParameters } from "../scp-parameters.js";
import { PROBE_SOURCE_IP, type ProbeSetting } from "./probe.js";

/** An action and its resource: an ARN with ${Partition}, ${Region} and ${Account}, as in the action catalogue. */
export type ProbeAction = readonly [action: string, resource: string];

/** Where a request comes from, as the network keys say. */
export type Network = "outside" | "inside" | "inside-v6" | "vpc-endpoint" | "other-vpc-endpoint" | "service";

/** aws:MultiFactorAuthPresent, or "absent" (long-term keys, the root user, service roles). */
export type Mfa = "true" | "false" | "absent";

export interface RequestSpec {
  principalArn: string;
  actions: readonly ProbeAction[];
  mfa: Mfa;
  networks: readonly Network[];
  regions: readonly string[];
  extra?: Record<string, KeyValue>;
}

export type MakeRequests = (spec: RequestSpec) => ProbeRequest[];

/** A VPC no allow-list names, for a caller through somebody else's endpoint. */
const PROBE_OTHER_VPC = "vpc-0fedcba9876543210";
const PROBE_VPC = "vpc-0a1b2c3d4e5f60718";
/** An address CloudFormation calls from when it uses a service role (outside any corporate network). */
const PROBE_SERVICE_IP = "198.51.100.20";

/**
 * Requests of one principal: each action on its resource, in each region (IAM: us-east-1 only),
 * over each network, with the keys AWS would put in the request context.
 */
export function requestMaker(params: ScpParameters, s: ProbeSetting): MakeRequests {
  const where = networkAddresses(params);
  return (spec) => {
    const out: ProbeRequest[] = [];
    for (const [action, resource] of spec.actions) {
      for (const region of new Set(spec.regions.map((r) => requestedRegion(action, r)))) {
        const arn = resourceArn(resource, {
          Partition: params.Partition,
          Region: region,
          Account: s.account,
        });
        for (const network of spec.networks) {
          out.push({
            action,
            resource: arn,
            keys: {
              ...principalKeys(spec.principalArn, s, region),
              ...resourceKeys(arn, s),
              ...networkKeys(network, where),
              ...(spec.mfa === "absent" ? {} : { "aws:MultiFactorAuthPresent": spec.mfa }),
              ...spec.extra,
            },
          });
        }
      }
    }
    return out;
  };
}

function resourceArn(resource: string, values: Readonly<Record<string, string>>): string {
  return replacePlaceholders(resource, (name) => {
    const value = values[name];
    if (value === undefined) {
      throw new OrgwardenError("INTERNAL", `probe resource ${resource}: unknown placeholder \${${name}}`, {
        hint: "A probe resource takes ${Partition}, ${Region} and ${Account}.",
      });
    }
    return value;
  });
}

/**
 * aws:ResourceAccount, aws:ResourceOrgID and aws:ResourceOrgPaths: AWS puts them in the request
 * context whenever the resource's account is in an organization (the page lists the few
 * cross-account actions where it does not; orgwarden calls none of them). Without them a resource
 * perimeter (`StringNotEqualsIfExists aws:ResourceOrgID`, AWS's data-perimeter example) would deny
 * every probe although AWS would allow the call. Resources owned by AWS (account "aws" in the ARN,
 * e.g. AWS managed policies) belong to no organization: none of the three is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
 */
export function resourceKeys(resource: string, s: ProbeSetting): Record<string, KeyValue> {
  const owner = resource.startsWith("arn:") ? resource.split(":")[4] : "";
  if (owner === "aws") return {};
  return {
    "aws:ResourceAccount": owner && /^\d{12}$/.test(owner) ? owner : s.account,
    "aws:ResourceOrgID": s.organizationId,
    ...(s.orgPath ? { "aws:ResourceOrgPaths": [s.orgPath] } : {}),
  };
}

export function principalKeys(
  principalArn: string,
  s: ProbeSetting,
  region: string,
): Record<string, KeyValue> {
  // aws:PrincipalType: Account (root), User, FederatedUser (GetFederationToken), AssumedRole.
  const type = /:root$/.test(principalArn)
    ? "Account"
    : /:user\//.test(principalArn)
      ? "User"
      : /:federated-user\//.test(principalArn)
        ? "FederatedUser"
        : "AssumedRole";
  return {
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalAccount": s.account,
    "aws:PrincipalOrgID": s.organizationId,
    "aws:PrincipalType": type,
    "aws:PrincipalIsAWSService": "false",
    "aws:RequestedRegion": region,
    "aws:SecureTransport": "true",
    "aws:ViaAWSService": "false",
  };
}

interface NetworkAddresses {
  inside: string;
  insideV6: string | undefined;
  vpc: string;
}

/** The first address of the first allowed IPv4 (and IPv6) range, and the first allowed VPC. */
function networkAddresses(params: ScpParameters): NetworkAddresses {
  const v4 = params.AllowedCidrs.find((c) => !c.includes(":"));
  const v6 = params.AllowedCidrs.find((c) => c.includes(":"));
  return {
    inside: v4?.split("/")[0] ?? (v6 ? (v6.split("/")[0] as string) : PROBE_SOURCE_IP),
    insideV6: v6?.split("/")[0],
    vpc: params.AllowedVpcs[0] ?? PROBE_VPC,
  };
}

function networkKeys(network: Network, where: NetworkAddresses): Record<string, string> {
  switch (network) {
    case "vpc-endpoint":
      return { "aws:SourceVpc": where.vpc, "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" };
    case "other-vpc-endpoint":
      return { "aws:SourceVpc": PROBE_OTHER_VPC, "aws:SourceVpce": "vpce-0fedcba9876543210" };
    case "inside":
      return { "aws:SourceIp": where.inside };
    case "inside-v6":
      return { "aws:SourceIp": where.insideV6 ?? where.inside };
    case "service":
      return { "aws:SourceIp": PROBE_SERVICE_IP };
    default:
      return { "aws:SourceIp": PROBE_SOURCE_IP };
  }
}
