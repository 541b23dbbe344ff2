import { COMPLIANCE_STATUSES } from "@orgwarden/core";
import type { AccountRef, ReportChanges } from "../compare-reports.js";
import type { Report } from "../report-model.js";
import { embeddedJson, findingsData, STATUS_SYMBOLS } from "./html/findings-data.js";
import {
  type ControlSummary,
  type OuNode,
  type PageModel,
  pageModel,
  STANDING_LABELS,
  STANDINGS,
  type Standing,
  type StandingCounts,
} from "./html/page-model.js";
import { findingsTable } from "./html/page-script.js";
import { PAGE_STYLE } from "./html/page-style.js";

/** An OU path that wraps at its slashes rather than anywhere (or not at all). */
export function pathHtml(path: string): string {
  return escapeHtml(path).replaceAll("/", "/<wbr>");
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** What a scheduled run adds to its page: the SCP drift its detect entries found, what changed. */
export interface ReportPageExtras {
  scpDrift?: Array<{ target: string; drift: string[] }>;
  changes?: ReportChanges;
}

const STANDING_SYMBOLS: Record<Standing, string> = {
  failing: STATUS_SYMBOLS.NON_COMPLIANT,
  incomplete: STATUS_SYMBOLS.ERROR,
  awaiting: STATUS_SYMBOLS.INSUFFICIENT_DATA,
  skipped: STATUS_SYMBOLS.SKIPPED,
  compliant: STATUS_SYMBOLS.COMPLIANT,
};

/** What each headline card counts: "not fully evaluated" counts every account with an ERROR row, failing too. */
const STANDING_HELP: Record<Standing, string> = {
  failing: "at least one NON_COMPLIANT row",
  incomplete: "at least one ERROR row: unreachable, or a read that failed",
  awaiting: "no failure or error, but INSUFFICIENT_DATA rows",
  skipped: "suspended: every row SKIPPED",
  compliant: "every row COMPLIANT or NOT_APPLICABLE",
};

const n = (x: number) => x.toLocaleString("en");
const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? "" : "s"}`;

/**
 * One self-contained page (inline CSS and script, no network: it works from file:// and from an S3
 * link): a headline in accounts, each control with what to do, the OU tree rolled up, and every row in
 * a findings table that filters, searches and sorts, drawn a screenful at a time.
 */
export function formatReportHtml(report: Report, extras: ReportPageExtras = {}): string {
  const model = pageModel(report);
  const title = `orgwarden compliance report, ${report.organizationId}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style></head><body>
