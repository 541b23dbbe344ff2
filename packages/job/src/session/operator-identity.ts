import { readFileSync } from "node:fs";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { type Inventory, iamRegion, isAwsError, OrgwardenError } from "@orgwarden/core";
import { type Operator, skipReason, type WebIdentity } from "@orgwarden/scp";
import type { JobSession } from "./session.js";
import { webIdentitiesOfTrustPolicy } from "./trust-policy-web-identities.js";

/**
 * Who runs orgwarden, as a member account's resources see its calls: the account and principal of
 * the operator's credentials (aws:PrincipalArn of a role session is the role's ARN, with its path
 * when IAM gives it), the organization that account is in (its calls carry that aws:PrincipalOrgID),
 * and the OIDC identities it may have come through: the token the SDK assumed its role with
 * (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), and the OIDC providers its role's trust policy
 * trusts (iam:GetRole on its own role: CI runners that export the session's keys, as
 * aws-actions/configure-aws-credentials does, leave no token file). The RCP guard probes them all;
 * what could not be read is said in the plan.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export async function operatorIdentity(
  session: Pick<JobSession, "factory" | "operatorCredentials" | "options">,
  inventory: Inventory,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Operator> {
  const me = await session.factory.sts(session.operatorCredentials).send(new GetCallerIdentityCommand({}));
  if (!me.Account || !me.Arn) {
    throw new OrgwardenError("CREDENTIALS", "sts:GetCallerIdentity returned no account or ARN");
  }
  const unchecked: string[] = [];
  const inOrganization = inventory.accounts.some((a) => a.id === me.Account);
  const organizationId = inOrganization
    ? inventory.organizationId
    : await organizationOf(session, me.Account, unchecked);
  const token = webIdentityOf(env);
  const role = assumedRoleOf(me.Arn);
  const trusted = role ? await trustedWebIdentities(session, role, unchecked) : undefined;
  const webIdentities: WebIdentity[] = [
    ...(token ? [token] : []),
    ...(trusted?.identities ?? []).filter((w) => w.provider !== token?.provider),
  ];
  return {
    accountId: me.Account,
    principalArn: trusted?.roleArn ?? principalArnOf(me.Arn),
    inOrganization: inOrganization || organizationId === inventory.organizationId,
    ...(organizationId ? { organizationId } : {}),
    ...(webIdentities.length > 0 ? { webIdentities } : {}),
    ...(unchecked.length > 0 ? { unchecked } : {}),
  };
}

/** arn:aws:sts::111122223333:assumed-role/Name/session → arn:aws:iam::111122223333:role/Name. */
export function principalArnOf(callerArn: string): string {
  const role = assumedRoleOf(callerArn);
  return role ? `arn:${role.partition}:iam::${role.account}:role/${role.name}` : callerArn;
}

function assumedRoleOf(callerArn: string): { partition: string; account: string; name: string } | undefined {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  return m ? { partition: m[1] as string, account: m[2] as string, name: m[3] as string } : undefined;
}

/**
 * The organization of an account outside ours, with its own credentials (DescribeOrganization
 * answers for the caller's organization); undefined when it is in none, or could not be read.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
 */
async function organizationOf(
  session: Pick<JobSession, "factory" | "operatorCredentials">,
  account: string,
  unchecked: string[],
): Promise<string | undefined> {
  try {
    const out = await session.factory
      .organizations(session.operatorCredentials)
      .send(new DescribeOrganizationCommand({}));
    return out.Organization?.Id;
  } catch (err) {
    if (isAwsError(err, "AWSOrganizationsNotInUseException")) return undefined;
    unchecked.push(
      `the organization of the runner's account ${account} could not be read (${skipReason(err, "organizations:DescribeOrganization")}): its calls were judged as from no organization`,
    );
    return undefined;
  }
}

/**
 * The OIDC providers the operator's role trusts, read with iam:GetRole on the role itself, in its
 * own account; and the role's ARN as IAM has it (with its path).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 */
async function trustedWebIdentities(
  session: Pick<JobSession, "factory" | "operatorCredentials" | "options">,
  role: { account: string; name: string },
  unchecked: string[],
): Promise<{ roleArn: string | undefined; identities: WebIdentity[] } | undefined> {
  const iam = session.factory.create(IAMClient, {
    scope: "operator",
    credentials: session.operatorCredentials,
    region: iamRegion(session.options.region),
  });
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: role.name }));
    const roleArn = out.Role?.Arn;
    const document = out.Role?.AssumeRolePolicyDocument;
    return {
      roleArn,
      identities: document && roleArn ? webIdentitiesOfTrustPolicy(document, roleArn) : [],
    };
  } catch (err) {
    unchecked.push(
      `the trust policy of the runner's role ${role.name} in account ${role.account} could not be read (${skipReason(err, "iam:GetRole")}): the OIDC path the runner may have come through was not checked against trusted-oidc-providers`,
    );
    return undefined;
  }
}

/**
 * The provider and subject of the web identity token the SDK assumes AWS_ROLE_ARN with, read from
 * the token's claims (not verified: STS did that); undefined without one, or when it cannot be read.
 */
export function webIdentityOf(env: NodeJS.ProcessEnv): WebIdentity | undefined {
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
