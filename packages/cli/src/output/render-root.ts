import type { AccountResult, Inventory, OrgAccount } from "@orgwarden/core";
import { formatCsv, NO_COLOUR, type Paint, paintPlanLine, paintStatus, renderTable } from "@orgwarden/report";
import {
  describeRootCredentials,
  describeRootRemovalStep,
  ROOT_FEATURES,
  type RootAccessFeatures,
  type RootRemovalPlan,
  type RootRemovalResult,
  type RootStatusRow,
  remainsAfter,
} from "@orgwarden/root";

/** One account of `root status`, flat, for the table and the CSV. Empty cells when not audited. */
export interface RootStatusRecord {
  accountId: string;
  accountName: string;
  ouPath: string;
  status: string;
  password: string;
  accessKeys: string;
  signingCertificates: string;
  mfaDevices: string;
  reason: string;
}

export function rootStatusRecords(rows: readonly RootStatusRow[]): RootStatusRecord[] {
  return rows.map((r) => {
    const c = r.credentials;
    const active = (xs: Array<{ status: string }>) =>
      xs.length === 0 ? "none" : `${xs.length} (${xs.filter((x) => x.status === "Active").length} active)`;
    return {
      accountId: r.account.id,
      accountName: r.account.isManagement ? `${r.account.name} (management)` : r.account.name,
      ouPath: r.account.ouPath,
      status: r.status,
      password: c ? (c.password ? "yes" : "no") : "",
      accessKeys: c ? active(c.accessKeys) : "",
      signingCertificates: c ? active(c.signingCertificates) : "",
      mfaDevices: c ? String(c.mfaDevices.length) : "",
      reason: r.reason,
    };
  });
}

/** `root status --output json`: the features, then one entry per account with what its root user has. */
export function rootStatusJson(
  inventory: Inventory,
  features: RootAccessFeatures,
  rows: readonly RootStatusRow[],
) {
  return {
    organizationId: inventory.organizationId,
    managementAccountId: inventory.managementAccountId,
    trustedAccess: features.trustedAccess,
    features: Object.fromEntries(ROOT_FEATURES.map((f) => [f, features.enabled.has(f)])),
    accounts: rows.map((r) => ({
      accountId: r.account.id,
      accountName: r.account.name,
      ouPath: r.account.ouPath,
      state: r.account.state,
      status: r.status,
      reason: r.reason,
      ...(r.credentials
        ? {
            password: r.credentials.password !== null,
            accessKeys: r.credentials.accessKeys,
            signingCertificates: r.credentials.signingCertificates,
            mfaDevices: r.credentials.mfaDevices,
          }
        : {}),
    })),
  };
}

/** The plan of `root remove-credentials`: per account, what goes, what is already absent, what is left alone. */
export function describeRemovalPlan(plan: RootRemovalPlan, paint: Paint = NO_COLOUR): string {
  const lines = [`Root credentials under ${plan.target.path} (${plan.target.id}):`];
  for (const a of plan.accounts) {
    const who = `${a.account.id} ${a.account.name} (${a.account.ouPath})`;
    if (a.steps.length > 0) {
      lines.push(`  ${who}:`);
      for (const step of a.steps) lines.push(paintPlanLine(paint, `    - ${describeRootRemovalStep(step)}`));
      for (const k of a.kept) lines.push(paintPlanLine(paint, `    = keep ${k} (--keep mfa)`));
    } else if (a.audit.credentials) {
      const kept = a.kept.length ? ` (keeping ${a.kept.join(", ")})` : "";
      lines.push(`  ${who}: nothing to remove, no root credentials${kept}`);
    } else {
      const mark = a.audit.status === "ERROR" ? paintStatus(paint, "ERROR") : "left alone";
      lines.push(`  ${who}: ${mark}: ${a.audit.reason}`);
    }
  }
  const accounts = plan.accounts.filter((a) => a.steps.length > 0).length;
  lines.push(
    `${plan.changes} change${plan.changes === 1 ? "" : "s"} in ${accounts} account${accounts === 1 ? "" : "s"}, each in an AssumeRoot session under IAMDeleteRootUserCredentials.`,
  );
  return `${lines.join("\n")}\n`;
}

/** After the deletions: per account what was done, and what the root user still has. */
export function removalSummary(
  results: ReadonlyArray<AccountResult<OrgAccount, RootRemovalResult>>,
  keepMfa: boolean,
): string {
  const lines: string[] = [];
  for (const r of results) {
    const who = `${r.account.id} ${r.account.name}`;
    if (!r.ok) {
      lines.push(`ERROR ${who}: ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}`);
      continue;
    }
    const v = r.value;
    const parts = [`${v.done.length} removed`];
    if (v.alreadyAbsent.length) parts.push(`${v.alreadyAbsent.length} already gone`);
    if (v.keptMfa.length)
      parts.push(`MFA left active (${v.keptMfa.length}): the root user still had credentials it guards`);
    if (v.failed) parts.push(`FAILED at "${describeRootRemovalStep(v.failed.step)}": ${v.failed.reason}`);
    const left = describeRootCredentials(v.after, !keepMfa);
    parts.push(left.length ? `root user still has ${left.join(", ")}` : "root user has no credentials left");
    lines.push(`${remainsAfter(v, keepMfa) ? "INCOMPLETE" : "done"} ${who}: ${parts.join(", ")}`);
  }
  const failed = results.filter((r) => !r.ok || remainsAfter(r.value, keepMfa)).length;
  lines.push(
    `Done: ${results.length - failed} of ${results.length} account${results.length === 1 ? "" : "s"} cleaned${failed ? `, ${failed} not (exit 3)` : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}

export function rootStatusCsv(rows: readonly RootStatusRow[]): string {
  const records = rootStatusRecords(rows);
  type R = (typeof records)[number];
  return formatCsv(
    [
      { header: "account_id", value: (r: R) => r.accountId },
      { header: "account_name", value: (r: R) => r.accountName },
      { header: "ou_path", value: (r: R) => r.ouPath },
      { header: "status", value: (r: R) => r.status },
      { header: "password", value: (r: R) => r.password },
      { header: "access_keys", value: (r: R) => r.accessKeys },
      { header: "signing_certificates", value: (r: R) => r.signingCertificates },
      { header: "mfa_devices", value: (r: R) => r.mfaDevices },
      { header: "reason", value: (r: R) => r.reason },
    ],
    records,
  );
}

export function rootStatusTable(
  inventory: Inventory,
  features: RootAccessFeatures,
  rows: readonly RootStatusRow[],
  paint: Paint,
): string {
  const on = (b: boolean) => (b ? "on" : "off");
  const lines = [
    `Centralized root access in ${inventory.organizationId}:`,
    `  trusted access for IAM (iam.amazonaws.com)  ${on(features.trustedAccess)}`,
    ...ROOT_FEATURES.map((f) => `  ${f.padEnd(41)}  ${on(features.enabled.has(f))}`),
    "",
  ];
  const records = rootStatusRecords(rows);
  const table = renderTable(
    ["ACCOUNT", "NAME", "OU PATH", "STATUS", "PASSWORD", "ACCESS KEYS", "SIGNING CERTS", "MFA", "REASON"],
    records.map((r) => [
      r.accountId,
      r.accountName,
      r.ouPath,
      paintStatus(paint, r.status),
      r.password,
      r.accessKeys,
      r.signingCertificates,
      r.mfaDevices,
      r.reason,
    ]),
  );
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = [...counts].map(([k, v]) => `${v} ${k}`).join(", ");
  return `${lines.join("\n")}\n${table}${rows.length} account${rows.length === 1 ? "" : "s"}: ${summary}\n`;
}