<header>
<h1>orgwarden compliance report</h1>
<p class="meta">Organization ${escapeHtml(report.organizationId)} · ${plural(model.headline.total, "account")} · ${plural(report.rows.length, "row")} · generated ${escapeHtml(report.generatedAt)}</p>
</header>
${urgentSection(model)}
${headline(model)}
${changesSection(extras.changes)}
${driftSection(extras)}
${controlsSection(model)}
${ouSection(model)}
${findingsSection()}
${legend()}
<script type="application/json" id="findings-data">${embeddedJson(findingsData(report))}</script>
<script>(${findingsTable.toString()})(document);</script>
</body></html>
`;
}

/** Accounts named in full before the rest are counted: the list must stay readable at the top. */
const URGENT_SHOWN = 10;

/** What a security lead acts on today: each account's CRITICAL (and HIGH) failures, worst first. */
function urgentSection(model: PageModel): string {
  const u = model.urgent;
  if (u.length === 0)
    return `<section id="act-today"><h2>Act on today</h2><p class="s-compliant">${STATUS_SYMBOLS.COMPLIANT} No account fails a CRITICAL control.</p></section>`;
  // Each CRITICAL failure with its reason (what is wrong); the HIGH ones by name only, to keep the list short.
  const item = (a: PageModel["urgent"][number]) => {
    const critical = a.findings.filter((f) => f.severity === "CRITICAL");
    const high = a.findings.filter((f) => f.severity !== "CRITICAL");
    return `<li data-account="${escapeHtml(a.id)}"><b>${escapeHtml(a.name)}</b> <small class="account-id">${escapeHtml(a.id)}</small> <small class="path">${pathHtml(a.ouPath)}</small> <a href="#findings-section" data-filter="account=${escapeHtml(a.id)}">findings</a><ul>${critical
      .map(
        (f) =>
          `<li data-control="${escapeHtml(f.control)}"><span class="sev sev-${f.severity}">${f.severity}</span> <b title="${escapeHtml(f.title)}">${escapeHtml(f.control)}</b>: ${escapeHtml(f.reason)}</li>`,
      )
      .join("")}${
      high.length
        ? `<li class="also"><span class="sev sev-HIGH">HIGH</span> also fails ${high.map((f) => `<span title="${escapeHtml(f.title)}">${escapeHtml(f.control)}</span>`).join(", ")}</li>`
        : ""
    }</ul></li>`;
  };
  const more = u.length - URGENT_SHOWN;
  return `<section id="act-today"><h2>Act on today</h2><p>${plural(u.length, "account")} ${u.length === 1 ? "fails" : "fail"} a CRITICAL control: most CRITICAL controls first, then HIGH.</p><ol class="urgent">${u
    .slice(0, URGENT_SHOWN)
    .map(item)
    .join(
      "",
    )}</ol>${more > 0 ? `<p>… and ${plural(more, "more account")}: <a href="#findings-section" data-filter="severity=CRITICAL">every CRITICAL finding</a>.</p>` : ""}</section>`;
}

function headline(model: PageModel): string {
  const h = model.headline;
  const card = (s: Standing, value: number) =>
    `<div class="card ${s}" data-standing="${s}"><b>${n(value)}</b>${STANDING_SYMBOLS[s]} ${s === "compliant" ? `of ${n(h.total)} accounts ` : "accounts "}${STANDING_LABELS[s]}<br><small>${escapeHtml(STANDING_HELP[s])}</small></div>`;
  // The three a reader looks for are always there; the others when they happen. An account that
  // fails and could not be fully read is in both "with failures" and "not fully evaluated".
  const cards = [
    card("compliant", h.compliant),
    card("failing", h.failing),
    card("incomplete", h.withErrors),
    h.awaiting ? card("awaiting", h.awaiting) : "",
    h.skipped ? card("skipped", h.skipped) : "",
  ];
  const worst = model.worst.length
    ? `<p><b>Worst controls</b></p><ol class="worst">${model.worst
        .map(
          (c) =>
            `<li data-control="${escapeHtml(c.entry.id)}"><b>${n(c.failing)} of ${n(c.accounts)}</b> accounts fail <a href="#control-${escapeHtml(c.entry.id)}">${escapeHtml(c.entry.title)}</a> <span class="sev sev-${c.entry.severity}">${c.entry.severity}</span></li>`,
        )
        .join("")}</ol>`
    : `<p class="s-compliant">${STATUS_SYMBOLS.COMPLIANT} No control fails in any account.</p>`;
  return `<section id="headline"><div class="cards">${cards.join("")}</div>${worst}</section>`;
}

function changesSection(c: ReportChanges | undefined): string {
  if (!c) return "";
  const account = (a: AccountRef) =>
    `${escapeHtml(a.accountName)} <small>${escapeHtml(a.accountId)} · ${pathHtml(a.ouPath)}</small>`;
  const list = (title: string, cls: string, items: string[]) =>
    items.length
      ? `<h3 class="${cls}">${escapeHtml(title)} (${n(items.length)})</h3><ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`
      : "";
  const body = [
    list(
      "Became NON_COMPLIANT",
      "s-failing",
      c.becameNonCompliant.map(
        (r) =>
          `<span class="st st-NON_COMPLIANT">${STATUS_SYMBOLS.NON_COMPLIANT}</span> ${account(r)} <b>${escapeHtml(r.control)}</b>: ${escapeHtml(r.reason)} <small>(${r.from === null ? "new" : `was ${r.from}`})</small>`,
      ),
    ),
    list(
      "Fixed",
      "s-compliant",
      c.fixed.map(
        (r) =>
          `<span class="st st-COMPLIANT">${STATUS_SYMBOLS.COMPLIANT}</span> ${account(r)} <b>${escapeHtml(r.control)}</b> <small>(was ${r.from}, now ${r.to})</small>`,
      ),
    ),
    list("Accounts added", "", c.accountsAdded.map(account)),
    list("Accounts removed", "", c.accountsRemoved.map(account)),
  ].join("");
  return `<section id="changes"><h2>What changed since the last run</h2><p class="meta">${escapeHtml(c.previousGeneratedAt)} → ${escapeHtml(c.generatedAt)}</p>${body || "<p>No row changed status, and no account came or went.</p>"}</section>`;
}

function driftSection(extras: ReportPageExtras): string {
  if (!extras.scpDrift?.length) return "";
  return `<section id="scp-drift"><h2>SCP drift</h2><p>What the run's detect entries found different from the policies orgwarden would attach:</p><ul>${extras.scpDrift
    .map(
      (d) =>
        `<li><b>${escapeHtml(d.target)}</b>: ${
          d.drift.length
            ? `<span class="st st-NON_COMPLIANT">${STATUS_SYMBOLS.NON_COMPLIANT} drift</span><ul>${d.drift.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ul>`
            : `<span class="st st-COMPLIANT">${STATUS_SYMBOLS.COMPLIANT} no drift</span>`
        }</li>`,
    )
    .join("")}</ul></section>`;
}

function controlsSection(model: PageModel): string {
  const row = (c: ControlSummary) => {
    const id = escapeHtml(c.entry.id);
    return `<tr id="control-${id}" data-control="${id}" data-failing="${c.failing}" data-accounts="${c.accounts}">
