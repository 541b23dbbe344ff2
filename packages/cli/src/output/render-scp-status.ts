import { formatCsv, renderTable } from "@orgwarden/report";
import { isScpFinding, type ScpStatusRow } from "@orgwarden/scp";

/** `scp status` as JSON, CSV or a table with a one-line summary. */
export function renderScpStatus(
  rows: readonly ScpStatusRow[],
  output: "table" | "json" | "csv",
  noun = "SCP",
): string {
  if (output === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  if (output === "csv") return formatCsv(STATUS_COLUMNS, rows);
  const bad = rows.filter((r) => isScpFinding(r.state)).length;
  const orgwardens = rows.filter((r) => r.state !== "other" && r.state !== "service-managed").length;
  return (
    renderTable(
      ["TARGET", "POLICY", "VARIANT", "STATE", "PARAMETERS", "DETAIL"],
      rows.map((r) => [
        `${r.targetPath} (${r.targetId})${r.inherited ? " [inherited]" : ""}`,
        r.policyName,
        r.variant,
        r.state,
        r.parameters,
        r.detail,
      ]),
    ) +
    (orgwardens === 0
      ? `No orgwarden ${noun} is attached anywhere in scope${rows.length > 0 ? ` (${rows.length} other ${noun} attachment${rows.length === 1 ? "" : "s"} on the path)` : ""}.\n`
      : `${orgwardens} orgwarden attachment${orgwardens === 1 ? "" : "s"}; ${bad === 0 ? "all in sync" : `${bad} drifted or impostor`}${rows.length > orgwardens ? `; ${rows.length - orgwardens} other ${noun} attachment${rows.length - orgwardens === 1 ? "" : "s"} on the path` : ""}\n`)
  );
}

const STATUS_COLUMNS: ReadonlyArray<{ header: string; value: (r: ScpStatusRow) => string }> = [
  { header: "target_id", value: (r) => r.targetId },
  { header: "target_path", value: (r) => r.targetPath },
  { header: "target_kind", value: (r) => r.targetKind },
  { header: "policy_name", value: (r) => r.policyName },
  { header: "policy_id", value: (r) => r.policyId },
  { header: "library_policy", value: (r) => r.library ?? "" },
  { header: "variant", value: (r) => r.variant },
  { header: "state", value: (r) => r.state },
  { header: "parameters", value: (r) => r.parameters },
  { header: "detail", value: (r) => r.detail },
  { header: "inherited", value: (r) => String(r.inherited) },
];
