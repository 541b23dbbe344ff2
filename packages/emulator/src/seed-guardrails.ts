import {
  DisableImageBlockPublicAccessCommand,
  DisableSerialConsoleAccessCommand,
  DisableSnapshotBlockPublicAccessCommand,
  EC2Client,
  EnableImageBlockPublicAccessCommand,
  EnableSerialConsoleAccessCommand,
  EnableSnapshotBlockPublicAccessCommand,
  ModifyInstanceMetadataDefaultsCommand,
  ModifyVpcBlockPublicAccessOptionsCommand,
} from "@aws-sdk/client-ec2";
import { PutPublicAccessBlockCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { memberCredentials } from "./seed-organization.js";

/**
 * An account's own settings of what the guardrails source reads, set as its administrator would,
 * through the SDK (ec2-attributes-standin.ts and moto's S3 Control keep them).
 */
export interface AccountGuardrailSettings {
  /** S3 Block Public Access at the account level: the four settings on (true) or off. */
  s3BlockPublicAccess?: boolean;
  imdsHttpTokens?: "required" | "optional";
  snapshotBlockPublicAccess?: "block-all-sharing" | "block-new-sharing" | "unblocked";
  imageBlockPublicAccess?: "block-new-sharing" | "unblocked";
  serialConsole?: "enabled" | "disabled";
  vpcBlockPublicAccess?: "off" | "block-ingress" | "block-bidirectional";
}

/**
 * Sets an account's own guardrail settings in `region` (S3's is global). A setting an organization
 * policy holds is refused as AWS refuses it (S3's with AccessDenied).
 */
export async function setAccountGuardrails(
  endpoint: string,
  accountId: string,
  settings: AccountGuardrailSettings,
  region = "us-east-1",
): Promise<void> {
  const credentials = await memberCredentials(endpoint, accountId);
  if (settings.s3BlockPublicAccess !== undefined) {
    const on = settings.s3BlockPublicAccess;
    // S3 Control puts the account id in front of the host; the emulator's address takes none.
    const s3control = new S3ControlClient({
      endpoint,
      region,
      credentials,
      endpointProvider: () => ({ url: new URL(endpoint) }),
    });
    try {
      await s3control.send(
        new PutPublicAccessBlockCommand({
          AccountId: accountId,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: on,
            IgnorePublicAcls: on,
            BlockPublicPolicy: on,
            RestrictPublicBuckets: on,
          },
        }),
      );
    } finally {
      s3control.destroy();
    }
  }
  const ec2 = new EC2Client({ endpoint, region, credentials });
  try {
    if (settings.imdsHttpTokens)
      await ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: settings.imdsHttpTokens }));
    const snapshot = settings.snapshotBlockPublicAccess;
    if (snapshot === "unblocked") await ec2.send(new DisableSnapshotBlockPublicAccessCommand({}));
    else if (snapshot) await ec2.send(new EnableSnapshotBlockPublicAccessCommand({ State: snapshot }));
    const image = settings.imageBlockPublicAccess;
    if (image === "unblocked") await ec2.send(new DisableImageBlockPublicAccessCommand({}));
    else if (image)
      await ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: image }));
    if (settings.serialConsole === "enabled") await ec2.send(new EnableSerialConsoleAccessCommand({}));
    if (settings.serialConsole === "disabled") await ec2.send(new DisableSerialConsoleAccessCommand({}));
    if (settings.vpcBlockPublicAccess)
      await ec2.send(
        new ModifyVpcBlockPublicAccessOptionsCommand({
          InternetGatewayBlockMode: settings.vpcBlockPublicAccess,
        }),
      );
  } finally {
    ec2.destroy();
  }
}