<td><b>${escapeHtml(c.entry.title)}</b><br><small>${id}</small></td>
<td><span class="sev sev-${c.entry.severity}">${c.entry.severity}</span></td>
<td class="n">${c.failing ? `<span class="st st-NON_COMPLIANT">${STATUS_SYMBOLS.NON_COMPLIANT} ${n(c.failing)}</span>` : `<span class="st st-COMPLIANT">${STATUS_SYMBOLS.COMPLIANT} 0</span>`} of ${n(c.accounts)}${c.errors ? `<br><span class="st st-ERROR">${STATUS_SYMBOLS.ERROR} ${n(c.errors)} ERROR</span>` : ""}</td>
<td><small>${escapeHtml(c.frameworks.replaceAll(";", " · "))}</small></td>
<td>${escapeHtml(c.entry.remediation)} <a href="${escapeHtml(c.entry.link)}">AWS</a> · <a href="#findings-section" data-filter="control=${id}">findings</a></td>
</tr>`;
  };
  const templates = model.controls
    .map(
      (c) =>
        `<template data-control="${escapeHtml(c.entry.id)}"><p><b>What to do:</b> ${escapeHtml(c.entry.remediation)} <a href="${escapeHtml(c.entry.link)}">${escapeHtml(c.entry.link)}</a></p></template>`,
    )
    .join("");
  return `<section id="controls"><h2>Controls</h2>
