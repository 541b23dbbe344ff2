import type { Inventory } from "@orgwarden/core";
import { formatCsv, NO_COLOUR, type Paint, paintPlanLine, paintStatus, renderTable } from "@orgwarden/report";
import {
  describeRootCredentials,
  describeRootRemovalStep,
  ROOT_FEATURES,
  type RootAccessFeatures,
  type RootRemovalOutcome,
  type RootRemovalPlan,
  type RootRemovalStep,
  type RootStatusRow,
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

/**
 * After the deletions: per account DONE, PARTIAL or ERROR, what was removed (also before a
 * failure), and what the root user still has.
 */
export function removalSummary(outcomes: readonly RootRemovalOutcome[], keepMfa: boolean): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const who = `${o.account.id} ${o.account.name}`;
    if (o.status === "ERROR" && o.removed.length === 0 && !o.after && !o.failed) {
      lines.push(`ERROR ${who}: ${o.reason ?? "failed"}`);
      continue;
    }
    const parts = [`${o.removed.length} removed`];
    if (o.alreadyAbsent.length) parts.push(`${o.alreadyAbsent.length} already gone`);
    if (o.keptMfa.length)
      parts.push(
        o.keptMfaBecause === "unread"
          ? `MFA left active (${o.keptMfa.length}): the root user could not be read before it, so MFA stays on the safe side`
          : `MFA left active (${o.keptMfa.length}): the root user still had credentials it guards`,
      );
    if (o.failed) parts.push(`FAILED at "${describeRootRemovalStep(o.failed.step)}": ${o.failed.reason}`);
    if (o.after) {
      const left = describeRootCredentials(o.after, !keepMfa);
      parts.push(
        left.length ? `root user still has ${left.join(", ")}` : "root user has no credentials left",
      );
    } else parts.push(`not confirmed: ${o.reason ?? "the root user could not be read back"}`);
    lines.push(`${o.status === "DONE" ? "done" : o.status} ${who}: ${parts.join(", ")}`);
    // What a PARTIAL account lost is named, step by step: it is not in the plan any more.
    if (o.status !== "DONE")
      for (const st of o.removed) lines.push(`    removed: ${describeRootRemovalStep(st)}`);
  }
  const notDone = outcomes.filter((o) => o.status !== "DONE").length;
  const partial = outcomes.filter((o) => o.status === "PARTIAL").length;
  lines.push(
    `Done: ${outcomes.length - notDone} of ${outcomes.length} account${outcomes.length === 1 ? "" : "s"} cleaned${notDone ? `, ${notDone} not${partial ? ` (${partial} PARTIAL: what was removed is listed)` : ""} (exit 3)` : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}

/** `root remove-credentials --output json`: the plan per account and, after a change, each account's outcome. */
export function removalJson(
  plan: RootRemovalPlan,
  outcomes: readonly RootRemovalOutcome[] | undefined,
  dryRun: boolean,
) {
  const step = (st: RootRemovalStep) => ({ ...st, description: describeRootRemovalStep(st) });
  const byId = new Map((outcomes ?? []).map((o) => [o.account.id, o]));
  return {
    target: { id: plan.target.id, path: plan.target.path, kind: plan.target.kind },
    keepMfa: plan.keepMfa,
    dryRun,
    changes: plan.changes,
    applied: outcomes !== undefined,
    accounts: plan.accounts.map((a) => {
      const o = byId.get(a.account.id);
      return {
        accountId: a.account.id,
        accountName: a.account.name,
        ouPath: a.account.ouPath,
        audit: { status: a.audit.status, reason: a.audit.reason },
        planned: a.steps.map(step),
        ...(o
          ? {
              status: o.status,
              removed: o.removed.map(step),
              alreadyAbsent: o.alreadyAbsent.map(step),
              keptMfa: o.keptMfa.map(step),
              ...(o.failed ? { failed: { step: step(o.failed.step), reason: o.failed.reason } } : {}),
              ...(o.after
                ? {
                    after: {
                      password: o.after.password !== null,
                      accessKeys: o.after.accessKeys,
                      signingCertificates: o.after.signingCertificates,
                      mfaDevices: o.after.mfaDevices,
                    },
                  }
                : {}),
              ...(o.reason ? { reason: o.reason } : {}),
            }
          : {}),
      };
    }),
  };
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
