import { type ComplianceStatus, type ControlEntry, type ControlId, controlEntry } from "@orgwarden/core";
import type { Report, ReportRow } from "../../report-model.js";

/**
 * Where an account stands, one bucket each so the headline adds up to the number of accounts:
 * failing (a NON_COMPLIANT row) before incomplete (an ERROR row: unreachable, or a read that failed)
 * before awaiting (INSUFFICIENT_DATA) before skipped (every row SKIPPED: suspended) before compliant.
 */
export const STANDINGS = ["failing", "incomplete", "awaiting", "skipped", "compliant"] as const;
export type Standing = (typeof STANDINGS)[number];
/** Accounts per standing (they add up to total), and accounts with an ERROR row, whatever their standing. */
export type StandingCounts = Record<Standing, number> & { total: number; withErrors: number };

export const STANDING_LABELS: Record<Standing, string> = {
  failing: "with failures",
  incomplete: "not fully evaluated",
  awaiting: "awaiting data",
  skipped: "skipped (suspended)",
  compliant: "fully compliant",
};

export const SEVERITIES: readonly ControlEntry["severity"][] = [
  "CRITICAL",
  "HIGH",
  "MEDIUM",
  "LOW",
  "INFORMATIONAL",
];

export interface AccountSummary {
  id: string;
  name: string;
  ouPath: string;
  standing: Standing;
  /** Controls with a NON_COMPLIANT row, in catalogue order. */
  failing: ControlId[];
  /** Rows in ERROR. */
  errors: number;
}

export interface ControlSummary {
  entry: ControlEntry;
  /** Framework ids as the rows carry them (CIS-3.0:1.5;…). */
  frameworks: string;
  /** Accounts with a row of this control that is not SKIPPED (suspended accounts are not counted). */
  accounts: number;
  /** Accounts with a NON_COMPLIANT row of this control (any source). */
  failing: number;
  /** Accounts with an ERROR row of this control. */
  errors: number;
  /** Accounts whose rows of this control are all COMPLIANT. */
  compliant: number;
}

export interface OuNode {
  name: string;
  path: string;
  children: OuNode[];
  accounts: AccountSummary[];
  /** Over this OU and every OU below it. */
  rollup: StandingCounts;
}

/** One failing control of an account, for the list a security lead acts on first. */
export interface UrgentFinding {
  control: ControlId;
  title: string;
  severity: ControlEntry["severity"];
  /** The failing row's reason (the first, when sources disagree in wording). */
  reason: string;
}

/** An account with CRITICAL findings: every CRITICAL and HIGH control it fails, most severe first. */
export interface UrgentAccount {
  id: string;
  name: string;
  ouPath: string;
  findings: UrgentFinding[];
}

export interface PageModel {
  /**
   * Accounts with a CRITICAL control NON_COMPLIANT (a root access key, a root user without MFA…),
   * ranked by severity before count: more CRITICAL controls first, then more HIGH, then by name.
   */
  urgent: UrgentAccount[];
  headline: StandingCounts;
  accounts: AccountSummary[];
  /** Controls in the report, most severe first, then most accounts failing. */
  controls: ControlSummary[];
  /** At most five controls with failing accounts, most accounts failing first. */
  worst: ControlSummary[];
  ouTree: OuNode;
}

export function emptyStandings(): StandingCounts {
  return { failing: 0, incomplete: 0, awaiting: 0, skipped: 0, compliant: 0, total: 0, withErrors: 0 };
}

export function severityRank(severity: string): number {
  const i = SEVERITIES.indexOf(severity as ControlEntry["severity"]);
  return i < 0 ? SEVERITIES.length : i;
}

function standingOf(statuses: Set<ComplianceStatus>): Standing {
  if (statuses.has("NON_COMPLIANT")) return "failing";
  if (statuses.has("ERROR")) return "incomplete";
  if (statuses.has("INSUFFICIENT_DATA")) return "awaiting";
  if (statuses.size === 1 && statuses.has("SKIPPED")) return "skipped";
  return "compliant";
}

/** What the page keeps of an account while the rows are read: never its rows. */
interface AccountTally {
  first: Pick<ReportRow, "accountId" | "accountName" | "ouPath">;
  statuses: Set<ComplianceStatus>;
  /** Controls with a NON_COMPLIANT row, in the order of their first such row. */
  failing: Set<ControlId>;
  errors: number;
  /** The first NON_COMPLIANT row of each failing CRITICAL or HIGH control. */
  urgent: Map<ControlId, UrgentFinding>;
}

