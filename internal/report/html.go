package report

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// HTML renders the assessment as one self-contained HTML page: inline CSS
// and SVG, no script, nothing loaded from the network.
func HTML(a *assess.Assessment, inv *inventory.Inventory, opts Options) ([]byte, error) {
	v, err := build(a, inv, opts)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("render html report: %w", err)
	}
	return b.Bytes(), nil
}

var funcs = template.FuncMap{
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"f1": f1,
	"join": func(l []string, sep string) string {
		return strings.Join(l, sep)
	},
	"add": func(a, b float64) float64 { return a + b },
	"sub": func(a, b float64) float64 { return a - b },
	"half": func(a float64) float64 {
		return a / 2
	},
	"regionFindings": func(lists ...[]*row) []*findingView {
		var out []*findingView
		for _, l := range lists {
			for _, r := range l {
				out = append(out, r.Findings...)
			}
		}
		return out
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

var pageTemplate = template.Must(template.New("page").Funcs(funcs).Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool}}">
<title>{{.Title}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="meta">{{if .AssessedAt}}Assessed {{.AssessedAt}}{{end}}{{if .Tool}} by {{.Tool}}{{end}}{{if .InventorySHA}} · inventory <code>{{short .InventorySHA}}</code>{{end}} ·
{{if .ShowPII}}values that look like personal data are shown in conditions{{else}}no customer data: endpoint populations appear as counts only{{end}}</p>
</header>
<nav id="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>
<li><a href="#summary">Executive summary</a></li>
<li><a href="#apps">Applications</a><ol>{{range .Apps}}<li><a href="#{{.Anchor}}">{{.Name}}</a> <span class="muted">{{.Region}}</span></li>{{end}}</ol></li>
<li><a href="#templates">Templates and recommenders</a></li>
<li><a href="#journeys">Journey diagrams</a><ol>{{range .Journeys}}<li><a href="#{{.Anchor}}">{{.Name}}</a> <span class="muted">{{.AppLabel}}</span></li>{{end}}</ol></li>
<li><a href="#checklist">Checklist</a></li>
<li><a href="#prerequisites">Target prerequisites</a></li>
<li><a href="#rules">Rules that fired</a></li>
</ol>
</nav>
<main>

<section id="summary">
<h2>Executive summary</h2>
<div class="cards">
<div class="card"><span class="big">{{.Summary.Workloads}}</span> workloads</div>
<div class="card"><span class="big">{{len .Apps}}</span> {{plural (len .Apps) "application" "applications"}}</div>
<div class="card"><span class="big">{{len .Journeys}}</span> {{plural (len .Journeys) "journey" "journeys"}}</div>
<div class="card auto"><span class="big">{{.Automated}}</span> findings p2c automates</div>
<div class="card people"><span class="big">{{.People}}</span> findings that need people</div>
<div class="card"><span class="big">{{len .Checklist}}</span> checklist {{plural (len .Checklist) "item" "items"}}</div>
</div>
<p class="statement"><strong>What is automated:</strong> {{.Automated}} {{plural .Automated "finding is" "findings are"}} <span class="badge cls-direct">direct</span> or <span class="badge cls-transform">transform</span>: p2c maps or rewrites them without help.
<strong>What needs people:</strong> {{.People}} {{plural .People "finding is" "findings are"}} <span class="badge cls-redesign">redesign</span> (p2c proposes a shape, a person accepts it) or <span class="badge cls-manual">manual</span> (a person acts outside p2c), across {{.WorkPeople}} {{plural .WorkPeople "workload" "workloads"}}; the <a href="#checklist">checklist</a> orders those actions.</p>
<div class="charts">
{{template "chart" .ChartDest}}
{{template "chart" .ChartClass}}
{{template "chart" .ChartPrefix}}
</div>
<div class="grid2">
<div>
<h3>Workloads by destination</h3>
<table class="counts"><thead><tr><th>destination</th><th class="num">workloads</th></tr></thead><tbody>
{{range .ByDest}}<tr><td><span class="badge {{.Class}}">{{.Key}}</span></td><td class="num">{{.N}}</td></tr>{{else}}<tr><td colspan="2" class="muted">none</td></tr>{{end}}
</tbody></table>
</div>
<div>
<h3>Workloads by gap class</h3>
<table class="counts"><thead><tr><th>gap class</th><th class="num">workloads</th></tr></thead><tbody>
{{range .ByClass}}<tr><td><span class="badge {{.Class}}">{{.Key}}</span></td><td class="num">{{.N}}</td></tr>{{else}}<tr><td colspan="2" class="muted">none</td></tr>{{end}}
</tbody></table>
</div>
<div>
<h3>Findings by gap class</h3>
<table class="counts"><thead><tr><th>gap class</th><th class="num">findings</th></tr></thead><tbody>
{{range .FindClass}}<tr><td><span class="badge {{.Class}}">{{.Key}}</span></td><td class="num">{{.N}}</td></tr>{{else}}<tr><td colspan="2" class="muted">no findings</td></tr>{{end}}
</tbody></table>
</div>
</div>
<h3>Applications by complexity</h3>
<table><thead><tr><th>application</th><th>region</th><th class="num">complexity</th><th>workloads by class</th><th>top reasons</th></tr></thead><tbody>
{{range .Ranked}}<tr><td><a href="#{{.Anchor}}">{{.Name}}</a></td><td>{{.Region}}</td><td class="num">{{.Complexity}}</td>
<td>{{range .ByClass}}<span class="badge {{.Class}}">{{.Key}} {{.N}}</span> {{end}}</td>
<td>{{if .Reasons}}<ul class="tight">{{range $i, $r := .Reasons}}{{if lt $i 3}}<li>{{$r}}</li>{{end}}{{end}}</ul>{{else}}<span class="muted">nothing to redesign or do by hand</span>{{end}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">no applications</td></tr>{{end}}
</tbody></table>
<h3>First actions</h3>
{{if .TopChecklist}}<ol class="checklist">{{range .TopChecklist}}<li><span class="phase">{{.Phase}}</span> {{.Action}}{{if .Where}} <span class="where">({{.Where}})</span>{{end}}{{if .App}} <span class="muted">· {{.App}}</span>{{end}}</li>{{end}}</ol>
{{if gt (len .Checklist) (len .TopChecklist)}}<p><a href="#checklist">All {{len .Checklist}} checklist items</a></p>{{end}}
{{else}}<p class="muted">No human actions are needed.</p>{{end}}
</section>

<section id="apps">
<h2>Applications</h2>
{{range .Apps}}
<section id="{{.Anchor}}" class="app">
<h3>{{.Name}} <span class="muted">{{.ID}} · {{.Region}}</span></h3>
<p>Complexity <strong>{{.Complexity}}</strong> · {{.Workloads}} {{plural .Workloads "workload" "workloads"}} · {{len .Findings}} {{plural (len .Findings) "finding" "findings"}}{{if .ChecklistN}} · {{.ChecklistN}} checklist {{plural .ChecklistN "item" "items"}}{{end}}
{{range .ByDest}} <span class="badge {{.Class}}">{{.Key}} {{.N}}</span>{{end}}</p>
{{if .Reasons}}<ul class="tight">{{range .Reasons}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range .Kinds}}
<h4>{{.Title}}</h4>
<table class="resources"><thead><tr><th>name</th><th>destination</th><th>confidence</th><th>gap class</th><th>findings</th><th>related</th></tr></thead><tbody>
{{range .Rows}}{{template "row" .}}{{end}}
</tbody></table>
{{end}}
<h4>Endpoint counts</h4>
{{template "endpoints" .Endpoints}}
<h4>Findings</h4>
{{template "findings" .Findings}}
</section>
{{else}}<p class="muted">The inventory holds no applications.</p>{{end}}
</section>

<section id="templates">
<h2>Templates and recommenders</h2>
<h3>Message templates</h3>
<p class="muted">Names, types and placeholder counts only; template content is not reproduced here.</p>
<table class="resources"><thead><tr><th>template</th><th>type</th><th>active version</th><th class="num">versions</th><th class="num">placeholders</th><th>destination</th><th>confidence</th><th>gap class</th><th>used by</th><th>findings</th></tr></thead><tbody>
{{range .Templates}}<tr id="{{.Anchor}}"><td>{{.Label}} <span class="muted">{{.W.Region}}</span></td><td>{{.TemplateType}}</td><td>{{.Version}}</td><td class="num">{{.Versions}}</td><td class="num">{{.Placeholders}}</td>
<td><span class="badge dest-{{.W.Destination}}" title="{{.Evidence}}">{{.W.Destination}}</span><div class="evidence">{{.Evidence}}</div></td><td>{{.W.Confidence}}</td><td><span class="badge cls-{{.W.Class}}">{{.W.Class}}</span></td>
<td>{{range .UsedBy}}<a href="{{.Href}}" title="{{.Title}}">{{.Text}}</a><br>{{else}}<span class="muted">no campaign or journey</span>{{end}}</td>
<td>{{template "flinks" .Findings}}</td></tr>
{{else}}<tr><td colspan="10" class="muted">no templates</td></tr>{{end}}
</tbody></table>
<h3>Recommenders</h3>
<table class="resources"><thead><tr><th>name</th><th>destination</th><th>confidence</th><th>gap class</th><th>findings</th><th>related</th></tr></thead><tbody>
{{range .Recommenders}}{{template "row" .}}{{else}}<tr><td colspan="6" class="muted">no recommenders</td></tr>{{end}}
</tbody></table>
<h3>Findings on templates and recommenders</h3>
{{template "findings" (regionFindings .Templates .Recommenders)}}
</section>

<section id="journeys">
<h2>Journey diagrams</h2>
<p class="legend"><span class="lg t-message">message</span> <span class="lg t-wait">wait</span> <span class="lg t-split">split</span> <span class="lg t-holdout">holdout</span> <span class="lg unreached">not reachable</span> ·
finding markers: <span class="badge cls-transform">T transform</span> <span class="badge cls-redesign">R redesign</span> <span class="badge cls-manual">M manual</span> (hover a node for its rules)</p>
{{range .Journeys}}
<figure class="journey">
<figcaption><strong>{{.Name}}</strong> <span class="muted">{{.ID}} · {{.AppLabel}} · {{.Region}}{{if .State}} · {{.State}}{{end}}</span>{{if .Row}} · <a href="{{.Row}}">resource row</a>{{end}}</figcaption>
<div class="scroll">{{template "diagram" .}}</div>
{{if .Missing}}<p class="warn">Edges point at activities that are not defined: {{join .Missing ", "}}.</p>{{end}}
{{if .Loose}}<h4>Journey-level findings</h4><ul class="tight">{{range .Loose}}<li><a class="flink cls-{{.F.Class}}" href="#{{.Anchor}}">{{.F.Rule}}</a> {{.F.Message}}</li>{{end}}</ul>{{end}}
</figure>
{{else}}<p class="muted">No journeys.</p>{{end}}
</section>

<section id="checklist">
<h2>Checklist</h2>
<p>Human actions in the order they must happen.</p>
<table><thead><tr><th class="num">#</th><th>phase</th><th>action</th><th>where</th><th>region</th><th>application</th><th>rules</th></tr></thead><tbody>
{{range .Checklist}}<tr><td class="num">{{.Order}}</td><td><span class="phase">{{.Phase}}</span></td><td>{{.Action}}</td><td>{{.Where}}</td><td>{{.Region}}</td><td>{{.App}}</td><td>{{range .Rules}}<a href="#rule-{{.}}"><code>{{.}}</code></a> {{end}}</td></tr>
{{else}}<tr><td colspan="7" class="muted">No human actions are needed.</td></tr>{{end}}
</tbody></table>
</section>

<section id="prerequisites">
<h2>Target prerequisites</h2>
<table class="resources"><thead><tr><th>name</th><th>destination</th><th>confidence</th><th>gap class</th><th>findings</th><th>related</th></tr></thead><tbody>
{{range .Prereqs}}{{template "row" .}}{{else}}<tr><td colspan="6" class="muted">none</td></tr>{{end}}
</tbody></table>
{{template "findings" (regionFindings .Prereqs)}}
{{if .IaC}}<h3>Infrastructure-as-code definitions</h3>
<table class="resources"><thead><tr><th>file</th><th>destination</th><th>confidence</th><th>gap class</th><th>findings</th><th>related</th></tr></thead><tbody>
{{range .IaC}}{{template "row" .}}{{end}}
</tbody></table>
{{template "findings" (regionFindings .IaC)}}{{end}}
{{if .Orphans}}<h3>Findings on workloads not in the assessment</h3>{{template "findings" .Orphans}}{{end}}
</section>

<section id="rules">
<h2>Rules that fired</h2>
<table><thead><tr><th>rule</th><th>title</th><th>class</th><th>phase</th><th class="num">findings</th><th>what it checks</th></tr></thead><tbody>
{{range .Rules}}<tr id="rule-{{.ID}}"><td><code>{{.ID}}</code></td><td>{{.Title}}</td><td>{{if .Class}}<span class="badge cls-{{.Class}}">{{.Class}}</span>{{end}}</td><td>{{.Phase}}</td><td class="num">{{.Findings}}</td><td class="doc">{{if .Known}}{{.Doc}}{{else}}<span class="muted">not in this build's catalogue</span>{{end}}</td></tr>
{{else}}<tr><td colspan="6" class="muted">No rule fired.</td></tr>{{end}}
</tbody></table>
</section>
</main>
<footer><p class="muted">Generated by {{if .Tool}}{{.Tool}}{{else}}p2c{{end}}. This page is self-contained: it loads nothing from the network.</p></footer>
</body>
</html>
{{define "row"}}<tr id="{{.Anchor}}"><td>{{.Label}}{{if ne .Label .W.ResourceID}} <span class="muted">{{.W.ResourceID}}</span>{{end}}{{if .JourneyRef}} · <a href="{{.JourneyRef}}">diagram</a>{{end}}</td>
<td><span class="badge dest-{{.W.Destination}}" title="{{.Evidence}}">{{.W.Destination}}</span><div class="evidence">{{.Evidence}}</div></td>
<td>{{.W.Confidence}}</td><td><span class="badge cls-{{.W.Class}}">{{.W.Class}}</span></td>
<td>{{template "flinks" .Findings}}</td>
<td>{{range .Related}}{{if .Href}}<a href="{{.Href}}" title="{{.Title}}">{{.Text}}</a>{{else}}<span class="muted">{{.Text}}</span>{{end}}<br>{{end}}</td></tr>
{{end}}
{{define "flinks"}}{{range .}}<a class="flink cls-{{.F.Class}}" href="#{{.Anchor}}" title="{{.F.Message}}">{{.F.Rule}}</a> {{else}}<span class="muted">none</span>{{end}}{{end}}
{{define "findings"}}{{if .}}<table class="findings"><thead><tr><th>rule</th><th>class</th><th>resource</th><th>message</th><th>field</th><th>action</th></tr></thead><tbody>
{{range .}}<tr id="{{.Anchor}}"><td><a href="#rule-{{.F.Rule}}"><code>{{.F.Rule}}</code></a>{{if .Title}}<div class="muted">{{.Title}}</div>{{end}}</td><td><span class="badge cls-{{.F.Class}}">{{.F.Class}}</span></td>
<td>{{if .Workload.Href}}<a href="{{.Workload.Href}}">{{.Workload.Text}}</a>{{else}}{{.Workload.Text}}{{end}}{{if .F.Node}}<div class="muted">activity <code>{{.F.Node}}</code></div>{{end}}</td>
<td>{{.F.Message}}</td><td>{{if .F.Field}}<code>{{.F.Field}}</code>{{end}}</td><td>{{.F.Action}}{{if .F.Where}} <span class="where">({{.F.Where}})</span>{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No findings.</p>{{end}}{{end}}
{{define "endpoints"}}{{if .Available}}<table class="counts"><tbody>
<tr><th>endpoints</th><td class="num">{{.Total}}</td></tr>
<tr><th>with a user id</th><td class="num">{{.WithUser}}</td></tr>
<tr><th>distinct users</th><td class="num">{{.Users}}</td></tr>
{{if .Method}}<tr><th>user count method</th><td class="muted">{{.Method}}</td></tr>{{end}}
<tr><th>attribute names</th><td class="num">{{.Attrs}}</td></tr>
</tbody></table>
<table class="counts"><thead><tr><th>channel</th><th class="num">endpoints</th><th class="num">opted out</th><th class="num">inactive</th><th class="num">invalid address</th></tr></thead><tbody>
{{range .Channels}}<tr><td>{{.Channel}}</td><td class="num">{{.Total}}</td><td class="num">{{.OptedOut}}</td><td class="num">{{.Inactive}}</td><td class="num">{{.Invalid}}</td></tr>{{end}}
</tbody></table>{{else}}<p class="muted">No endpoint statistics: no endpoint export was read for this application.</p>{{end}}{{end}}
{{define "chart"}}<figure class="chart-box"><figcaption>{{.Title}}</figcaption>
<svg class="chart" role="img" aria-label="{{.Title}}" width="{{f1 .W}}" height="{{f1 .H}}" viewBox="0 0 {{f1 .W}} {{f1 .H}}">
{{range .Bars}}<g class="bar-row"><title>{{.Label}}: {{.N}} ({{.Percentage}})</title>
<text class="bar-label" x="{{f1 .LabelX}}" y="{{f1 .TextY}}" text-anchor="end" dominant-baseline="middle">{{.Label}}</text>
<rect class="bar {{.Class}}" x="{{f1 .BarX}}" y="{{f1 (add .Y 4)}}" width="{{f1 .BarW}}" height="{{f1 .BarH}}" rx="3"></rect>
<text class="bar-count" x="{{f1 .CountX}}" y="{{f1 .TextY}}" dominant-baseline="middle">{{.N}}</text></g>
{{end}}{{if .Empty}}<text class="bar-label" x="10" y="24">nothing to count</text>{{end}}
</svg></figure>{{end}}
{{define "diagram"}}{{with .Diagram}}<svg id="{{$.Anchor}}" class="journey-diagram" role="img" aria-label="Journey {{$.Name}}" width="{{f1 .W}}" height="{{f1 .H}}" viewBox="0 0 {{f1 .W}} {{f1 .H}}" data-layers="{{.Layers}}">
<defs><marker id="{{.Marker}}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"></path></marker></defs>
{{with .Start}}<g class="start"><title>{{.Full}}</title><rect x="{{f1 .X}}" y="{{f1 .Y}}" width="{{f1 .W}}" height="{{f1 .H}}" rx="15"></rect>
<text x="{{f1 (add .X (half .W))}}" y="{{f1 (add .Y 19)}}" text-anchor="middle">{{.Text}}</text></g>
{{if .Path}}<path class="edge start-edge" d="{{.Path}}" marker-end="url(#{{$.Diagram.Marker}})"></path>{{end}}{{end}}
{{range .Edges}}<path class="edge{{if .Back}} back{{end}}{{if .Dangling}} dangling{{end}}" d="{{.D}}" marker-end="url(#{{$.Diagram.Marker}})"></path>
{{end}}
{{range .Missing}}<g class="missing"><title>{{.Tooltip}}</title><rect x="{{f1 .X}}" y="{{f1 .Y}}" width="{{f1 .W}}" height="{{f1 .H}}" rx="6"></rect>{{range .Lines}}<text x="{{f1 .X}}" y="{{f1 .Y}}">{{.Text}}</text>{{end}}</g>
{{end}}
{{range $n := .Nodes}}<g class="node {{.TypeClass}}{{if .Class}} has-{{.Class}}{{end}}{{if .Unreached}} unreached{{end}}" data-activity="{{.ID}}" data-type="{{.Type}}"><title>{{.Tooltip}}</title>
<rect class="box" x="{{f1 .X}}" y="{{f1 .Y}}" width="{{f1 .W}}" height="{{f1 .H}}" rx="8"></rect>
{{range $i, $l := .Lines}}<text class="{{if eq $i 0}}head{{else}}param{{end}}" x="{{f1 $l.X}}" y="{{f1 $l.Y}}">{{$l.Text}}</text>{{end}}
{{with $n.Badge}}<g class="finding-marker cls-{{$n.Class}}" data-class="{{$n.Class}}"><title>{{.Tooltip}}</title><circle cx="{{f1 .X}}" cy="{{f1 .Y}}" r="{{f1 .R}}"></circle><text x="{{f1 .X}}" y="{{f1 (add .Y 4)}}" text-anchor="middle">{{.Text}}</text></g>{{end}}
</g>
{{end}}
{{range .Edges}}{{if .Label}}<g class="edge-label"><title>{{.Full}}</title><rect x="{{f1 (sub .LX (half .LW))}}" y="{{f1 (sub .LY 10)}}" width="{{f1 .LW}}" height="17" rx="4"></rect><text x="{{f1 .LX}}" y="{{f1 (add .LY 3)}}" text-anchor="middle">{{.Label}}</text></g>
{{end}}{{end}}
</svg>{{end}}{{end}}
`
