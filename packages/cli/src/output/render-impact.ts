import type { ImpactResult, ImpactRow } from "@orgwarden/job";
import { formatCsv, type Paint, renderTable } from "@orgwarden/report";

const REASONS: Record<string, string> = {
  "no-action-mapped": "no IAM action mapped",
  "service-linked-role": "service-linked role (SCPs do not apply)",
  "aws-service-principal": "AWS service principal (SCPs do not apply)",
  "management-account": "management account (SCPs do not apply)",
  "not-an-api-call": "not an API call (console sign-in, service event)",
  "recorded-for-another-account": "copy recorded in the resource's account",
  "no-principal": "no IAM principal (anonymous, Identity Center user)",
  unreadable: "unreadable record",
  "outside-target": "caller's account outside the target",
};

/** The coverage header: what was read, what failed, what was not evaluated and why. */
export function renderImpactHeader(result: ImpactResult): string {
  const c = result.coverage;
  const lines = [
    `impact of ${result.policies.join(", ")} at ${result.target.kind === "account" ? "account" : result.target.kind === "root" ? "root" : "OU"} ${result.target.path} (${result.target.id})`,
    `window: ${result.window.start} → ${result.window.end} (--since ${result.window.since})`,
    `source: ${result.source.label}`,
    `  sees: ${result.source.sees}`,
    ...result.source.cannotSee.map((s) => `  cannot see: ${s}`),
    `read: ${c.accountsRead} of ${c.accountsInScope} accounts, ${c.regionsRead.length} regions (${c.regionsRead.join(", ") || "none"}), ${c.requests} requests; ${c.eventsRead} events, ${c.evaluated} evaluated as ${c.distinctTuples} distinct calls`,
  ];
  if (c.failures.length > 0) {
    lines.push(
      `not read: ${c.failures.length} (the result is incomplete: exit 3 unless new denials were found)`,
    );
    for (const f of c.failures.slice(0, 20)) lines.push(`  ${f.location}: ${f.reason}`);
    if (c.failures.length > 20)
      lines.push(`  … and ${c.failures.length - 20} more (--output json lists them all)`);
  }
  const skipped = Object.entries(c.notEvaluated).filter(([, n]) => n > 0);
  if (skipped.length > 0) {
    lines.push(`not evaluated: ${skipped.map(([r, n]) => `${n} ${REASONS[r] ?? r}`).join("; ")}`);
    if (c.unmapped.length > 0) {
      lines.push(
        `  no action mapped, most frequent: ${c.unmapped
          .slice(0, 5)
          .map((u) => `${u.eventSource} ${u.eventName} (${u.count})`)
          .join(", ")}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

const HEADERS = [
  "PRINCIPAL",
  "ACTION",
  "ACCOUNT",
  "REGION",
  "EVENTS",
  "FIRST SEEN",
  "LAST SEEN",
  "DENIED BY",
];

function cells(row: ImpactRow): string[] {
  return [
    row.principalArn,
    row.action,
    row.accountName ? `${row.account} (${row.accountName})` : row.account,
    row.region,
    String(row.count),
    row.firstSeen,
    row.lastSeen,
    deniedBy(row),
  ];
}

/** The deciding policy, statement and condition keys: `orgwarden-require-mfa DenyIamUsersWithoutMFA (aws:MultiFactorAuthPresent absent)`. */
export function deniedBy(row: ImpactRow): string {
  if (row.by === "no-allow") return `no SCP at ${row.nodePath} allows it`;
  const keys = row.conditionKeys
    .filter((k) => k.key.toLowerCase() !== "aws:principalarn")
    .map(
      (k) =>
        `${k.key} ${k.value === undefined ? "absent" : Array.isArray(k.value) ? k.value.join(",") : k.value}`,
    );
  const statement = [row.policy, row.sid].filter(Boolean).join(" ");
  return keys.length > 0 ? `${statement} (${keys.join("; ")})` : statement;
}

/** The whole impact for a terminal: header, new denials, undetermined calls, AWS's check, notes. */
export function renderImpact(result: ImpactResult, paint: Paint, width?: number): string {
  const out = [renderImpactHeader(result)];
  const events = result.newDenials.reduce((n, r) => n + r.count, 0);
  if (result.newDenials.length === 0) {
    out.push(
      `\n${paint("no new denials", "green")}: nothing recorded in the window would be denied by the change (${result.stillAllowed} distinct calls stay allowed, ${result.alreadyDenied} were denied already)\n`,
    );
  } else {
    out.push(
      `\n${paint("new denials", "red")}: ${result.newDenials.length} (${events} events) the change would deny\n`,
    );
    out.push(renderTable(HEADERS, result.newDenials.map(cells), width ? { width } : {}));
    out.push(samples(result.newDenials));
  }
  if (result.undetermined.length > 0) {
    out.push(
      `\nundetermined: ${result.undetermined.length} — the verdict after the change hangs on keys the events cannot show\n`,
    );
    out.push(
      renderTable(
        [...HEADERS.slice(0, 5), "HANGS ON", "DENIED BY"],
        result.undetermined.map((r) => [...cells(r).slice(0, 5), r.undeterminedKeys.join(", "), deniedBy(r)]),
        width ? { width } : {},
      ),
    );
  }
  out.push(`\n${awsLine(result)}\n`);
  if (result.principalTagsRead > 0) {
    out.push(
      `principal tags read from IAM for ${result.principalTagsRead} principal${result.principalTagsRead === 1 ? "" : "s"} (aws:PrincipalTag decided)\n`,
    );
  }
  for (const note of result.notes) out.push(`note: ${note}\n`);
  return out.join("");
}

function samples(rows: readonly ImpactRow[]): string {
  const lines = rows
    .slice(0, 10)
    .map((r) => `  ${r.principalArn} ${r.action}: ${r.sampleEventIds.join(", ")}`);
  return `sample event ids (CloudTrail → Event history → Event ID):\n${lines.join("\n")}\n`;
}

function awsLine(result: ImpactResult): string {
  const a = result.awsCheck;
  if (a.unavailable && a.asked === 0) return `AWS's policy simulator: not asked (${a.unavailable})`;
  if (a.asked === 0) return "AWS's policy simulator: nothing to ask";
  const base = `AWS's policy simulator re-decided ${a.asked} sampled calls: agrees on ${a.agreed} (${a.calls} iam:SimulateCustomPolicy calls)`;
  const lines = a.disagreements.map(
    (d) =>
      `  disagrees: ${d.principalArn} ${d.action} in ${d.account} ${d.region}: orgwarden ${d.orgwarden}, AWS ${d.aws}`,
  );
  return [base, ...lines].join("\n");
}

/** One CSV line per row, new denials then undetermined (the `verdict` column). */
export function impactCsv(result: ImpactResult): string {
  const rows = [
    ...result.newDenials.map((r) => ({ verdict: "new-denial", r })),
    ...result.undetermined.map((r) => ({ verdict: "undetermined", r })),
  ];
  return formatCsv<(typeof rows)[number]>(
    [
      { header: "verdict", value: (x) => x.verdict },
      { header: "principal_arn", value: (x) => x.r.principalArn },
      { header: "action", value: (x) => x.r.action },
      { header: "account", value: (x) => x.r.account },
      { header: "account_name", value: (x) => x.r.accountName ?? "" },
      { header: "region", value: (x) => x.r.region },
      { header: "events", value: (x) => String(x.r.count) },
      { header: "first_seen", value: (x) => x.r.firstSeen },
      { header: "last_seen", value: (x) => x.r.lastSeen },
      { header: "sample_event_ids", value: (x) => x.r.sampleEventIds.join(" ") },
      { header: "policy", value: (x) => x.r.policy ?? "" },
      { header: "sid", value: (x) => x.r.sid ?? "" },
      { header: "attached_at", value: (x) => x.r.nodePath ?? "" },
      { header: "denied_by", value: (x) => deniedBy(x.r) },
      { header: "hangs_on", value: (x) => x.r.undeterminedKeys.join(" ") },
      { header: "mfa", value: (x) => x.r.mfa.join(" ") },
      { header: "source_ips", value: (x) => x.r.sourceIps.join(" ") },
      { header: "source_vpces", value: (x) => x.r.sourceVpces.join(" ") },
      { header: "resources", value: (x) => x.r.resources.join(" ") },
    ],
    rows,
  );
}
