import { readFileSync } from "node:fs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type Inventory, OrgwardenError } from "@orgwarden/core";
import type { Operator } from "@orgwarden/scp";
import type { JobSession } from "./session.js";

/**
 * Who runs orgwarden, as a member account's resources see its calls: the account and principal of
 * the operator's credentials (aws:PrincipalArn of a role session is the role's ARN), whether that
 * account is in the organization (its calls then carry the organization's aws:PrincipalOrgID), and
 * the OIDC token it came through when the SDK assumed its role with one (AWS_WEB_IDENTITY_TOKEN_FILE
 * and AWS_ROLE_ARN, as CI runners do). The RCP guard probes all three.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export async function operatorIdentity(
  session: Pick<JobSession, "factory" | "operatorCredentials">,
  inventory: Inventory,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Operator> {
  const me = await session.factory.sts(session.operatorCredentials).send(new GetCallerIdentityCommand({}));
  if (!me.Account || !me.Arn) {
    throw new OrgwardenError("CREDENTIALS", "sts:GetCallerIdentity returned no account or ARN");
  }
  const webIdentity = webIdentityOf(env);
  return {
    accountId: me.Account,
    principalArn: principalArnOf(me.Arn),
    inOrganization: inventory.accounts.some((a) => a.id === me.Account),
    ...(webIdentity ? { webIdentity } : {}),
  };
}

/** arn:aws:sts::111122223333:assumed-role/Name/session → arn:aws:iam::111122223333:role/Name. */
export function principalArnOf(callerArn: string): string {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

/**
 * The provider and subject of the web identity token the SDK assumes AWS_ROLE_ARN with, read from
 * the token's claims (not verified: STS did that); undefined without one, or when it cannot be read.
 */
export function webIdentityOf(env: NodeJS.ProcessEnv): Operator["webIdentity"] {
  const file = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  const roleArn = env.AWS_ROLE_ARN;
  if (!file || !roleArn) return undefined;
  try {
    const payload = readFileSync(file, "utf8").trim().split(".")[1] ?? "";
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as {
      iss?: unknown;
      sub?: unknown;
    };
    if (typeof claims.iss !== "string" || typeof claims.sub !== "string") return undefined;
    return {
      provider: claims.iss.replace(/^https:\/\//, "").replace(/\/$/, ""),
      subject: claims.sub,
      roleArn,
    };
  } catch {
    return undefined;
  }
}
