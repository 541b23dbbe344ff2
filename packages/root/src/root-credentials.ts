import {
  GetLoginProfileCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListSigningCertificates,
} from "@aws-sdk/client-iam";
import { collectPages, isAwsError } from "@orgwarden/core";

/** What a member account's root user has, read in an AssumeRoot session (IAMAuditRootUserCredentials). */
export interface RootCredentials {
  /** The root password (a login profile), or null. */
  password: { createDate: string | undefined } | null;
  accessKeys: Array<{ id: string; status: string }>;
  signingCertificates: Array<{ id: string; status: string }>;
  mfaDevices: Array<{ serial: string }>;
}

/**
 * Reads the root user's credentials. In an AssumeRoot session the calls name no user: they are
 * about the root user ("with root user credentials, you must use an AssumeRoot session to omit the
 * user name"). A missing login profile is NoSuchEntity: no password.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html
 */
export async function auditRootCredentials(iam: IAMClient): Promise<RootCredentials> {
  const [password, accessKeys, signingCertificates, mfaDevices] = await Promise.all([
    iam.send(new GetLoginProfileCommand({})).then(
      (out) => ({ createDate: out.LoginProfile?.CreateDate?.toISOString() }),
      (err: unknown) => {
        if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) return null;
        throw err;
      },
    ),
    collectPages(paginateListAccessKeys({ client: iam }, {}), (p) => p.AccessKeyMetadata),
    collectPages(paginateListSigningCertificates({ client: iam }, {}), (p) => p.Certificates),
    collectPages(paginateListMFADevices({ client: iam }, {}), (p) => p.MFADevices),
  ]);
  return {
    password,
    accessKeys: accessKeys.map((k) => ({ id: k.AccessKeyId ?? "", status: k.Status ?? "Active" })),
    signingCertificates: signingCertificates.map((c) => ({
      id: c.CertificateId ?? "",
      status: c.Status ?? "Active",
    })),
    mfaDevices: mfaDevices.map((d) => ({ serial: d.SerialNumber ?? "" })),
  };
}

/** A password, access keys or signing certificates: what lets someone act as root. MFA alone does not. */
export function hasRootCredentials(c: RootCredentials): boolean {
  return c.password !== null || c.accessKeys.length > 0 || c.signingCertificates.length > 0;
}

/** ["a password", "2 access keys (1 active)", "1 signing certificate", "1 MFA device"] */
export function describeRootCredentials(c: RootCredentials, withMfa = true): string[] {
  const active = (xs: Array<{ status: string }>) => xs.filter((x) => x.status === "Active").length;
  const out: string[] = [];
  if (c.password) out.push("a password");
  if (c.accessKeys.length)
    out.push(`${count(c.accessKeys.length, "access key")} (${active(c.accessKeys)} active)`);
  if (c.signingCertificates.length)
    out.push(
      `${count(c.signingCertificates.length, "signing certificate")} (${active(c.signingCertificates)} active)`,
    );
  if (withMfa && c.mfaDevices.length) out.push(count(c.mfaDevices.length, "MFA device"));
  return out;
}

export interface RootCredentialJudgement {
  status: "COMPLIANT" | "NON_COMPLIANT";
  reason: string;
}

/** root-credentials-present for one member account, from its audit. */
export function judgeRootCredentials(c: RootCredentials): RootCredentialJudgement {
  if (hasRootCredentials(c)) {
    return {
      status: "NON_COMPLIANT",
      reason: `root user has ${describeRootCredentials(c).join(", ")}: remove them with orgwarden root remove-credentials`,
    };
  }
  return {
    status: "COMPLIANT",
    reason:
      c.mfaDevices.length > 0
        ? `root user has no password, access keys or signing certificates (${count(c.mfaDevices.length, "MFA device")} still assigned)`
        : "root user has no password, access keys, signing certificates or MFA devices",
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
