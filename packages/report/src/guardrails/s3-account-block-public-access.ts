import { DescribeEffectivePolicyCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { describeAwsError, isAwsError } from "@orgwarden/core";
import { s3BlockPublicAccessOf } from "@orgwarden/scp";
import type { ControlOutcome } from "../report-model.js";
import { MECHANISM } from "./guardrail-mechanism.js";

/** What the S3 check reads in one account: S3 Control (global setting) and Organizations, as the account. */
export interface S3GuardrailClients {
  s3control: () => Promise<S3ControlClient>;
  organizations: () => OrganizationsClient;
}

const SETTINGS = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const;

/** What holds the account's setting, from its effective S3 organization policy. */
type S3Holder =
  | { by: "policy"; setting: "all" | "none" }
  | { by: "account" }
  | { by: "unknown"; why: string };

/**
 * s3-account-public-access-block, as S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC (S3.1) judges
 * it with its defaults: the four account-level settings on. GetPublicAccessBlock answers the
 * account's effective configuration, inherited from an S3 organization policy when one applies; it
 * does not say where it comes from, so the account's effective S3 policy is asked too
 * (DescribeEffectivePolicy, as the account itself: any account of an organization may ask its own).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeEffectivePolicy.html
 */
export async function checkS3AccountBlockPublicAccess(
  clients: S3GuardrailClients,
  accountId: string,
): Promise<ControlOutcome> {
  const [configuration, holder] = await Promise.all([
    readAccountBlock(clients, accountId),
    readHolder(clients.organizations()),
  ]);
  const off = SETTINGS.filter((s) => configuration?.[s] !== true);
  const compliant = off.length === 0;
  const state = !configuration
    ? "no account-level Block Public Access configuration"
    : compliant
      ? "all four Block Public Access settings on"
      : `${off.join(", ")} off`;
  return {
    control: "s3-account-public-access-block",
    status: compliant ? "COMPLIANT" : "NON_COMPLIANT",
    reason: `${state}, ${holderText(holder, compliant)}`,
  };
}

async function readAccountBlock(
  clients: S3GuardrailClients,
  accountId: string,
): Promise<Partial<Record<(typeof SETTINGS)[number], boolean>> | undefined> {
  const { GetPublicAccessBlockCommand } = await import("@aws-sdk/client-s3-control");
  try {
    const out = await (await clients.s3control()).send(
      new GetPublicAccessBlockCommand({ AccountId: accountId }),
    );
    return out.PublicAccessBlockConfiguration;
  } catch (err) {
    // No configuration at all: every setting is off, as S3.1 counts it.
    if (isAwsError(err, "NoSuchPublicAccessBlockConfiguration")) return undefined;
    throw err;
  }
}

async function readHolder(organizations: OrganizationsClient): Promise<S3Holder> {
  try {
    const out = await organizations.send(new DescribeEffectivePolicyCommand({ PolicyType: "S3_POLICY" }));
    const setting = s3BlockPublicAccessOf(out.EffectivePolicy?.PolicyContent);
    return setting ? { by: "policy", setting } : { by: "account" };
  } catch (err) {
    // No S3 policy on the account's path (or the type not enabled): the setting is the account's.
    if (isAwsError(err, "EffectivePolicyNotFoundException", "PolicyTypeNotEnabledException"))
      return { by: "account" };
    return { by: "unknown", why: describeAwsError(err, "Organizations").message };
  }
}

function holderText(holder: S3Holder, compliant: boolean): string {
  switch (holder.by) {
    case "policy":
      if (holder.setting === "none")
        return `${MECHANISM.s3Policy} turns Block Public Access off (none), and account administrators cannot turn it on`;
      return compliant
        ? `enforced by ${MECHANISM.s3Policy} (all): account administrators cannot turn it off`
        : `though ${MECHANISM.s3Policy} says all: the account's settings follow it once it has taken effect`;
    case "account":
      return compliant
        ? `${MECHANISM.account}: no S3 organization policy applies, so an administrator of the account can turn it off`
        : `${MECHANISM.account}: no S3 organization policy applies`;
    case "unknown":
      return `whether ${MECHANISM.s3Policy} holds it is unknown: its effective S3 policy could not be read (${holder.why})`;
  }
}

/**
 * S3 Control's client class. Its endpoint rules put the account id in front of the host
 * (`{AccountId}.s3-control.<region>.amazonaws.com`); an endpoint override that is an address (a local
 * emulator at http://127.0.0.1:port) cannot take that prefix, so with an override the requests go to
 * it as given, the account id travelling in the x-amz-account-id header as it always does.
 */
export async function s3ControlClientClass(): Promise<typeof S3ControlClient> {
  const sdk = await import("@aws-sdk/client-s3-control");
  return class S3ControlAtEndpoint extends sdk.S3ControlClient {
    constructor(config: ConstructorParameters<typeof S3ControlClient>[0] & { endpoint?: unknown }) {
      const endpoint = typeof config.endpoint === "string" ? config.endpoint : undefined;
      super(endpoint ? { ...config, endpointProvider: () => ({ url: new URL(endpoint) }) } : config);
    }
  };
}
