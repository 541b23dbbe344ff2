import { paginateListVirtualMFADevices } from "@aws-sdk/client-iam";
import { collectPages } from "@orgwarden/core";
import { hasRootCredentials } from "@orgwarden/root";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";

/**
 * root-mfa, root-hardware-mfa and root-access-keys, from the account summary (GetAccountSummary)
 * or, when centralized root access audits the account, from the root audit.
 */
export async function checkRootUser(ctx: CheckContext): Promise<ControlOutcome[]> {
  const s = ctx.settings;
  const summary = await ctx.accountSummary();
  const audit = await ctx.rootAudit;
  const mfa = summary.AccountMFAEnabled;
  const keys = summary.AccountAccessKeysPresent;
  // Centralized root access removes every root credential. Only keys the summary actually reports
  // count: a missing key is not proof that the credential is absent.
  const credentialKeys = [
    "AccountPasswordPresent",
    "AccountAccessKeysPresent",
    "AccountSigningCertificatesPresent",
  ];
  // The root audit (centralized root access) is the better witness: it reads each credential.
  const audited = audit?.kind === "audited" ? audit.credentials : undefined;
  const noRootCredentials = audited
    ? !hasRootCredentials(audited)
    : credentialKeys.every((k) => summary[k] === 0);
  const unknownKeys = audited ? [] : credentialKeys.filter((k) => summary[k] === undefined);
  const noCredentialsReason = audited
    ? "no root credentials: the root audit (centralized root access) finds no password, access keys or signing certificates"
    : "no root credentials: the account summary reports no password, access keys or signing certificates (as after centralized root access removed them)";
  const out: ControlOutcome[] = [];

  if (mfa === 1 && !(audited && noRootCredentials)) {
    out.push({ control: "root-mfa", status: "COMPLIANT", reason: "root user has MFA" });
  } else if (noRootCredentials) {
    out.push({ control: "root-mfa", status: "NOT_APPLICABLE", reason: noCredentialsReason });
  } else if (mfa === 0) {
    out.push({
      control: "root-mfa",
      status: "NON_COMPLIANT",
      reason: `root user has no MFA${unknownKeys.length ? ` (the account summary does not report ${unknownKeys.join(", ")}, so root credentials may exist)` : ""}`,
    });
  } else
    out.push({
      control: "root-mfa",
      status: "INSUFFICIENT_DATA",
      reason: "the account summary has no AccountMFAEnabled",
    });

  if (audited) {
    const n = audited.accessKeys.length;
    out.push(
      n === 0
        ? {
            control: "root-access-keys",
            status: "COMPLIANT",
            reason: "root user has no access keys (root audit)",
          }
        : {
            control: "root-access-keys",
            status: "NON_COMPLIANT",
            reason: `root user has ${n} access key${n === 1 ? "" : "s"} (root audit): delete them`,
          },
    );
  } else if (keys === 0)
    out.push({ control: "root-access-keys", status: "COMPLIANT", reason: "root user has no access keys" });
  else if (keys === undefined) {
    out.push({
      control: "root-access-keys",
      status: "INSUFFICIENT_DATA",
      reason: "the account summary has no AccountAccessKeysPresent",
    });
  } else
    out.push({
      control: "root-access-keys",
      status: "NON_COMPLIANT",
      reason: "root user has access keys: delete them",
    });

  if (noRootCredentials && (mfa !== 1 || audited)) {
    out.push({ control: "root-hardware-mfa", status: "NOT_APPLICABLE", reason: noCredentialsReason });
  } else if (mfa !== 1) {
    out.push({
      control: "root-hardware-mfa",
      status: "NON_COMPLIANT",
      reason: "root user has no MFA device at all",
    });
  } else {
    // Root's virtual device is recognised by its user ARN: device names are free-form.
    const rootArn = `arn:${s.partition}:iam::${s.accountId}:root`;
    const devices = await collectPages(
      paginateListVirtualMFADevices(
        { client: ctx.clients.iam, pageSize: 1000 },
        { AssignmentStatus: "Assigned" },
      ),
      (p) => p.VirtualMFADevices,
    );
    const virtual = devices.find((d) => d.User?.Arn === rootArn);
    out.push(
      virtual
        ? {
            control: "root-hardware-mfa",
            status: "NON_COMPLIANT",
            reason: `root user's MFA is a virtual device (${virtual.SerialNumber})`,
          }
        : {
            control: "root-hardware-mfa",
            status: "COMPLIANT",
            reason: "root user's MFA is a hardware device",
          },
    );
  }
  return out;
}
