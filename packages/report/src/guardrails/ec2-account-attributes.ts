import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ControlId } from "@orgwarden/core";
import { type Ec2Holder, ec2Holder, type GuardrailVerdict, holderName } from "./guardrail-mechanism.js";

/** What one region of one account reads of an EC2 account attribute. */
interface Ec2Reading {
  /** The value as EC2 reports it (hyphens: block-all-sharing). */
  value: string;
  holder: Ec2Holder;
  /** What else the reading says that matters to the verdict (IMDSv1 enforcement, exclusions). */
  note?: string;
}

/**
 * An EC2 account attribute the EC2 declarative policy can hold, judged in each region: the call that
 * reads it (its `ManagedBy` says whether the declarative policy holds it), the values that comply,
 * and what a compliant setting leaves to detective checks.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
 */
export interface Ec2Guardrail {
  control: ControlId;
  /** The IAM action of the read, named when a region refuses it. */
  action: string;
  read: (ec2: EC2Client) => Promise<Ec2Reading>;
  compliant: (value: string) => boolean;
  /** Said of a compliant row, with the mechanisms that hold it; undefined when nothing is left. */
  credit?: (holders: string) => string;
}

// EC2's client is loaded on first need, as the report's other EC2 calls are (evaluate-account.ts).
export const EC2_GUARDRAILS: readonly Ec2Guardrail[] = [
  {
    control: "imdsv2-default",
    action: "ec2:GetInstanceMetadataDefaults",
    read: async (ec2) => {
      const { GetInstanceMetadataDefaultsCommand } = await import("@aws-sdk/client-ec2");
      const level = (await ec2.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {};
      return {
        value: level.HttpTokens ? `HttpTokens ${level.HttpTokens}` : "no HttpTokens default",
        holder: ec2Holder(level.ManagedBy),
        ...(level.HttpTokensEnforced === "enabled"
          ? { note: "launches that ask for IMDSv1 are refused (HttpTokensEnforced enabled)" }
          : {}),
      };
    },
    compliant: (value) => value === "HttpTokens required",
    // "This configuration sets defaults only and does not enforce IMDS version settings."
    credit: (holders) =>
      `a default for new instances only: instances launched before it, or launched asking for IMDSv1, still fail ec2-imdsv2-check (EC2.8): mitigated by ${holders}, not prevented`,
  },
  {
    control: "ebs-snapshot-block-public-access",
    action: "ec2:GetSnapshotBlockPublicAccessState",
    read: async (ec2) => {
      const { GetSnapshotBlockPublicAccessStateCommand } = await import("@aws-sdk/client-ec2");
      const out = await ec2.send(new GetSnapshotBlockPublicAccessStateCommand({}));
      return { value: out.State ?? "unblocked", holder: ec2Holder(out.ManagedBy) };
    },
    // EBS_SNAPSHOT_BLOCK_PUBLIC_ACCESS: NON_COMPLIANT unless all public sharing is blocked.
    compliant: (value) => value === "block-all-sharing",
    // "the attributes for these snapshots still indicate that they are publicly shared"
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableSnapshotBlockPublicAccess.html
    credit: (holders) =>
      `snapshots shared publicly before still show as public to ebs-snapshot-public-restorable-check (EC2.1) though no one outside the account can use them: mitigated by ${holders}`,
  },
  {
    control: "ami-block-public-access",
    action: "ec2:GetImageBlockPublicAccessState",
    read: async (ec2) => {
      const { GetImageBlockPublicAccessStateCommand } = await import("@aws-sdk/client-ec2");
      const out = await ec2.send(new GetImageBlockPublicAccessStateCommand({}));
      return { value: out.ImageBlockPublicAccessState ?? "unblocked", holder: ec2Holder(out.ManagedBy) };
    },
    compliant: (value) => value === "block-new-sharing",
    credit: (holders) =>
      `AMIs shared publicly before stay public until they are unshared: new public sharing is blocked by ${holders}`,
  },
  {
    control: "serial-console-disabled",
    action: "ec2:GetSerialConsoleAccessStatus",
    read: async (ec2) => {
      const { GetSerialConsoleAccessStatusCommand } = await import("@aws-sdk/client-ec2");
      const out = await ec2.send(new GetSerialConsoleAccessStatusCommand({}));
      return {
        value: out.SerialConsoleAccessEnabled ? "serial console enabled" : "serial console disabled",
        holder: ec2Holder(out.ManagedBy),
      };
    },
    compliant: (value) => value === "serial console disabled",
  },
  {
    control: "vpc-block-public-access",
    action: "ec2:DescribeVpcBlockPublicAccessOptions",
    read: async (ec2) => {
      const { DescribeVpcBlockPublicAccessOptionsCommand } = await import("@aws-sdk/client-ec2");
      const options =
        (await ec2.send(new DescribeVpcBlockPublicAccessOptionsCommand({}))).VpcBlockPublicAccessOptions ??
        {};
      const mode = options.InternetGatewayBlockMode ?? "off";
      const notes = [
        mode !== "off" && options.ExclusionsAllowed === "allowed"
          ? "the account may exclude VPCs and subnets"
          : "",
        options.State === "update-in-progress" ? "a change is still being applied" : "",
      ].filter(Boolean);
      return {
        value: `InternetGatewayBlockMode ${mode}`,
        holder: ec2Holder(options.ManagedBy),
        ...(notes.length ? { note: notes.join(", ") } : {}),
      };
    },
    // EC2.172 passes with block-bidirectional or block-ingress.
    compliant: (value) =>
      value === "InternetGatewayBlockMode block-ingress" ||
      value === "InternetGatewayBlockMode block-bidirectional",
    credit: () =>
      "VPCs and subnets the account excludes (where exclusions are allowed) still reach the internet",
  },
];

/** One region's verdict on a guardrail: the value, who holds it, and whether it complies. */
export async function ec2GuardrailIn(guardrail: Ec2Guardrail, ec2: EC2Client): Promise<GuardrailVerdict> {
  const reading = await guardrail.read(ec2);
  const held =
    reading.holder === "declarative-policy"
      ? `enforced by ${holderName(reading.holder)}`
      : holderName(reading.holder);
  return {
    status: guardrail.compliant(reading.value) ? "COMPLIANT" : "NON_COMPLIANT",
    reason: `${reading.value}, ${held}${reading.note ? ` (${reading.note})` : ""}`,
    holder: reading.holder,
  };
}
