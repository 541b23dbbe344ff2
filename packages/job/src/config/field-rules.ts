import { isIPv4, isIPv6 } from "node:net";
import {
  IAM_POLICY_NAME,
  IAM_ROLE_NAME_WILDCARD,
  IAM_TAG_KEY,
  type OrgwardenError,
  REGION_NAME,
  VPC_ID,
} from "@orgwarden/core";
import { checkExemptPrincipal } from "@orgwarden/scp";
import { z } from "zod";

/**
 * Each field's rule, written once: orgwarden.yaml's schema and the flags' parsing both use these.
 * Role names and external ids follow sts:AssumeRole's patterns; a principal ARN must be one that
 * aws:PrincipalArn can equal (checkExemptPrincipal).
 */
export const ouId = z
  .string()
  .regex(
    /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/,
    "must be an OU id (ou-xxxx-xxxxxxxx), root id (r-xxxx) or account id",
  );
/**
 * An OU, root or account named the way every `--ou` takes it (core's requireTarget): an id, or a
 * path of names from the root (`Root/Workloads/Prod`, an account as `Root/Workloads/Prod/payments`;
 * names match exactly, else case-insensitively when only one does). The names are checked against the
 * organization when the job plans, before any change; here only the form. The root of an
 * organization is always named Root, so a path starts there.
 */
export const ouRef = z
  .string()
  .refine(
    isOuRef,
    "must be an OU id (ou-xxxx-xxxxxxxx), root id (r-xxxx), account id, or a path from the root like Root/Workloads",
  );

export function isOuRef(value: string): boolean {
  if (ouId.safeParse(value).success) return true;
  // Something that starts like an id but is not one is a typo, not an OU called "ou-1234".
  if (/^(ou-|r-|\d+$)/.test(value)) return false;
  const parts = value.replace(/\/+$/, "").split("/");
  return /^root$/i.test(parts[0] ?? "") && parts.every((p) => p.length > 0 && p.length <= 128);
}
export const region = z.string().regex(REGION_NAME, "must be a region name like us-east-1");
export const principalArn = z
  .string()
  .regex(
    /^arn:(aws[\w-]*|\*):(iam|sts)::(\*|[\d*?]{1,12}):[\w+=,.@/*?-]+$/,
    "must be an IAM role, user or root ARN (wildcards allowed)",
  )
  .superRefine((arn, ctx) => {
    // The same rule as --exempt-principal: an ARN aws:PrincipalArn can equal (role, not sts session).
    try {
      checkExemptPrincipal(arn);
    } catch (err) {
      const e = err as OrgwardenError;
      ctx.addIssue({ code: "custom", message: `${e.message}. ${e.hint ?? ""}`.trim() });
    }
  });
export const vpcId = z.string().regex(VPC_ID, "must be a VPC id like vpc-0a1b2c3d");
/** Every tag key: the MFA and network exemption tags, and the keys of principalTags. */
export const tagKey = z.string().regex(IAM_TAG_KEY, "must be an IAM tag key, not starting with aws:");
/** What a refused tag key flag says to do. */
export const TAG_KEY_HINT = "Up to 128 letters, digits, spaces and _.:/=+-@, not starting with aws:.";
export const cidr = z
  .string()
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, "must be a CIDR like 192.0.2.0/24")
  .refine(isCidr, "must be a CIDR like 192.0.2.0/24 or 2001:db8::/32 (prefix within the address's length)");

/** An IPv4 or IPv6 network in CIDR notation, prefix length within the address family's. */
export function isCidr(value: string): boolean {
  const [net, bits] = value.split("/");
  const max = net && isIPv4(net) ? 32 : net && isIPv6(net) ? 128 : -1;
  return max >= 0 && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= max;
}

export const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name (letters, digits and +=,.@_-, at most 64)");
export const externalId = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, "must be 2-1224 characters of letters, digits and +=,.@:/_-");
/** A role name in a condition (auditAutomationRoles): wildcards allowed. */
export const roleNamePattern = z
  .string()
  .regex(IAM_ROLE_NAME_WILDCARD, "must be an IAM role name (wildcards allowed)");
