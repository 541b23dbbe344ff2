import { OrgwardenError } from "@orgwarden/core";
import { asList, type PolicyDocument, statementsOf } from "./policy-document.js";
import { matchesPattern } from "./policy-pattern.js";
import { skipReason } from "./skip-reason.js";

/**
 * Exempt principals are matched against `aws:PrincipalArn`, which for a role session is the ARN of
 * the *role* (with its path), never the `sts ... assumed-role/...` ARN of the session; Identity
 * Center roles live under `role/aws-reserved/sso.amazonaws.com/` (and a region below it).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
const IAM_PRINCIPAL =
  /^arn:(aws|aws-cn|aws-us-gov|\*):iam::(\d{12}|(?=[\d*?]*[*?])[\d*?]{1,12}):(root|role\/[\w+=,.@/*?-]+|user\/[\w+=,.@/*?-]+)$/;
const STS_SESSION = /^arn:[\w*-]+:sts::(\*|\d{12}):assumed-role\/([\w+=,.@*?-]+)(\/.*)?$/;
const SSO_ROLE_NAME = /(^|\/)\*?AWSReservedSSO_/;
const SSO_PATH = "aws-reserved/sso.amazonaws.com/";

/** Refuses an exempt principal that `aws:PrincipalArn` can never equal, saying what to write instead. */
export function checkExemptPrincipal(arn: string): void {
  const sts = STS_SESSION.exec(arn);
  if (sts) {
    const [, account, role] = sts;
    const sso = role?.startsWith("AWSReservedSSO_");
    throw new OrgwardenError(
      "INVALID_INPUT",
      `exempt principal "${arn}" is a role session (sts assumed-role) ARN: aws:PrincipalArn of a role session is the role's ARN, so this exemption would never match`,
      {
        hint: sso
          ? `Write the Identity Center role pattern instead: arn:aws:iam::${account}:role/${SSO_PATH}*AWSReservedSSO_${ssoPermissionSet(role ?? "")}_*`
          : `Write the role's ARN instead: arn:aws:iam::${account}:role/${role} (with the role's path if it has one, e.g. role/path/${role}, or role/*${role} for any path).`,
        details: { exemptPrincipal: arn },
      },
    );
  }
  if (!IAM_PRINCIPAL.test(arn)) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `exempt principal "${arn}" is not an IAM role, user or root ARN pattern`,
      {
        hint: "Use e.g. arn:aws:iam::*:role/BreakGlass, arn:aws:iam::*:user/break-glass/*, or for an Identity Center permission set arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_<PermissionSetName>_*.",
        details: { exemptPrincipal: arn },
      },
    );
  }
  const resource = arn.split(":").slice(5).join(":");
  if (SSO_ROLE_NAME.test(resource) && !resource.includes(SSO_PATH) && !resource.startsWith("role/*")) {
    const name = ssoPermissionSet(resource.replace(/^role\/(.*\/)?\*?/, ""));
    throw new OrgwardenError(
      "INVALID_INPUT",
      `exempt principal "${arn}" names an Identity Center role without its path ${SSO_PATH}: it would match no role`,
      {
        hint: `Write arn:aws:iam::*:role/${SSO_PATH}*AWSReservedSSO_${name}_* (the * before the name also covers the regional path below sso.amazonaws.com/).`,
        details: { exemptPrincipal: arn },
      },
    );
  }
}

function ssoPermissionSet(roleName: string): string {
  return /AWSReservedSSO_(.+?)_[0-9a-f*]*$/.exec(roleName)?.[1] ?? roleName.replace(/^AWSReservedSSO_/, "");
}

/**
 * One concrete ARN an exempt pattern stands for, in the given account: what the lockout guard
 * probes when no real principal matching the pattern was found. A `*` that would leave a segment
 * empty becomes `example`, a trailing `_*` a 16-digit hex suffix (as Identity Center roles have),
 * any other `*` matches the empty string, `?` becomes `x`.
 */
