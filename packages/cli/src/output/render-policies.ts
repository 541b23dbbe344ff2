import type { Inventory } from "@orgwarden/core";
import {
  formatCsv,
  type InvalidEffectivePolicy,
  type PolicyOverview,
  type PolicyTypeOverview,
  renderTable,
  type TargetPolicies,
} from "@orgwarden/report";

/** `orgwarden policies` as its three tables: the types, the targets with their policies, the invalid accounts. */
export function renderPoliciesTable(overview: PolicyOverview, width: number | undefined): string {
  const parts: string[] = [];
  parts.push(
    renderTable(
      [
        "POLICY TYPE",
        "AT THE ROOT",
        "POLICIES",
        "ATTACHED",
        "PER TARGET",
        "FULL",
        "NEAR",
        "INVALID ACCOUNTS",
      ],
      overview.types.map((t) => [
        `${t.label} (${t.type})`,
        t.errors.length > 0 ? `${statusWord(t)}, partly unread` : statusWord(t),
        t.walked ? String(t.policies) : "-",
        t.walked ? String(t.attachments) : "-",
        `${t.quota.value} (${t.quota.source})`,
        t.walked ? String(t.full) : "-",
        t.walked ? String(t.near) : "-",
        t.walked ? String(t.invalidAccounts) : "-",
      ]),
      { width },
    ),
  );
  // Every root, OU and account holds FullAWSAccess once SCPs are on: the table lists the targets
  // with something more, or little room; JSON and CSV list them all.
  const shown = overview.targets.filter(
    (t) => t.slots.state !== "ok" || t.policies.some((p) => p.owner !== "aws-managed"),
  );
  if (shown.length > 0)
    parts.push(
      renderTable(
        ["TARGET", "TYPE", "ATTACHED", "SLOTS LEFT", "POLICIES (OWNER)"],
        shown.map((t) => [
          `${t.targetPath} (${t.targetId})`,
          labelOf(overview, t),
          `${t.slots.attached} of ${t.slots.quota}`,
          t.slots.state === "ok" ? String(t.slots.left) : `${t.slots.left} (${t.slots.state})`,
          t.policies.map((p) => `${p.name} (${p.owner})`).join(", "),
        ]),
        { width },
      ),
    );
  if (overview.invalid.length > 0)
    parts.push(
      renderTable(
        ["ACCOUNT", "TYPE", "VALIDATION ERRORS"],
        overview.invalid.map((i) => [
          `${i.accountName} (${i.accountId})`,
          labelOf(overview, i),
          describeErrors(i),
        ]),
        { width },
      ),
    );
  const problems = overview.types.flatMap((t) => t.errors.map((e) => `${t.type}: ${e.message}`));
  const hidden = overview.targets.length - shown.length;
  const lines = [
    ...(hidden > 0
      ? [
          `${hidden} more target${hidden === 1 ? " holds" : "s hold"} only AWS's full-access policy, with room (--output json or csv lists them)`,
        ]
      : []),
    ...problems.map((p) => `not read: ${p}`),
    ...overview.notes,
    summary(overview),
  ];
  return `${parts.join("\n")}\n${lines.join("\n")}\n`;
}

/** The JSON document: the overview as it is, with the scope. */
export function policiesJson(overview: PolicyOverview, scope: string | undefined): string {
  return `${JSON.stringify({ scope: scope ?? "organization", ...overview }, null, 2)}\n`;
}

interface CsvRow {
  targetId: string;
  targetKind: string;
  targetPath: string;
  type: string;
  typeStatus: string;
  attached: string;
  quota: string;
  quotaSource: string;
  slotsLeft: string;
  state: string;
  policies: string;
  invalid: string;
  error: string;
}

/**
 * One CSV row per target and type: what is attached with its owners and the slots left, and the
 * account's invalid effective policy of the type when it has one. A type not enabled, or one that
 * could not be read, is one row at the root saying so.
 */
