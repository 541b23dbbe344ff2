import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import pLimit from "p-limit";
import { EMULATOR_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from "./emulator-credentials.js";

export interface SeededAccount {
  id: string;
  name: string;
  email: string;
  ouId: string;
  ouPath: string;
  state: "ACTIVE" | "SUSPENDED";
}

export interface SeededOrg {
  endpoint: string;
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  /** OU id by path, e.g. ouIds["Root/Workloads/Prod"]; the root is ouIds["Root"]. */
  ouIds: Record<string, string>;
  accounts: SeededAccount[];
}

/**
 * The organization to create: OU paths (parents before children, "Root" is the root) with how many
 * accounts go directly into each, and account names to suspend (CloseAccount) afterwards.
 */
export interface OrgLayout {
  ous: Record<string, number>;
  suspend?: string[];
  /**
   * The region the organization is created from (default us-east-1): moto takes the partition of
   * the organization's ARNs from it (us-gov-west-1: aws-us-gov, cn-north-1: aws-cn).
   */
  region?: string;
}

export function orgClient(
  endpoint: string,
  credentials = EMULATOR_CREDENTIALS,
  region = "us-east-1",
): OrganizationsClient {
  return new OrganizationsClient({ endpoint, region, credentials, maxAttempts: 5 });
}

/** Creates the organization through the SDK, as the management account 123456789012. */
export async function seedOrganization(endpoint: string, layout: OrgLayout): Promise<SeededOrg> {
  const org = orgClient(endpoint, EMULATOR_CREDENTIALS, layout.region);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? "";
  const ouIds: Record<string, string> = { Root: rootId };
  for (const path of Object.keys(layout.ous).sort((a, b) => a.split("/").length - b.split("/").length)) {
    if (path === "Root") continue;
    const parentPath = path.slice(0, path.lastIndexOf("/"));
    const parentId = ouIds[parentPath];
    if (!parentId) throw new Error(`layout: parent ${parentPath} of ${path} is missing`);
    const name = path.slice(path.lastIndexOf("/") + 1);
    const out = await org.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }));
    ouIds[path] = out.OrganizationalUnit?.Id ?? "";
  }
  const limit = pLimit(8);
  const accounts: SeededAccount[] = [];
  const jobs: Array<Promise<void>> = [];
  for (const [path, count] of Object.entries(layout.ous)) {
    const ouId = ouIds[path] ?? rootId;
    const slug = path.split("/").slice(1).join("-").toLowerCase() || "root";
    for (let i = 1; i <= count; i++) {
      const name = `${slug}-${String(i).padStart(2, "0")}`;
      const email = `${name}@example.com`;
      jobs.push(
        limit(async () => {
          const out = await org.send(new CreateAccountCommand({ AccountName: name, Email: email }));
          const id = out.CreateAccountStatus?.AccountId ?? "";
          if (ouId !== rootId) {
            await org.send(
              new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouId }),
            );
          }
          accounts.push({ id, name, email, ouId, ouPath: path, state: "ACTIVE" });
        }),
      );
    }
  }
  await Promise.all(jobs);
  for (const name of layout.suspend ?? []) {
    const account = accounts.find((a) => a.name === name);
    if (!account) throw new Error(`layout: no account named ${name} to suspend`);
    await org.send(new CloseAccountCommand({ AccountId: account.id }));
    account.state = "SUSPENDED";
  }
  org.destroy();
  accounts.sort((a, b) => a.ouPath.localeCompare(b.ouPath) || a.name.localeCompare(b.name));
  return {
    endpoint,
    organizationId: created.Organization?.Id ?? "",
    rootId,
    managementAccountId: MANAGEMENT_ACCOUNT_ID,
    ouIds,
    accounts,
  };
}

/** A layout of `total` accounts spread over OUs nested `depth` deep under two top-level branches. */
export function nestedLayout(total: number, depth = 3, suspend = 0): OrgLayout {
  const paths: string[] = [];
  for (const branch of ["Workloads", "Sandbox"]) {
    let p = `Root/${branch}`;
    paths.push(p);
    for (let d = 2; d <= depth; d++) {
      p = `${p}/L${d}`;
      paths.push(p);
    }
  }
  const ous: Record<string, number> = { Root: 0 };
  for (const p of paths) ous[p] = 0;
  for (let i = 0; i < total; i++) {
    const p = paths[i % paths.length] as string;
    ous[p] = (ous[p] ?? 0) + 1;
  }
  const suspendNames: string[] = [];
  const deepest = paths[paths.length - 1] as string;
  const slug = deepest.split("/").slice(1).join("-").toLowerCase();
  for (let i = 1; i <= suspend; i++) suspendNames.push(`${slug}-${String(i).padStart(2, "0")}`);
  return { ous, suspend: suspendNames };
}

/** Credentials inside a member account, as the seeding "administrator" (moto maps them to it). */
export async function memberCredentials(endpoint: string, accountId: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      RoleSessionName: "seed",
    }),
  );
  sts.destroy();
  const c = out.Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? "",
    secretAccessKey: c?.SecretAccessKey ?? "",
    sessionToken: c?.SessionToken ?? "",
  };
}
