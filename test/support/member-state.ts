import {
  ConfigServiceClient,
  PutConfigRuleCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { memberCredentials } from "./seed.js";

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

/** Turns on AWS Config recording in an account and region, as a landing zone would. */
export async function startRecorder(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
  recording = true,
): Promise<void> {
  const config = await memberConfig(endpoint, accountId, region);
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: "default",
        roleARN: `arn:aws:iam::${accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
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
