import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  ConfigServiceClient,
  PutConfigRuleCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { CreateDetectorCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { EnableAWSServiceAccessCommand } from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import { EMULATOR_CREDENTIALS } from "./emulator-credentials.js";
import type { RootCredentialSeed, RootCredentialState } from "./root-access-standin.js";
import { memberCredentials, orgClient } from "./seed-organization.js";

/** A Config client inside a member account (as its administrator), for seeding and for assertions. */
export async function memberConfig(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
): Promise<ConfigServiceClient> {
  return new ConfigServiceClient({
    endpoint,
    region,
    credentials: await memberCredentials(endpoint, accountId),
  });
}

/**
 * Turns on AWS Config recording in an account and region, as a landing zone would: with AWS Config's
 * service-linked role unless `roleARN` names another.
 */
export async function startRecorder(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
  recording = true,
  roleARN = `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
): Promise<void> {
  const config = await memberConfig(endpoint, accountId, region);
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: "default",
        roleARN,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }),
  );
  await config.send(
    new PutDeliveryChannelCommand({
      DeliveryChannel: { name: "default", s3BucketName: `config-${accountId}` },
    }),
  );
  if (recording)
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
  config.destroy();
}

/** A rule some other team owns, named like orgwarden's or not. */
export async function putForeignRule(
  endpoint: string,
  accountId: string,
  name: string,
  region = "us-east-1",
): Promise<void> {
  const config = await memberConfig(endpoint, accountId, region);
  await config.send(
    new PutConfigRuleCommand({
      ConfigRule: {
        ConfigRuleName: name,
        Source: { Owner: "AWS", SourceIdentifier: "IAM_ROOT_ACCESS_KEY_CHECK" },
        MaximumExecutionFrequency: "TwentyFour_Hours",
      },
    }),
  );
  config.destroy();
}

async function memberIam(endpoint: string, accountId: string): Promise<IAMClient> {
  return new IAMClient({
    endpoint,
    region: "us-east-1",
    credentials: await memberCredentials(endpoint, accountId),
  });
}

export async function setPasswordPolicy(
  endpoint: string,
  accountId: string,
  policy: {
    MinimumPasswordLength: number;
    RequireSymbols: boolean;
    RequireNumbers: boolean;
    RequireUppercaseCharacters: boolean;
    RequireLowercaseCharacters: boolean;
    PasswordReusePrevention?: number;
    MaxPasswordAge?: number;
  },
): Promise<void> {
  const iam = await memberIam(endpoint, accountId);
  await iam.send(new UpdateAccountPasswordPolicyCommand(policy));
  iam.destroy();
}

/** An IAM user with a console password, with or without a virtual MFA device. */
export async function createConsoleUser(
  endpoint: string,
  accountId: string,
  name: string,
  mfa: boolean,
): Promise<void> {
  const iam = await memberIam(endpoint, accountId);
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: "Correct-Horse-9!" }));
  if (mfa) {
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${name}-mfa` }));
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: name,
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: "123456",
        AuthenticationCode2: "654321",
      }),
    );
  }
  iam.destroy();
}

/** The MFA policy, optionally attached to a group holding `member`. */
export async function createMfaPolicy(
  endpoint: string,
  accountId: string,
  attachToGroupWith?: string,
): Promise<void> {
  const iam = await memberIam(endpoint, accountId);
  const out = await iam.send(
    new CreatePolicyCommand({
      PolicyName: DEFAULT_MFA_POLICY_NAME,
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            NotAction: "iam:*",
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
          },
        ],
      }),
    }),
  );
  if (attachToGroupWith) {
    await iam.send(new CreateGroupCommand({ GroupName: "humans" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: "humans", UserName: attachToGroupWith }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: "humans", PolicyArn: out.Policy?.Arn }));
  }
  iam.destroy();
}

export async function createTrail(
  endpoint: string,
  accountId: string,
  multiRegion: boolean,
  logging: boolean,
): Promise<void> {
  const credentials = await memberCredentials(endpoint, accountId);
  const s3 = new S3Client({ endpoint, region: "us-east-1", credentials, forcePathStyle: true });
  const bucket = `trail-${accountId}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const ct = new CloudTrailClient({ endpoint, region: "us-east-1", credentials });
  await ct.send(
    new CreateTrailCommand({ Name: "org-trail", S3BucketName: bucket, IsMultiRegionTrail: multiRegion }),
  );
  if (logging) await ct.send(new StartLoggingCommand({ Name: "org-trail" }));
  s3.destroy();
  ct.destroy();
}

export async function createDetector(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
): Promise<void> {
  const gd = new GuardDutyClient({
    endpoint,
    region,
    credentials: await memberCredentials(endpoint, accountId),
  });
  await gd.send(new CreateDetectorCommand({ Enable: true }));
  gd.destroy();
}

/**
 * Gives a member account's root user credentials (or an AssumeRoot denial) in the root-access
 * stand-in that `startMoto` puts in front of moto; returns the state it now holds.
 */
export async function seedRootCredentials(
  endpoint: string,
  accountId: string,
  seed: RootCredentialSeed,
): Promise<RootCredentialState> {
  const res = await fetch(`${endpoint}/orgwarden-standin/root-credentials/${accountId}`, {
    method: "PUT",
    body: JSON.stringify(seed),
  });
  if (!res.ok) throw new Error(`seeding root credentials of ${accountId} failed: ${res.status}`);
  return (await res.json()) as RootCredentialState;
}

/** What the stand-in holds for a member account's root user (for assertions). */
export async function rootCredentialState(endpoint: string, accountId: string): Promise<RootCredentialState> {
  const res = await fetch(`${endpoint}/orgwarden-standin/root-credentials/${accountId}`);
  return (await res.json()) as RootCredentialState;
}

/**
 * Makes the stand-in `startMoto` puts in front of moto answer AWS Config's compliance reads from the
 * emulator's state (moto stores Config rules but evaluates none); `false` turns it off again.
 */
export async function evaluateConfigRules(endpoint: string, enabled = true): Promise<void> {
  const res = await fetch(`${endpoint}/orgwarden-standin/config-evaluation`, {
    method: "PUT",
    body: JSON.stringify({ enabled }),
  });
  if (!res.ok) throw new Error(`turning Config evaluation ${enabled ? "on" : "off"} failed: ${res.status}`);
}

/**
 * Turns on centralized root access as the management account would (trusted access for IAM, then
 * both features), against the stand-in `startMoto` puts in front of moto.
 */
export async function enableCentralizedRootAccess(endpoint: string): Promise<void> {
  const organizations = orgClient(endpoint);
  const iam = new IAMClient({ endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS });
  await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "iam.amazonaws.com" }));
  await iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
  await iam.send(new EnableOrganizationsRootSessionsCommand({}));
  organizations.destroy();
  iam.destroy();
}
