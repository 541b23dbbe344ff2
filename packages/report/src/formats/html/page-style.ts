/**
 * The page's stylesheet. Status is said by a symbol and a word as well as by colour, so the page
 * reads the same in grey, printed, or to a colour-blind reader; print drops the filters and the
 * scroll box and keeps every text.
 */
export const PAGE_STYLE = `
:root{--ok:#2e7d32;--bad:#c62828;--na:#616161;--wait:#8a6100;--err:#6a1b9a;--skip:#546e7a;--line:#e0e0e0;--muted:#616161}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:24px;max-width:1400px;color:#212121}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
a{color:#1565c0}.meta,small,.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-left-width:6px;border-radius:4px;padding:10px 14px;min-width:180px}
.card b{display:block;font-size:26px;line-height:1.1}
.card.failing{border-left-color:var(--bad)}.card.incomplete{border-left-color:var(--err)}.card.awaiting{border-left-color:var(--wait)}
.card.skipped{border-left-color:var(--skip)}.card.compliant{border-left-color:var(--ok)}
.worst li{margin:2px 0}
#act-today{border:1px solid var(--line);border-left:6px solid var(--bad);border-radius:4px;padding:4px 16px 8px;margin-top:16px}
#act-today h2{margin-top:8px}.urgent>li{margin:6px 0}.urgent ul{margin:2px 0;padding-left:18px}
.account-id{font-variant-numeric:tabular-nums;white-space:nowrap}
.sev{font-size:12px;font-weight:600;letter-spacing:.02em}
.sev-CRITICAL{color:var(--bad)}.sev-HIGH{color:#d84315}.sev-MEDIUM{color:var(--wait)}.sev-LOW,.sev-INFORMATIONAL{color:var(--muted)}
.st{font-weight:600;white-space:nowrap}
.st-COMPLIANT,.s-compliant{color:var(--ok)}.st-NON_COMPLIANT,.s-failing{color:var(--bad)}.st-NOT_APPLICABLE{color:var(--na)}
.st-INSUFFICIENT_DATA,.s-awaiting{color:var(--wait)}.st-ERROR,.s-incomplete{color:var(--err)}.st-SKIPPED,.s-skipped{color:var(--skip)}
.bar{display:inline-flex;width:120px;height:10px;border:1px solid var(--line);vertical-align:middle;margin:0 8px}
.bar i{display:block;height:100%}.bar .failing{background:var(--bad)}.bar .incomplete{background:var(--err)}
.bar .awaiting{background:var(--wait)}.bar .skipped{background:var(--skip)}.bar .compliant{background:var(--ok)}
.ou-tree ul{list-style:none;margin:0;padding-left:22px}.ou-tree>ul{padding-left:0}
.ou-tree summary{cursor:pointer;padding:3px 0}.ou-tree .ou-name{font-weight:600}
.ou-tree li.account{padding:2px 0}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:8px 0}
.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:4px 6px;min-width:160px;max-width:340px}.filters input{min-width:240px}
#findings-viewport{max-height:70vh;overflow:auto;border:1px solid var(--line)}
#findings{table-layout:fixed}#findings thead th{position:sticky;top:0;z-index:1;cursor:pointer;user-select:none}
#findings th[aria-sort=ascending]::after{content:" ▲"}#findings th[aria-sort=descending]::after{content:" ▼"}
#findings tr.finding{height:44px;cursor:pointer}#findings tr.finding:hover,#findings tr.finding:focus{background:#f5f9ff;outline:none}
#findings td{padding:5px 8px;line-height:16px;font-size:13px;overflow:hidden}
#findings tr.spacer td,#findings tr.spacer{border:0;padding:0}
.account-cell{display:flex;flex-direction:column}
.account-name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.account-cell .account-id{white-space:nowrap}
.clamp.path{word-break:normal;overflow-wrap:anywhere}
.clamp{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;word-break:break-word}
#finding-detail{border:1px solid var(--line);border-radius:4px;padding:8px 14px;margin-top:8px;background:#fafafa}
#finding-detail dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}#finding-detail dt{font-weight:600}
.legend span{margin-right:14px}
@media print{
  body{padding:0;max-width:none;font-size:11px}
  .filters,#finding-detail,[data-filter],noscript{display:none!important}
  #findings-viewport{max-height:none;overflow:visible;border:0}
  #findings thead th{position:static}
  .clamp{display:block;-webkit-line-clamp:unset;overflow:visible}
  #findings tr.finding{height:auto;break-inside:avoid}
  .card,.bar{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  h2{break-after:avoid}
}
`;