export function examplePrincipalArn(pattern: string, account: string): string {
  const parts = pattern.split(":");
  if (parts[1] === "*") parts[1] = "aws";
  if (parts[4] === "*" || /[*?]/.test(parts[4] ?? "")) parts[4] = account;
  const resource = parts
    .slice(5)
    .join(":")
    .replace(/(^|\/)\*(?=\/|$)/g, "$1example")
    // Identity Center role names end in a random suffix: AWSReservedSSO_<PermissionSet>_<16 hex>.
    .replace(/_\*$/, "_0123456789abcdef")
    .replace(/\*/g, "")
    .replace(/\?/g, "x");
  return [...parts.slice(0, 5), resource].join(":");
}

/** Lists the role and user ARNs of one account; rejects when the operator may not. */
export type ListPrincipals = (accountId: string) => Promise<string[]>;

export interface ExemptExamples {
  /** Pattern → a real principal ARN that matches it, where one was found. */
  examples: Map<string, string>;
  notes: string[];
}

/**
 * Looks for real principals behind each exempt pattern in the given accounts (the management account
 * and a sample of member accounts): a pattern that matches nothing is most likely a typo, and an
 * exemption that exempts nobody locks the break-glass path out just as surely as no exemption.
 */
export async function findExemptExamples(
  patterns: readonly string[],
  accounts: ReadonlyArray<{ id: string; label: string }>,
  listPrincipals: ListPrincipals,
): Promise<ExemptExamples> {
  const examples = new Map<string, string>();
  const notes: string[] = [];
  const listed: Array<{ label: string; arns: string[] }> = [];
  for (const account of accounts) {
    try {
      listed.push({ label: account.label, arns: await listPrincipals(account.id) });
    } catch (err) {
      notes.push(
        `could not list the roles and users of ${account.label} (${skipReason(err, "iam:ListRoles and iam:ListUsers")}): exempt principals were not checked there`,
      );
    }
  }
  if (listed.length === 0) return { examples, notes };
  const arns = listed.flatMap((l) => l.arns);
  for (const pattern of patterns) {
    if (/:root$/.test(pattern)) continue;
    const hit = arns.find((arn) => matchesPattern(pattern, "arn", arn, undefined));
    const near = hit ? undefined : nearMiss(pattern, arns);
    if (hit) examples.set(pattern, hit);
    else if (near) {
      // IAM names are unique whatever their case, but ArnNotLike compares case-sensitively.
      notes.push(
        `warning: exempt principal ${pattern} matches ${near} only when case is ignored: aws:PrincipalArn is compared case-sensitively, so this exemption exempts nobody; write the name as IAM has it`,
      );
    } else {
      notes.push(
        `warning: exempt principal ${pattern} matches no role or user in ${listed.map((l) => l.label).join(", ")}: check the name and path (aws:PrincipalArn is the role ARN with its path)`,
      );
    }
  }
  return { examples, notes };
}

/** A principal that matches the pattern only when case is ignored. */
function nearMiss(pattern: string, arns: readonly string[]): string | undefined {
  const lower = pattern.toLowerCase();
  return arns.find((arn) => matchesPattern(lower, "arn", arn.toLowerCase(), undefined));
}

/**
 * The ARN IAM gives orgwarden's role among an account's principals, found by name whatever its
 * case or path: IAM role names are not distinguished by case, so `--role-name orgwardenrole` names
 * a role created as OrgwardenRole, whose sessions carry aws:PrincipalArn …:role/OrgwardenRole.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName: "not distinguished by case")
 */
export function findRoleArn(roleName: string, arns: readonly string[]): string | undefined {
  const lower = roleName.toLowerCase();
  return arns.find((arn) => /:role\//.test(arn) && arn.split("/").at(-1)?.toLowerCase() === lower);
}

/** Principals a document exempts: the values of ArnNotLike/ArnNotEquals on aws:PrincipalArn. */
export function exemptionsOf(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const st of statementsOf(doc)) {
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      if (!/^ArnNot(Like|Equals)/.test(op)) continue;
      for (const [key, values] of Object.entries(block)) {
        if (key.toLowerCase() === "aws:principalarn")
          for (const v of asList(values as string | string[])) out.add(String(v));
      }
    }
  }
  return [...out];
}
