import {
  type AwsSecurityFinding,
  EnableSecurityHubCommand,
  paginateGetFindings,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { memberCredentials } from "@orgwarden/emulator";

/** A Security Hub client inside an account (as its administrator), for seeding and for assertions. */
export async function accountSecurityHub(endpoint: string, accountId: string, region = "us-east-1") {
  return new SecurityHubClient({
    endpoint,
    region,
    credentials: await memberCredentials(endpoint, accountId),
  });
}

export async function enableSecurityHub(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
): Promise<void> {
  const hub = await accountSecurityHub(endpoint, accountId, region);
  await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  hub.destroy();
}

/** Every finding the account's Security Hub holds in the region (moto ignores GetFindings filters). */
export async function findingsIn(
  endpoint: string,
  accountId: string,
  region = "us-east-1",
): Promise<AwsSecurityFinding[]> {
  const hub = await accountSecurityHub(endpoint, accountId, region);
  const out: AwsSecurityFinding[] = [];
  for await (const page of paginateGetFindings({ client: hub }, { MaxResults: 100 }))
    out.push(...(page.Findings ?? []));
  hub.destroy();
  return out;
}
