import { MANAGEMENT_ACCOUNT_ID } from "./emulator-credentials.js";

/** The organization moto holds, as DescribeOrganization answers it. */
export interface EmulatorOrganization {
  Id: string;
  MasterAccountId: string;
  FeatureSet: string;
}

/**
 * Who a request comes from, for the stand-ins: asked of moto as the caller (moto reads the access
 * key, not the signature) and remembered per access key, the keys of AssumeRole included.
 */
export interface CallerIdentity {
  /** The caller's account id. */
  account(accessKey: string): Promise<string>;
  /** An access key AssumeRole handed out, and the account it is for. */
  remember(accessKey: string, accountId: string): void;
  /** The caller's organization, or undefined when it is in none. */
  organization(accessKey: string): Promise<EmulatorOrganization | undefined>;
  /** An account's status in the caller's organization (DescribeAccount), or undefined when it is not in it. */
  accountStatus(accessKey: string, accountId: string): Promise<string | undefined>;
  /** Forgets every key (POST /moto-api/reset). */
  forget(): void;
}

export function callerIdentity(upstream: URL): CallerIdentity {
  const keyAccounts = new Map<string, string>();
  const askMoto = async (
    service: "sts" | "organizations",
    accessKey: string,
    body: string,
    amzTarget?: string,
  ): Promise<{ status: number; text: string }> => {
    const headers: Record<string, string> = {
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      "content-type": amzTarget ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded",
    };
    if (amzTarget) headers["x-amz-target"] = amzTarget;
    const res = await fetch(`${upstream.origin}/`, { method: "POST", headers, body });
    return { status: res.status, text: await res.text() };
  };
  return {
    account: async (accessKey) => {
      const known = keyAccounts.get(accessKey);
      if (known) return known;
      const res = await askMoto("sts", accessKey, "Action=GetCallerIdentity&Version=2011-06-15");
      const account = /<Account>(\d{12})<\/Account>/.exec(res.text)?.[1] ?? MANAGEMENT_ACCOUNT_ID;
      keyAccounts.set(accessKey, account);
      return account;
    },
    remember: (accessKey, accountId) => {
      keyAccounts.set(accessKey, accountId);
    },
    organization: async (accessKey) => {
      const res = await askMoto(
        "organizations",
        accessKey,
        "{}",
        "AWSOrganizationsV20161128.DescribeOrganization",
      );
      if (res.status !== 200) return undefined;
      return (JSON.parse(res.text) as { Organization: EmulatorOrganization }).Organization;
    },
    accountStatus: async (accessKey, accountId) => {
      const res = await askMoto(
        "organizations",
        accessKey,
        JSON.stringify({ AccountId: accountId }),
        "AWSOrganizationsV20161128.DescribeAccount",
      );
      if (res.status !== 200) return undefined;
      return (JSON.parse(res.text) as { Account: { Status: string } }).Account.Status;
    },
    forget: () => keyAccounts.clear(),
  };
}
