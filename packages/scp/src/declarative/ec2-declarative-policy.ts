import { OrgwardenError } from "@orgwarden/core";
import {
  assignDocument,
  checkDeclarativeParameters,
  type DeclarativeParameter,
  type DeclarativeParameters,
} from "./declarative-parameters.js";
import { declarativeVariant, type RenderedDeclarativePolicy } from "./declarative-variant.js";

/**
 * The EC2 declarative policy (DECLARATIVE_POLICY_EC2): account settings EC2 enforces at the service,
 * for every principal of the accounts in scope, the management account included; account
 * administrators cannot change an attribute the policy sets. The attributes and values are the
 * syntax page's (values with underscores: the EC2 APIs report the same values with hyphens).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
 *
 * Left out: allowed_images_settings (image criteria are a policy of their own, not a switch), and
 * an IMDSv1 enforcement key for HttpTokensEnforced, whose name no AWS page gives yet.
 */
export const EC2_POLICY_NAME = "ec2-declarative";

const TOP_KEY = "ec2_attributes";
const IMDS = "instance_metadata_defaults";
const VPC_BPA = ["vpc_block_public_access", "internet_gateway_block"] as const;

/** A hop limit: an integer from -1 (no preference) to 64, written as text as AWS's example does. */
const hopLimit = (v: string) => /^(-1|\d|[1-5]\d|6[0-4])$/.test(v);
/** Free text for the error EC2 returns to a refused call, on one line (it must not carry personal data). */
const message = (v: string) => v.length > 0 && [...v].every((c) => c >= " ");

export const EC2_POLICY_PARAMETERS: readonly DeclarativeParameter[] = [
  {
    name: "ImdsHttpTokens",
    flag: "--imds-http-tokens",
    path: [IMDS, "http_tokens"],
    describes:
      "the IMDS default of new instances (required: IMDSv2 only; instances that ask otherwise at launch, and running ones, are not changed)",
    values: ["required", "optional", "no_preference"],
  },
  {
    name: "ImdsHopLimit",
    flag: "--imds-hop-limit",
    path: [IMDS, "http_put_response_hop_limit"],
    describes: "the default IMDS hop limit of new instances (-1: no preference)",
    values: { check: hopLimit, expected: "an integer from -1 to 64" },
  },
  {
    name: "ImdsEndpoint",
    flag: "--imds-endpoint",
    path: [IMDS, "http_endpoint"],
    describes: "whether new instances' metadata endpoint is on by default",
    values: ["enabled", "disabled", "no_preference"],
  },
  {
    name: "ImdsInstanceTags",
    flag: "--imds-instance-tags",
    path: [IMDS, "instance_metadata_tags"],
    describes: "whether new instances' tags are in their metadata by default",
    values: ["enabled", "disabled", "no_preference"],
  },
  {
    name: "ImageBlockPublicAccess",
    flag: "--image-block-public-access",
    path: ["image_block_public_access", "state"],
    describes: "whether AMIs can be shared publicly (block_new_sharing: AMIs already public stay public)",
    values: ["block_new_sharing", "unblocked"],
  },
  {
    name: "SnapshotBlockPublicAccess",
    flag: "--snapshot-block-public-access",
    path: ["snapshot_block_public_access", "state"],
    describes:
      "whether EBS snapshots can be shared publicly (block_all_sharing also makes public ones private; block_new_sharing leaves them public)",
    values: ["block_all_sharing", "block_new_sharing", "unblocked"],
  },
  {
    name: "SerialConsole",
    flag: "--serial-console",
    path: ["serial_console_access", "status"],
    describes: "whether the EC2 serial console can be used",
    values: ["enabled", "disabled"],
  },
  {
    name: "VpcBlockPublicAccess",
    flag: "--vpc-block-public-access",
    path: [...VPC_BPA, "mode"],
    describes:
      "VPC Block Public Access for internet gateways (block_ingress: inbound blocked, NAT and egress-only gateways still work; block_bidirectional: both ways)",
    values: ["off", "block_ingress", "block_bidirectional"],
  },
  {
    name: "VpcExclusions",
    flag: "--vpc-exclusions",
    path: [...VPC_BPA, "exclusions_allowed"],
    describes:
      "whether accounts may exclude VPCs and subnets from VPC Block Public Access (default disabled with --vpc-block-public-access)",
    values: ["enabled", "disabled"],
  },
  {
    name: "ExceptionMessage",
    flag: "--exception-message",
    path: ["exception_message"],
    describes:
      "the message EC2 returns to a call the policy refuses (a wiki link; never personal data: AWS does not treat it as sensitive)",
    values: { check: message, expected: "one line of text" },
  },
];

/** The attributes, without the exception message that explains their refusals. */
const ATTRIBUTES = EC2_POLICY_PARAMETERS.filter((p) => p.name !== "ExceptionMessage");

/**
 * The EC2 declarative policy of a parameter set, e.g. `{ ImdsHttpTokens: "required",
 * SnapshotBlockPublicAccess: "block-all-sharing" }`. A set that sets no attribute is refused, and so
 * are VPC exclusions without a VPC Block Public Access mode (the syntax requires both together);
 * a mode without exclusions gets `disabled`, the strict choice, stated in the plan.
 */
export function renderEc2DeclarativePolicy(
  input: Readonly<Record<string, unknown>>,
): RenderedDeclarativePolicy {
  const parameters: DeclarativeParameters = checkDeclarativeParameters(EC2_POLICY_PARAMETERS, input);
  if (!ATTRIBUTES.some((p) => parameters[p.name] !== undefined))
    throw new OrgwardenError("INVALID_INPUT", "the EC2 declarative policy would set no attribute", {
      hint: `Choose at least one of ${ATTRIBUTES.filter((p) => p.name !== "VpcExclusions")
        .map((p) => p.flag)
        .join(", ")}.`,
    });
  if (parameters.VpcExclusions !== undefined && parameters.VpcBlockPublicAccess === undefined)
    throw new OrgwardenError("INVALID_INPUT", "--vpc-exclusions needs --vpc-block-public-access", {
      hint: "The policy sets VPC Block Public Access's mode and whether exclusions are allowed together.",
    });
  if (parameters.VpcBlockPublicAccess !== undefined) parameters.VpcExclusions ??= "disabled";
  const summary = ATTRIBUTES.filter((p) => parameters[p.name] !== undefined)
    .map((p) => `${p.path.join(".")}=${parameters[p.name]}`)
    .join(", ");
  return declarativeVariant(
    "DECLARATIVE_POLICY_EC2",
    EC2_POLICY_NAME,
    summary,
    parameters,
    assignDocument(TOP_KEY, EC2_POLICY_PARAMETERS, parameters),
  );
}
