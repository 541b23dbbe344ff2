/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { FindingsData } from "./findings-data.js";

/**
 * The page's only script: the findings table (filter, search, sort) drawn a screenful at a time, so
 * that 60,000 rows stay fast. It runs in the browser: format-html.ts inlines its source
 * (`Function.prototype.toString`), so it must not use anything outside its own body. It reads the
 * rows from <script id="findings-data" type="application/json"> and builds cells with textContent
 * (never innerHTML), so no string from AWS becomes markup.
 */
export function findingsTable(doc: Document): void {
  performance.mark("orgwarden:findings-start");
  const ROW_HEIGHT = 44;
  const OVERSCAN = 12;
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const data = JSON.parse($("findings-data").textContent ?? "{}") as FindingsData;
  const viewport = $<HTMLDivElement>("findings-viewport");
  const body = $<HTMLTableSectionElement>("findings-rows");
  const shown = $("findings-shown");
  const detail = $("finding-detail");
  const filters = {
    status: $<HTMLSelectElement>("f-status"),
    severity: $<HTMLSelectElement>("f-severity"),
    control: $<HTMLSelectElement>("f-control"),
    ou: $<HTMLSelectElement>("f-ou"),
    search: $<HTMLInputElement>("f-search"),
  };
  // Each row is data.fields.length numbers, in the order data.fields names them.
  const stride = data.fields.length;
  const F = Object.fromEntries(data.fields.map((name, k) => [name, k])) as Record<
    FindingsData["fields"][number],
    number
  >;
  const n = data.rows.length / stride;
  const field = (i: number, f: number) => data.rows[i * stride + f] as number;
  const account = (i: number) => data.accounts[field(i, F.account)] as [string, string, number];
  const control = (i: number) => data.controls[field(i, F.control)] as [string, string, number];
  const text = (i: number, f: number) => data.strings[field(i, f)] ?? "";
  const ouOf = (i: number) => data.ous[account(i)[2]] ?? "";
  // The worst first: NON_COMPLIANT, ERROR, INSUFFICIENT_DATA, COMPLIANT, NOT_APPLICABLE, SKIPPED.
  const statusOrder = [
    "NON_COMPLIANT",
    "ERROR",
    "INSUFFICIENT_DATA",
    "COMPLIANT",
    "NOT_APPLICABLE",
    "SKIPPED",
  ];
  const statusRank = data.statuses.map((s) => statusOrder.indexOf(s));
  // Search text per row, made on the first search (most page views never search).
  let haystack: string[] | undefined;
  const searchText = () => {
    if (haystack) return haystack;
    haystack = [];
    for (let i = 0; i < n; i++) {
      const [id, name] = account(i);
      haystack.push(
        [
          id,
          name,
          ouOf(i),
          control(i)[0],
          control(i)[1],
          text(i, F.region),
          text(i, F.reason),
          text(i, F.resourceId),
        ]
          .join("\n")
          .toLowerCase(),
      );
    }
    return haystack;
  };
  // Sorting compares small integers: each key's rank, computed once (60,000 rows sort in milliseconds).
  const rankBy = (size: number, value: (k: number) => string) => {
    const order = [...Array(size).keys()].sort((a, b) => value(a).localeCompare(value(b)));
    const rank = new Array<number>(size);
    order.forEach((k, r) => {
      rank[k] = r;
    });
    return rank;
  };
  const accountRank = rankBy(data.accounts.length, (k) => {
    const [id, name] = data.accounts[k] as [string, string, number];
    return `${name.toLowerCase()}\u0000${id}`;
  });
  const ouRank = rankBy(data.ous.length, (k) => data.ous[k] ?? "");
  const controlRank = rankBy(data.controls.length, (k) => data.controls[k]?.[0] ?? "");
  const regionRank = rankBy(data.strings.length, (k) => data.strings[k] ?? "");
  const keys: Record<string, (i: number) => number> = {
    account: (i) => accountRank[field(i, F.account)] as number,
    ou: (i) => ouRank[account(i)[2]] as number,
    control: (i) => controlRank[field(i, F.control)] as number,
    severity: (i) => control(i)[2],
    region: (i) => regionRank[field(i, F.region)] as number,
    status: (i) => statusRank[field(i, F.status)] as number,
  };
  const compare = (a: number, b: number, key: string): number => {
    const f = keys[key] as (i: number) => number;
    return f(a) - f(b);
  };
  let sortKey = "status";
  /** The row the detail panel shows, if any. */
  let detailRow: number | undefined;
  let ascending = true;
  let visible: number[] = [];

  const option = (select: HTMLSelectElement, value: string, label: string) => {
    const o = doc.createElement("option");
    o.value = value;
    o.textContent = label;
    select.append(o);
  };
  const counts = (f: number, size: number) => {
    const c = new Array<number>(size).fill(0);
    for (let i = 0; i < n; i++) c[field(i, f)] = (c[field(i, f)] as number) + 1;
    return c;
  };
  const byStatus = counts(F.status, data.statuses.length);
  data.statuses.forEach((s, k) => {
    if (byStatus[k]) option(filters.status, String(k), `${data.symbols[k]} ${s} (${byStatus[k]})`);
  });
  const severities = new Set(data.controls.map((c) => c[2]));
  data.severities.forEach((s, k) => {
    if (severities.has(k)) option(filters.severity, String(k), s);
  });
  [...data.controls.keys()]
    .sort((a, b) => (data.controls[a]?.[0] ?? "").localeCompare(data.controls[b]?.[0] ?? ""))
    .forEach((k) => {
      const c = data.controls[k] as [string, string, number];
      option(filters.control, String(k), `${c[0]}: ${c[1]}`);
    });
  // Every OU on every path, so that a parent OU's filter holds the accounts of its children.
  const paths = new Set<string>();
  for (const p of data.ous) {
    const parts = p.split("/");
    for (let k = 1; k <= parts.length; k++) paths.add(parts.slice(0, k).join("/"));
  }
  for (const p of [...paths].sort()) option(filters.ou, p, p);

  const cell = (tr: HTMLTableRowElement, value: string, small?: string, cls?: string) => {
    const td = doc.createElement("td");
    const div = doc.createElement("div");
    div.className = cls ?? "clamp";
    div.textContent = value;
    if (small) {
      const s = doc.createElement("small");
      s.textContent = small;
      div.append(doc.createElement("br"), s);
    }
    td.append(div);
    tr.append(td);
  };
  // An OU path breaks at its slashes (<wbr>), not in the middle of an OU's name.
  const pathNodes = (path: string): Node[] =>
    path
      .split("/")
      .flatMap((part, k) =>
        k === 0
          ? [doc.createTextNode(part)]
          : [doc.createTextNode("/"), doc.createElement("wbr"), doc.createTextNode(part)],
      );
  // The account's name takes one line (cut with …) so that its id always shows on the second.
  const accountCell = (tr: HTMLTableRowElement, name: string, id: string) => {
    const td = doc.createElement("td");
    const div = doc.createElement("div");
    div.className = "account-cell";
    const b = doc.createElement("span");
    b.className = "account-name";
    b.textContent = name;
    b.title = name;
    const s = doc.createElement("small");
    s.className = "account-id";
    s.textContent = id;
    div.append(b, s);
    td.append(div);
    tr.append(td);
  };
  const row = (i: number): HTMLTableRowElement => {
    const tr = doc.createElement("tr");
    tr.className = "finding";
    tr.tabIndex = 0;
    tr.dataset.row = String(i);
    const [id, name] = account(i);
    const [controlId, title, severity] = control(i);
    const status = data.statuses[field(i, F.status)] as string;
    accountCell(tr, name, id);
    const ouTd = doc.createElement("td");
    const ouDiv = doc.createElement("div");
    ouDiv.className = "clamp path";
    ouDiv.append(...pathNodes(ouOf(i)));
    ouTd.append(ouDiv);
    tr.append(ouTd);
    cell(tr, controlId, `${title} · ${data.sources[field(i, F.source)]}`);
    cell(tr, data.severities[severity] ?? "");
    cell(tr, text(i, F.region));
    cell(tr, `${data.symbols[field(i, F.status)]} ${status}`, undefined, `clamp st st-${status}`);
    cell(tr, text(i, F.reason));
    cell(tr, text(i, F.resourceId), text(i, F.resourceType));
    return tr;
  };
  const spacer = (height: number) => {
    const tr = doc.createElement("tr");
    tr.className = "spacer";
    tr.style.height = `${height}px`;
    return tr;
  };

  let printing = false;
  const draw = () => {
    if (printing) return;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    // The box grows with its rows up to 70% of the window: draw enough rows to fill the window.
    const height = Math.max(viewport.clientHeight, window.innerHeight);
    const last = Math.min(visible.length, first + Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN);
    const rows: HTMLTableRowElement[] = [spacer(first * ROW_HEIGHT)];
    for (let k = first; k < last; k++) rows.push(row(visible[k] as number));
    rows.push(spacer((visible.length - last) * ROW_HEIGHT));
    body.replaceChildren(...rows);
  };
  const apply = () => {
    const status = filters.status.value === "" ? -1 : Number(filters.status.value);
    const severity = filters.severity.value === "" ? -1 : Number(filters.severity.value);
    const controlIndex = filters.control.value === "" ? -1 : Number(filters.control.value);
    const ou = filters.ou.value;
    const words = filters.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    visible = [];
    for (let i = 0; i < n; i++) {
      if (status >= 0 && field(i, F.status) !== status) continue;
      if (controlIndex >= 0 && field(i, F.control) !== controlIndex) continue;
      if (severity >= 0 && control(i)[2] !== severity) continue;
      if (ou) {
        const path = ouOf(i);
        if (path !== ou && !path.startsWith(`${ou}/`)) continue;
      }
      if (words.length && !words.every((w) => (searchText()[i] as string).includes(w))) continue;
      visible.push(i);
    }
    const sign = ascending ? 1 : -1;
    const tieBreak = ["status", "severity", "ou", "account", "control", "region"];
    visible.sort((a, b) => {
      const first = compare(a, b, sortKey) * sign;
      if (first) return first;
      for (const k of tieBreak) {
        const c = compare(a, b, k);
        if (c) return c;
      }
      return a - b;
    });
    shown.textContent = `Showing ${visible.length.toLocaleString("en")} of ${n.toLocaleString("en")} findings`;
    for (const th of doc.querySelectorAll<HTMLTableCellElement>("#findings th[data-sort]")) {
      th.setAttribute(
        "aria-sort",
        th.dataset.sort === sortKey ? (ascending ? "ascending" : "descending") : "none",
      );
    }
    // The detail panel shows a row the filters select, or nothing: never one they now hide.
    if (detailRow !== undefined && !visible.includes(detailRow)) {
      detailRow = undefined;
      detail.replaceChildren();
      detail.hidden = true;
    }
    viewport.scrollTop = 0;
    draw();
  };

  const show = (i: number) => {
    const [id, name] = account(i);
    const [controlId, title] = control(i);
    const status = data.statuses[field(i, F.status)] as string;
    const template = doc.querySelector<HTMLTemplateElement>(`template[data-control="${controlId}"]`);
    const parts: Array<[string, string]> = [
      ["Account", `${name} (${id}), ${ouOf(i)}`],
      ["Control", `${controlId}: ${title} (source: ${data.sources[field(i, F.source)]})`],
      ["Status", `${data.symbols[field(i, F.status)]} ${status}`],
      ["Region", text(i, F.region) || "global"],
      ["Reason", text(i, F.reason)],
      ["Resource", `${text(i, F.resourceType)} ${text(i, F.resourceId)}`.trim()],
    ];
    const dl = doc.createElement("dl");
    for (const [k, v] of parts) {
      const dt = doc.createElement("dt");
      dt.textContent = k;
      const dd = doc.createElement("dd");
      dd.textContent = v;
      dl.append(dt, dd);
    }
    detail.replaceChildren(dl);
    if (template) detail.append(template.content.cloneNode(true));
    detail.hidden = false;
    detailRow = i;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  filters.search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  for (const select of [filters.status, filters.severity, filters.control, filters.ou])
    select.addEventListener("change", apply);
  viewport.addEventListener("scroll", () => requestAnimationFrame(draw), { passive: true });
  body.addEventListener("click", (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>("tr.finding");
    if (tr) show(Number(tr.dataset.row));
  });
  body.addEventListener("keydown", (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLTableRowElement>("tr.finding");
    if (tr && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      show(Number(tr.dataset.row));
    }
  });
  for (const th of doc.querySelectorAll<HTMLTableCellElement>("#findings th[data-sort]")) {
    const sortBy = () => {
      const key = th.dataset.sort as string;
      ascending = key === sortKey ? !ascending : true;
      sortKey = key;
      apply();
    };
    th.addEventListener("click", sortBy);
    th.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        sortBy();
      }
    });
  }
  // Links elsewhere on the page ("show the findings of this OU / control") set the filters.
  doc.addEventListener("click", (e) => {
    const a = (e.target as HTMLElement).closest<HTMLElement>("[data-filter]");
    if (!a) return;
    e.preventDefault();
    const [kind, value] = (a.dataset.filter ?? "").split("=", 2) as [string, string];
    filters.status.value = "";
    filters.severity.value = "";
    filters.control.value = "";
    filters.ou.value = "";
    filters.search.value = "";
    if (kind === "ou") filters.ou.value = value;
    if (kind === "control")
      filters.control.value = String(data.controls.findIndex(([controlId]) => controlId === value));
    if (kind === "status") filters.status.value = String(data.statuses.indexOf(value));
    if (kind === "account") filters.search.value = value;
    if (kind === "severity") {
      // "Every CRITICAL finding": the failing rows of that severity.
      filters.severity.value = String(data.severities.indexOf(value));
      filters.status.value = String(data.statuses.indexOf("NON_COMPLIANT"));
    }
    apply();
    $("findings-section").scrollIntoView();
  });
  // Print what the filters select, every row, not just a screenful.
  window.addEventListener("beforeprint", () => {
    printing = true;
    body.replaceChildren(...visible.map(row));
  });
  window.addEventListener("afterprint", () => {
    printing = false;
    draw();
  });
  $("findings-controls").hidden = false;
  apply();
  performance.mark("orgwarden:findings-ready");
}