<table><thead><tr><th>Control</th><th>Severity</th><th>Accounts failing</th><th>Frameworks</th><th>What to do</th></tr></thead>
<tbody>${model.controls.map(row).join("")}</tbody></table>${templates}</section>`;
}

function countsText(c: StandingCounts): string {
  return [
    plural(c.total, "account"),
    ...STANDINGS.filter((s) => c[s] > 0 && s !== "incomplete").map((s) => `${n(c[s])} ${STANDING_LABELS[s]}`),
    ...(c.withErrors ? [`${n(c.withErrors)} ${STANDING_LABELS.incomplete}`] : []),
  ].join(" · ");
}

function bar(c: StandingCounts): string {
  if (!c.total) return "";
  return `<span class="bar" aria-hidden="true">${STANDINGS.filter((s) => c[s] > 0)
    .map((s) => `<i class="${s}" style="width:${((100 * c[s]) / c.total).toFixed(2)}%"></i>`)
    .join("")}</span>`;
}

function ouSection(model: PageModel): string {
  const node = (ou: OuNode, open: boolean): string => {
    const data = [
      ...STANDINGS.map((s) => ` data-${s}="${ou.rollup[s]}"`),
      ` data-with-errors="${ou.rollup.withErrors}"`,
    ].join("");
    const accounts = ou.accounts
      .map((a) => {
        const what =
          a.standing === "failing"
            ? `fails ${a.failing.map(escapeHtml).join(", ")}`
            : a.standing === "incomplete"
              ? `${plural(a.errors, "ERROR row")}`
              : STANDING_LABELS[a.standing];
        const errors = a.standing === "failing" && a.errors ? `; ${plural(a.errors, "ERROR row")}` : "";
        return `<li class="account" data-account="${escapeHtml(a.id)}" data-standing="${a.standing}"><span class="st s-${a.standing}">${STANDING_SYMBOLS[a.standing]}</span> ${escapeHtml(a.name)} <small>${escapeHtml(a.id)}</small> · <span class="s-${a.standing}">${what}</span>${errors} <a href="#findings-section" data-filter="account=${escapeHtml(a.id)}">findings</a></li>`;
      })
      .join("");
    return `<li class="ou" data-ou="${escapeHtml(ou.path)}" data-total="${ou.rollup.total}"${data}><details${open ? " open" : ""}><summary><span class="ou-name">${escapeHtml(ou.name)}</span>${bar(ou.rollup)}<span class="counts">${countsText(ou.rollup)}</span> <a href="#findings-section" data-filter="ou=${escapeHtml(ou.path)}">findings</a></summary><ul>${ou.children.map((c) => node(c, false)).join("")}${accounts}</ul></details></li>`;
  };
  return `<section id="ous"><h2>Organizational units</h2><p class="muted">Each OU counts every account below it. Expand an OU for its OUs and accounts.</p>
<div class="ou-tree"><ul>${node(model.ouTree, true)}</ul></div></section>`;
}

function findingsSection(): string {
  const columns: Array<[string, string, string]> = [
    ["account", "Account", "14%"],
    ["ou", "OU path", "11%"],
    ["control", "Control", "16%"],
    ["severity", "Severity", "7%"],
    ["region", "Region", "7%"],
    ["status", "Status", "14%"],
    ["", "Reason", "20%"],
    ["", "Resource", "11%"],
  ];
  return `<section id="findings-section"><h2>Findings</h2>
<noscript><p>The findings table needs JavaScript; the CSV and JSON reports hold the same rows.</p></noscript>
<div id="findings-controls" class="filters" hidden>
<label>Status<select id="f-status"><option value="">all</option></select></label>
<label>Severity<select id="f-severity"><option value="">all</option></select></label>
<label>Control<select id="f-control"><option value="">all</option></select></label>
<label>OU<select id="f-ou"><option value="">all</option></select></label>
<label>Search<input id="f-search" type="search" placeholder="account, user, reason, resource…"></label>
<span id="findings-shown" aria-live="polite"></span>
</div>
<div id="findings-viewport"><table id="findings"><colgroup>${columns.map(([, , w]) => `<col style="width:${w}">`).join("")}</colgroup>
<thead><tr>${columns.map(([key, label]) => (key ? `<th data-sort="${key}" tabindex="0" aria-sort="none">${label}</th>` : `<th>${label}</th>`)).join("")}</tr></thead>
<tbody id="findings-rows"></tbody></table></div>
<div id="finding-detail" hidden></div>
<p class="muted">Click a row for its full reason and what to do. Printing prints every row the filters select.</p></section>`;
}

function legend(): string {
  return `<footer><h2>Statuses</h2><p class="legend">${COMPLIANCE_STATUSES.map(
    (s) => `<span class="st st-${s}">${STATUS_SYMBOLS[s]} ${s}</span>`,
  ).join("")}</p></footer>`;
}