export function policiesCsv(overview: PolicyOverview, inventory: Inventory): string {
  const root = inventory.units.get(inventory.rootId);
  const rows: CsvRow[] = [];
  const status = new Map(overview.types.map((t) => [t.type, t]));
  const atRoot = (t: PolicyTypeOverview, state: string, error: string): CsvRow => ({
    targetId: inventory.rootId,
    targetKind: "root",
    targetPath: root?.path ?? "Root",
    type: t.type,
    typeStatus: t.status,
    attached: "",
    quota: String(t.quota.value),
    quotaSource: t.quota.source,
    slotsLeft: "",
    state,
    policies: "",
    invalid: "",
    error,
  });
  for (const t of overview.types) {
    if (!t.walked) rows.push(atRoot(t, "not-enabled", ""));
    for (const e of t.errors) rows.push(atRoot(t, "error", e.message));
  }
  const invalidOf = new Map(overview.invalid.map((i) => [`${i.accountId} ${i.type}`, i]));
  for (const t of overview.targets) {
    const invalid = invalidOf.get(`${t.targetId} ${t.type}`);
    invalidOf.delete(`${t.targetId} ${t.type}`);
    rows.push(targetRow(t, status.get(t.type)?.status ?? "ENABLED", invalid));
  }
  for (const i of invalidOf.values()) {
    const t = status.get(i.type);
    rows.push({
      targetId: i.accountId,
      targetKind: "account",
      targetPath: i.ouPath ? `${i.ouPath}/${i.accountName}` : i.accountName,
      type: i.type,
      typeStatus: t?.status ?? "ENABLED",
      attached: "0",
      quota: String(t?.quota.value ?? ""),
      quotaSource: t?.quota.source ?? "",
      slotsLeft: String(t?.quota.value ?? ""),
      state: "ok",
      policies: "",
      invalid: describeErrors(i),
      error: i.error ?? "",
    });
  }
  return formatCsv(CSV_COLUMNS, rows);
}

function targetRow(
  t: TargetPolicies,
  typeStatus: string,
  invalid: InvalidEffectivePolicy | undefined,
): CsvRow {
  return {
    targetId: t.targetId,
    targetKind: t.targetKind,
    targetPath: t.targetPath,
    type: t.type,
    typeStatus,
    attached: String(t.slots.attached),
    quota: String(t.slots.quota),
    quotaSource: t.quotaSource,
    slotsLeft: String(t.slots.left),
    state: t.slots.state,
    policies: t.policies.map((p) => `${p.name} (${p.id}) [${p.owner}]`).join("; "),
    invalid: invalid ? describeErrors(invalid) : "",
    error: invalid?.error ?? "",
  };
}

const CSV_COLUMNS: ReadonlyArray<{ header: string; value: (r: CsvRow) => string }> = [
  { header: "target_id", value: (r) => r.targetId },
  { header: "target_kind", value: (r) => r.targetKind },
  { header: "target_path", value: (r) => r.targetPath },
  { header: "policy_type", value: (r) => r.type },
  { header: "type_status", value: (r) => r.typeStatus },
  { header: "attached", value: (r) => r.attached },
  { header: "quota", value: (r) => r.quota },
  { header: "quota_source", value: (r) => r.quotaSource },
  { header: "slots_left", value: (r) => r.slotsLeft },
  { header: "state", value: (r) => r.state },
  { header: "policies", value: (r) => r.policies },
  { header: "invalid_effective_policy", value: (r) => r.invalid },
  { header: "error", value: (r) => r.error },
];

function statusWord(t: PolicyTypeOverview): string {
  return t.status === "NOT_ENABLED" ? "not enabled" : t.status.toLowerCase().replace("_", " ");
}

function labelOf(overview: PolicyOverview, row: { type: string }): string {
  return overview.types.find((t) => t.type === row.type)?.label ?? row.type;
}

function describeErrors(i: InvalidEffectivePolicy): string {
  if (i.errors.length === 0) return i.error ? `invalid (errors unread: ${i.error})` : "invalid";
  return i.errors
    .map(
      (e) =>
        `${e.code}${e.path ? ` at ${e.path}` : ""}${e.message ? `: ${e.message}` : ""}${e.contributingPolicies.length ? ` (${e.contributingPolicies.join(", ")})` : ""}`,
    )
    .join("; ");
}

function summary(overview: PolicyOverview): string {
  const enabled = overview.types.filter((t) => t.walked).length;
  const full = overview.targets.filter((t) => t.slots.state === "full").length;
  const near = overview.targets.filter((t) => t.slots.state === "near").length;
  const invalid = new Set(overview.invalid.map((i) => i.accountId)).size;
  return (
    `${overview.types.length} policy type${overview.types.length === 1 ? "" : "s"}: ${enabled} enabled, ${overview.types.length - enabled} not enabled; ` +
    `${full} target${full === 1 ? "" : "s"} full, ${near} one slot from full; ` +
    `${invalid} account${invalid === 1 ? "" : "s"} with an invalid effective policy`
  );
}
