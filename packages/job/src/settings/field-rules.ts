import { isIPv4, isIPv6 } from "node:net";
import { IAM_POLICY_NAME, type OrgwardenError, REGION_NAME } from "@orgwarden/core";
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
export const vpcId = z.string().regex(/^vpc-[0-9a-f]{8,17}$/, "must be a VPC id like vpc-0a1b2c3d");
export const tagKey = z
  .string()
  .regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, "must be an IAM tag key, not starting with aws:");
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
export const iamPolicyName = z
  .string()
  .regex(IAM_POLICY_NAME, "must be an IAM policy name (letters, digits and +=,.@_-, at most 128)");
