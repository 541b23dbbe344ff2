import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import type { ConfigRule } from "@aws-sdk/client-config-service";
import { GetDetectorCommand, type GuardDutyClient, paginateListDetectors } from "@aws-sdk/client-guardduty";
import {
  GetAccountPasswordPolicyCommand,
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  type IAMClient,
  paginateListAttachedUserPolicies,
  paginateListEntitiesForPolicy,
  paginateListMFADevices,
  paginateListUserPolicies,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import { collectPages, isAwsError } from "@orgwarden/core";
import type { RootCredentialState } from "../root-access-standin.js";

/**
 * What AWS Config's managed rules would say about an account now, judged from what the emulator
 * holds: IAM, CloudTrail and GuardDuty in moto, the root user's credentials in the root-access
 * stand-in. One evaluator per managed rule of orgwarden's catalogue, each following the rule's page
 * in the AWS Config developer guide (its resource type, and NOT_APPLICABLE where the page says so):
 * https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html
 * A rule without an evaluator here has no results, as a rule AWS has not evaluated yet.
 */
export type Compliance = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

export interface Evaluation {
  resourceType: string;
  resourceId: string;
  compliance: Compliance;
  annotation?: string;
}

/** One account in one region, as the rule's evaluation sees it. */
export interface EvaluatedAccount {
  accountId: string;
  region: string;
  iam: IAMClient;
  cloudtrail: CloudTrailClient;
  guardduty: GuardDutyClient;
  /** The root user's credentials; undefined when it has none. */
  root: RootCredentialState | undefined;
}

type Evaluator = (a: EvaluatedAccount, parameters: Record<string, string>) => Promise<Evaluation[]>;

export async function evaluateManagedRule(
  rule: ConfigRule,
  account: EvaluatedAccount,
): Promise<Evaluation[]> {
  const evaluate = rule.Source?.Owner === "AWS" ? EVALUATORS[rule.Source.SourceIdentifier ?? ""] : undefined;
  if (!evaluate) return [];
  return evaluate(account, JSON.parse(rule.InputParameters || "{}") as Record<string, string>);
}

const onAccount = (a: EvaluatedAccount, compliance: Compliance, annotation?: string): Evaluation[] => [
  {
    resourceType: "AWS::::Account",
    resourceId: a.accountId,
    compliance,
    ...(annotation ? { annotation } : {}),
  },
];

/** Root user credentials are present: a password, an access key or a signing certificate. */
function rootPresent(root: RootCredentialState | undefined): root is RootCredentialState {
  return (
    !!root && (root.password !== null || root.accessKeys.length > 0 || root.signingCertificates.length > 0)
  );
}

const NO_ROOT_CREDENTIALS = "Root user credentials are not present.";

const EVALUATORS: Record<string, Evaluator> = {
  ROOT_ACCOUNT_MFA_ENABLED: async (a) => {
    if (!rootPresent(a.root)) return onAccount(a, "NOT_APPLICABLE", NO_ROOT_CREDENTIALS);
    return a.root.mfaDevices.some((d) => d.active)
      ? onAccount(a, "COMPLIANT")
      : onAccount(a, "NON_COMPLIANT", "The root user does not have MFA enabled.");
  },

  ROOT_ACCOUNT_HARDWARE_MFA_ENABLED: async (a) => {
    if (!rootPresent(a.root)) return onAccount(a, "NOT_APPLICABLE", NO_ROOT_CREDENTIALS);
    const active = a.root.mfaDevices.filter((d) => d.active);
    // A virtual device's serial number is its ARN, arn:aws:iam::<account>:mfa/<name>.
    if (active.some((d) => d.serial.includes(":mfa/")))
      return onAccount(a, "NON_COMPLIANT", "A virtual MFA device is permitted for the root user.");
    return active.length > 0
      ? onAccount(a, "COMPLIANT")
      : onAccount(a, "NON_COMPLIANT", "The root user does not have a hardware MFA device.");
  },

  IAM_ROOT_ACCESS_KEY_CHECK: async (a) =>
    a.root?.accessKeys.length
      ? onAccount(a, "NON_COMPLIANT", "The root user has an access key.")
      : onAccount(a, "COMPLIANT"),

  IAM_POLICY_IN_USE: async (a, p) => {
    const arn = p.policyARN ?? "";
    let policyId: string;
    try {
      policyId = (await a.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.PolicyId ?? arn;
    } catch (err) {
      if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException"))
        return onAccount(a, "NON_COMPLIANT", `The policy ${arn} does not exist.`);
      throw err;
    }
    const pages = await collectPages(
      paginateListEntitiesForPolicy({ client: a.iam }, { PolicyArn: arn }),
      (page) => [page],
    );
    const groups = pages.flatMap((page) => page.PolicyGroups ?? []);
    const withUsers = await Promise.all(
      groups.map(
        async (g) =>
          ((await a.iam.send(new GetGroupCommand({ GroupName: g.GroupName, MaxItems: 1 }))).Users ?? [])
            .length > 0,
      ),
    );
    const used: Record<string, boolean> = {
      IAM_USER: pages.some((page) => (page.PolicyUsers ?? []).length > 0),
      IAM_GROUP: withUsers.some(Boolean),
      IAM_ROLE: pages.some((page) => (page.PolicyRoles ?? []).length > 0),
    };
    const usage = p.policyUsageType ?? "ANY";
    const inUse = usage === "ANY" ? Object.values(used).some(Boolean) : (used[usage] ?? false);
    return [
      {
        resourceType: "AWS::IAM::Policy",
        resourceId: policyId,
        compliance: inUse ? "COMPLIANT" : "NON_COMPLIANT",
        ...(inUse
          ? {}
          : { annotation: "The policy is not attached to a user, a group with users, or a role." }),
      },
    ];
  },

  IAM_USER_NO_POLICIES_CHECK: async (a) => {
    const users = await collectPages(paginateListUsers({ client: a.iam }, {}), (page) => page.Users);
    return Promise.all(
      users.map(async (u): Promise<Evaluation> => {
        const attached = await collectPages(
          paginateListAttachedUserPolicies({ client: a.iam }, { UserName: u.UserName }),
          (page) => page.AttachedPolicies,
        );
        const inline = await collectPages(
          paginateListUserPolicies({ client: a.iam }, { UserName: u.UserName }),
          (page) => page.PolicyNames,
        );
        const bad = attached.length + inline.length > 0;
        return {
          resourceType: "AWS::IAM::User",
          resourceId: u.UserId ?? u.UserName ?? "",
          compliance: bad ? "NON_COMPLIANT" : "COMPLIANT",
          ...(bad
            ? {
                annotation: `User ${u.UserName} has ${attached.length} attached and ${inline.length} inline policies.`,
              }
            : {}),
        };
      }),
    );
  },

  MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS: async (a) => {
    const users = await collectPages(paginateListUsers({ client: a.iam }, {}), (page) => page.Users);
    return Promise.all(
      users.map(async (u): Promise<Evaluation> => {
        const user = { resourceType: "AWS::IAM::User", resourceId: u.UserId ?? u.UserName ?? "" };
        try {
          await a.iam.send(new GetLoginProfileCommand({ UserName: u.UserName }));
        } catch (err) {
          if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException"))
            return { ...user, compliance: "NOT_APPLICABLE", annotation: "The user has no console password." };
          throw err;
        }
        const devices = await collectPages(
          paginateListMFADevices({ client: a.iam }, { UserName: u.UserName }),
          (page) => page.MFADevices,
        );
        return devices.length > 0
          ? { ...user, compliance: "COMPLIANT" }
          : {
              ...user,
              compliance: "NON_COMPLIANT",
              annotation: `User ${u.UserName} has a console password and no MFA.`,
            };
      }),
    );
  },

  IAM_PASSWORD_POLICY: async (a, p) => {
    let policy: Record<string, unknown>;
    try {
      policy = { ...(await a.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy };
    } catch (err) {
      if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException"))
        return onAccount(a, "NON_COMPLIANT", "The account has no password policy.");
      throw err;
    }
    const problems: string[] = [];
    for (const [name, wanted] of Object.entries(p)) {
      const have = policy[name];
      if (wanted === "true" && have !== true) problems.push(`${name} is not required`);
      if (name === "MinimumPasswordLength" || name === "PasswordReusePrevention") {
        if (typeof have !== "number" || have < Number(wanted))
          problems.push(`${name} ${have ?? "unset"} < ${wanted}`);
      }
      if (name === "MaxPasswordAge" && (typeof have !== "number" || have > Number(wanted)))
        problems.push(`${name} ${have ?? "unset"} > ${wanted}`);
    }
    return problems.length ? onAccount(a, "NON_COMPLIANT", problems.join("; ")) : onAccount(a, "COMPLIANT");
  },

  MULTI_REGION_CLOUD_TRAIL_ENABLED: async (a) => {
    const trails = (await a.cloudtrail.send(new DescribeTrailsCommand({}))).trailList ?? [];
    for (const t of trails.filter((x) => x.IsMultiRegionTrail)) {
      const status = await a.cloudtrail.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
      if (status.IsLogging) return onAccount(a, "COMPLIANT");
    }
    return onAccount(a, "NON_COMPLIANT", "No multi-region trail is logging.");
  },

  GUARDDUTY_ENABLED_CENTRALIZED: async (a, p) => {
    const ids = await collectPages(
      paginateListDetectors({ client: a.guardduty }, {}),
      (page) => page.DetectorIds,
    );
    for (const id of ids) {
      const detector = await a.guardduty.send(new GetDetectorCommand({ DetectorId: id }));
      if (detector.Status === "ENABLED") return onAccount(a, "COMPLIANT");
    }
    return onAccount(
      a,
      "NON_COMPLIANT",
      `GuardDuty is not enabled in ${a.region}${p.CentralMonitoringAccount ? ` (central account ${p.CentralMonitoringAccount})` : ""}.`,
    );
  },
};
