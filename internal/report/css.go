package report

// pageCSS is the report's only style sheet; it uses system fonts so that
// nothing is fetched.
const pageCSS = `
:root{--fg:#1d232b;--muted:#66707c;--line:#d5dae0;--bg:#ffffff;--soft:#f4f6f8;
--direct:#2e7d32;--transform:#1565c0;--redesign:#e08a00;--manual:#c62828;
--connect:#5e35b1;--eum:#00838f;--ses:#6d4c41;--none:#757575}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 32px 8px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{margin:0 0 4px;font-size:22px}
.meta{color:var(--muted);margin:0 0 8px}
nav#toc{padding:8px 32px;border-bottom:1px solid var(--line)}
nav#toc h2{font-size:15px;margin:6px 0}
nav#toc ol{margin:0;padding-left:22px}
nav#toc ol ol{columns:2;font-size:13px}
main{padding:0 32px 32px;max-width:1500px}
section{margin-top:8px}
h2{font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:28px}
h3{font-size:16px;margin:20px 0 8px}
h4{font-size:14px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft);font-weight:600}
table.counts{width:auto;min-width:260px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.doc{font-size:12.5px;max-width:520px}
table.findings{table-layout:fixed}
table.findings th:nth-child(1){width:11%}table.findings th:nth-child(2){width:7%}
table.findings th:nth-child(3){width:14%}table.findings th:nth-child(4){width:30%}
table.findings th:nth-child(5){width:13%}table.findings th:nth-child(6){width:25%}
table.findings td{overflow-wrap:anywhere}
table.resources td{overflow-wrap:anywhere}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted);font-size:12.5px}
.evidence{color:var(--muted);font-size:12px;max-width:360px}
.where{color:var(--muted)}
.warn{color:var(--manual)}
ul.tight{margin:0;padding-left:18px}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;color:#fff;background:var(--none);white-space:nowrap}
.cls-direct{background:var(--direct)}.cls-transform{background:var(--transform)}
.cls-redesign{background:var(--redesign)}.cls-manual{background:var(--manual)}.cls-other{background:var(--none)}
.dest-connect{background:var(--connect)}.dest-end-user-messaging{background:var(--eum)}
.dest-ses{background:var(--ses)}.dest-none,.dest-other{background:var(--none)}
a.flink{display:inline-block;color:#fff;padding:0 5px;border-radius:4px;font:11.5px ui-monospace,Menlo,Consolas,monospace;margin:1px 0}
.phase{display:inline-block;min-width:92px;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;background:var(--soft);min-width:150px}
.card .big{display:block;font-size:24px;font-weight:700}
.card.auto{border-left:5px solid var(--transform)}.card.people{border-left:5px solid var(--manual)}
.statement{max-width:1000px}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart-box{margin:0;border:1px solid var(--line);border-radius:8px;padding:8px}
.chart-box figcaption{font-weight:600;margin-bottom:4px}
.grid2{display:flex;flex-wrap:wrap;gap:24px}
svg.chart .bar-label,svg.chart .bar-count{font-size:12px;fill:var(--fg)}
svg.chart rect.bar{fill:#607d8b}
svg.chart rect.cls-direct{fill:var(--direct)}svg.chart rect.cls-transform{fill:var(--transform)}
svg.chart rect.cls-redesign{fill:var(--redesign)}svg.chart rect.cls-manual{fill:var(--manual)}
svg.chart rect.dest-connect{fill:var(--connect)}svg.chart rect.dest-end-user-messaging{fill:var(--eum)}
svg.chart rect.dest-ses{fill:var(--ses)}svg.chart rect.dest-none,svg.chart rect.dest-other,svg.chart rect.cls-other{fill:var(--none)}
figure.journey{margin:16px 0 28px;border:1px solid var(--line);border-radius:8px;padding:10px}
figure.journey figcaption{margin-bottom:6px}
.scroll{overflow:auto;max-width:100%}
svg.journey-diagram{background:#fbfcfd;font-size:12.5px}
svg.journey-diagram .node rect.box{fill:#fff;stroke:#90a4ae;stroke-width:1.5}
svg.journey-diagram .t-message rect.box{fill:#e8f0fe}
svg.journey-diagram .t-wait rect.box{fill:#eceff1}
svg.journey-diagram .t-split rect.box{fill:#fff8e1}
svg.journey-diagram .t-holdout rect.box{fill:#f3e5f5}
svg.journey-diagram .t-unknown rect.box{fill:#fafafa}
svg.journey-diagram .node.has-transform rect.box{stroke:var(--transform);stroke-width:2.5}
svg.journey-diagram .node.has-redesign rect.box{stroke:var(--redesign);stroke-width:2.5}
svg.journey-diagram .node.has-manual rect.box{stroke:var(--manual);stroke-width:2.5}
svg.journey-diagram .node.unreached rect.box{stroke-dasharray:6 4;opacity:.75}
svg.journey-diagram text{fill:var(--fg)}
svg.journey-diagram text.head{font-weight:600}
svg.journey-diagram text.param{fill:#37474f}
svg.journey-diagram path.edge{fill:none;stroke:#78909c;stroke-width:1.5}
svg.journey-diagram path.edge.back{stroke-dasharray:5 4;stroke:#8d6e63}
svg.journey-diagram path.edge.dangling{stroke:var(--manual)}
svg.journey-diagram .arrowhead{fill:#78909c}
svg.journey-diagram .start rect{fill:#e8f5e9;stroke:var(--direct)}
svg.journey-diagram .start text{font-weight:600}
svg.journey-diagram .missing rect{fill:#ffebee;stroke:var(--manual);stroke-dasharray:4 3}
svg.journey-diagram .edge-label rect{fill:#fff;stroke:#cfd8dc}
svg.journey-diagram .edge-label text{font-size:11px;fill:#455a64}
svg.journey-diagram .finding-marker circle{stroke:#fff;stroke-width:2;fill:var(--none)}
svg.journey-diagram .finding-marker.cls-direct circle{fill:var(--direct)}
svg.journey-diagram .finding-marker.cls-transform circle{fill:var(--transform)}
svg.journey-diagram .finding-marker.cls-redesign circle{fill:var(--redesign)}
svg.journey-diagram .finding-marker.cls-manual circle{fill:var(--manual)}
svg.journey-diagram .finding-marker text{fill:#fff;font-weight:700;font-size:12px}
.legend .lg{display:inline-block;padding:0 8px;border:1.5px solid #90a4ae;border-radius:5px;font-size:12px}
.legend .t-message{background:#e8f0fe}.legend .t-wait{background:#eceff1}.legend .t-split{background:#fff8e1}
.legend .t-holdout{background:#f3e5f5}.legend .unreached{border-style:dashed}
footer{padding:8px 32px;border-top:1px solid var(--line)}
@media print{nav#toc{display:none}.scroll{overflow:visible}}
`