export const iamPolicyName = z
  .string()
  .regex(IAM_POLICY_NAME, "must be an IAM policy name (letters, digits and +=,.@_-, at most 128)");
/** A name in the SCP library or the rule catalogue (whether it exists is checked when the job prepares). */
export const libraryName = z.string().regex(/^[a-z0-9-]+$/);
/** guardduty-enabled-centralized's CentralMonitoringAccount: `none`, or 12-digit ids separated by commas. */
export const guardDutyCentralAccount = z
  .string()
  .regex(/^(none|\d{12}(,\d{12})*)$/, "must be 12-digit account ids separated by commas, or none");

/** A number a flag and a field of orgwarden.yaml both take: whole or decimal, within one range. */
export interface NumberRange {
  kind: "whole" | "decimal";
  min: number;
  max: number;
}

/** The connection's numbers, for `--concurrency 8` and `connection.concurrency: 8` alike. */
export const CONNECTION_NUMBERS = {
  concurrency: { kind: "whole", min: 1, max: 256 },
  organizationsRate: { kind: "decimal", min: 0.1, max: 1000 },
  workers: { kind: "whole", min: 0, max: 64 },
  maxAttempts: { kind: "whole", min: 1, max: 20 },
} as const satisfies Record<string, NumberRange>;

/** IAM's MinimumPasswordLength, for --password-min-length and passwordPolicy.minimumLength. */
export const PASSWORD_MIN_LENGTH: NumberRange = { kind: "whole", min: 6, max: 128 };

/** The field of orgwarden.yaml for a range. */
export function numberField(range: NumberRange): z.ZodNumber {
  const n = z.number();
  return (range.kind === "whole" ? n.int() : n).min(range.min).max(range.max);
}

/** A flag's text as a number within `range`; undefined when it is not one. */
export function parseNumber(value: unknown, range: NumberRange): number | undefined {
  const text = String(value).trim();
  const n = Number(text);
  const ok =
    text !== "" &&
    Number.isFinite(n) &&
    (range.kind === "decimal" || Number.isInteger(n)) &&
    n >= range.min &&
    n <= range.max;
  return ok ? n : undefined;
}

/** "must be a whole number from 1 to 256, got 'abc'" */
export function numberProblem(value: unknown, range: NumberRange): string {
  return `must be ${range.kind === "whole" ? "a whole number" : "a number"} from ${range.min} to ${range.max}, got '${String(value)}'`;
}

const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration: a whole number and a unit, `0s`, `90m`, `24h`, `7d` (--soak, --poll, --since); undefined when malformed. */
export function durationMs(raw: string): number | undefined {
  const m = DURATION.exec(raw);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

export const DURATION_HINT = "a whole number and a unit: 0s, 90m, 24h or 7d";

const UTC_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/;

/** `--since` in form, for the config's JSON Schema: a duration or a UTC date or time. */
export const SINCE_PATTERN = /^(\d+[smhd]|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?)$/;

/** `--since` / `since:`: a duration back from now, or a UTC date or time (checked in form; sinceDate checks it is a date in the past). */
export function isSince(raw: string): boolean {
  return durationMs(raw) !== undefined || (UTC_DATE.test(raw) && !Number.isNaN(new Date(raw).getTime()));
}

export const SINCE_HINT =
  "a duration back from now (14d, 36h, 90m) or a UTC date or time (2026-11-01, 2026-11-01T08:00:00Z)";

/** A policy type's quotas in orgwarden.yaml (quotas:, rcpQuotas:): used when Service Quotas lists none. */
export function policyQuotas(description: string) {
  return z
    .object({
      maxPolicySize: z.number().int().min(1).optional(),
      maxPoliciesPerTarget: z.number().int().min(1).optional(),
    })
    .strict()
    .default({})
    .describe(description);
}