/** What the page says, computed from the rows in one read: counts of accounts, not of rows. */
export function pageModel(report: Report): PageModel {
  const byAccount = new Map<string, AccountTally>();
  const byControl = new Map<ControlId, Map<string, Set<ComplianceStatus>>>();
  const frameworks = new Map<ControlId, string>();
  for (const row of report.rows) {
    let a = byAccount.get(row.accountId);
    if (!a) {
      a = {
        first: { accountId: row.accountId, accountName: row.accountName, ouPath: row.ouPath },
        statuses: new Set(),
        failing: new Set(),
        errors: 0,
        urgent: new Map(),
      };
      byAccount.set(row.accountId, a);
    }
    tally(a, row);
    let c = byControl.get(row.control);
    if (!c) {
      c = new Map();
      byControl.set(row.control, c);
      frameworks.set(row.control, row.frameworks);
    }
    let s = c.get(row.accountId);
    if (!s) {
      s = new Set();
      c.set(row.accountId, s);
    }
    s.add(row.status);
  }

  const order = new Map([...byControl.keys()].map((id) => [id, controlEntry(id)]));
  const accounts: AccountSummary[] = [...byAccount.entries()].map(([id, a]) => ({
    id,
    name: a.first.accountName,
    ouPath: a.first.ouPath,
    standing: standingOf(a.statuses),
    failing: [...a.failing],
    errors: a.errors,
  }));
  const headline = emptyStandings();
  for (const a of accounts) count(headline, a);

  const controls: ControlSummary[] = [...byControl.entries()].map(([id, perAccount]) => {
    const statuses = [...perAccount.values()];
    return {
      entry: order.get(id) as ControlEntry,
      frameworks: frameworks.get(id) ?? "",
      accounts: statuses.filter((s) => !(s.size === 1 && s.has("SKIPPED"))).length,
      failing: statuses.filter((s) => s.has("NON_COMPLIANT")).length,
      errors: statuses.filter((s) => s.has("ERROR")).length,
      compliant: statuses.filter((s) => s.size === 1 && s.has("COMPLIANT")).length,
    };
  });
  controls.sort(
    (a, b) =>
      severityRank(a.entry.severity) - severityRank(b.entry.severity) ||
      b.failing - a.failing ||
      a.entry.id.localeCompare(b.entry.id),
  );
  const worst = controls
    .filter((c) => c.failing > 0)
    .sort(
      (a, b) =>
        b.failing - a.failing ||
        severityRank(a.entry.severity) - severityRank(b.entry.severity) ||
        a.entry.id.localeCompare(b.entry.id),
    )
    .slice(0, 5);
  return {
    urgent: urgentAccounts(byAccount.values()),
    headline,
    accounts,
    controls,
    worst,
    ouTree: ouTree(accounts),
  };
}

function count(counts: StandingCounts, account: AccountSummary): void {
  counts[account.standing] += 1;
  counts.total += 1;
  if (account.errors > 0) counts.withErrors += 1;
}

/** The OU tree of the accounts' paths ("Root/Workloads/Prod"), each node counting every account below it. */
export function ouTree(accounts: readonly AccountSummary[]): OuNode {
  const nodes = new Map<string, OuNode>();
  const node = (path: string): OuNode => {
    let n = nodes.get(path);
    if (n) return n;
    const cut = path.lastIndexOf("/");
    n = { name: path.slice(cut + 1), path, children: [], accounts: [], rollup: emptyStandings() };
    nodes.set(path, n);
    if (cut > 0) node(path.slice(0, cut)).children.push(n);
    return n;
  };
  for (const a of accounts) {
    node(a.ouPath).accounts.push(a);
    // Every OU on the path counts the account: the roll-up.
    for (let path = a.ouPath; ; ) {
      count(node(path).rollup, a);
      const cut = path.lastIndexOf("/");
      if (cut <= 0) break;
      path = path.slice(0, cut);
    }
  }
  const roots = [...nodes.values()].filter((n) => !n.path.includes("/"));
  const sort = (n: OuNode): void => {
    n.children.sort((a, b) => a.name.localeCompare(b.name));
    n.accounts.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    n.children.forEach(sort);
  };
  // Paths share one root ("Root"); a report without rows still gets one.
  const root = roots.length === 1 ? (roots[0] as OuNode) : combine(roots);
  sort(root);
  return root;
}

function combine(roots: OuNode[]): OuNode {
  const rollup = emptyStandings();
  for (const r of roots)
    for (const s of [...STANDINGS, "total", "withErrors"] as const) rollup[s] += r.rollup[s];
  return { name: "Root", path: "", children: roots, accounts: [], rollup };
}

function tally(a: AccountTally, r: ReportRow): void {
  a.statuses.add(r.status);
  if (r.status === "ERROR") a.errors += 1;
  if (r.status !== "NON_COMPLIANT") return;
  a.failing.add(r.control);
  if (a.urgent.has(r.control)) return;
  const entry = controlEntry(r.control);
  if (entry.severity !== "CRITICAL" && entry.severity !== "HIGH") return;
  a.urgent.set(r.control, {
    control: r.control,
    title: entry.title,
    severity: entry.severity,
    reason: r.reason,
  });
}

/** The accounts to act on today (see PageModel.urgent). */
function urgentAccounts(accounts: Iterable<AccountTally>): UrgentAccount[] {
  const urgent: Array<UrgentAccount & { rank: number[] }> = [];
  for (const a of accounts) {
    const findings = [...a.urgent.values()].sort(
      (x, y) => severityRank(x.severity) - severityRank(y.severity) || x.control.localeCompare(y.control),
    );
    if (!findings.some((f) => f.severity === "CRITICAL")) continue;
    urgent.push({
      id: a.first.accountId,
      name: a.first.accountName,
      ouPath: a.first.ouPath,
      findings,
      // Failing controls per severity, most severe first: compared in that order (severity before count).
      rank: SEVERITIES.map((s) => findings.filter((f) => f.severity === s).length),
    });
  }
  urgent.sort((x, y) => {
    for (let k = 0; k < x.rank.length; k++) {
      const d = (y.rank[k] ?? 0) - (x.rank[k] ?? 0);
      if (d) return d;
    }
    return x.name.localeCompare(y.name) || x.id.localeCompare(y.id);
  });
  return urgent.map(({ rank: _rank, ...a }) => a);
}
