package report

import (
	"encoding/base64"
	"html/template"
	"io"
	"strings"
)

// HTML writes the report as one self-contained HTML file: styles inline
// and every chart a data: URI, so it opens anywhere, mailed or archived,
// without the PNG files beside it.
func HTML(w io.Writer, r PlanReport) error {
	return htmlTmpl.Execute(w, r)
}

var htmlTmpl = template.Must(template.New("html").Funcs(template.FuncMap{
	"f":        func() planFigures { return planFigures{} },
	"join":     strings.Join,
	"sentence": sentence,
	"png": func(b []byte) template.URL {
		return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Plan {{.Name}}</title>
<style>
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1, h2, h3 { line-height: 1.2; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; }
th { background: #f4f4f4; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.r { white-space: nowrap; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: 12px; }
img { max-width: 100%; border: 1px solid #eee; margin: .5em 0; }
.note { background: #fff6d6; padding: .5em 1em; border-left: 4px solid #e6b800; }
.failed { color: #b00020; font-weight: bold; }
.cell { border-left: 3px solid #0072b2; padding-left: 1em; margin: 1.5em 0; }
</style>
</head>
<body>
<h1>Plan {{.Name}}</h1>
<p>Status <strong>{{.Status}}</strong>, started {{f.Time .Started}}, ended {{f.Time .Ended}}.</p>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}
<h2>Configuration</h2>
<table>
{{range .Settings}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>

<h2>Summary</h2>
<p>RPS is the mean over the whole run, ramp included, as Locust reports it; “at full load” is the successful responses per second over the seconds after all users had started. CPU is in % of one core.</p>
<table>
<tr><th>variant</th><th>users</th><th>run</th><th>requests</th><th>RPS</th><th>successful RPS at full load</th><th>avg (ms)</th><th>p95 (ms)</th><th>failures</th><th>target CPU mean / max</th><th>target max RSS</th><th>verdict</th></tr>
{{range .Cells}}{{if .Run}}<tr><td>{{f.Variant .Variant}}</td><td class="n">{{.Users}}</td><td class="r">{{.Run}}</td><td class="n">{{.Requests}}</td><td class="n">{{f.RPS .RPS}}</td><td class="n">{{f.RPS .SteadyRPS}}</td><td class="n">{{f.MS .Avg}}</td><td class="n">{{f.MS .P95}}</td><td class="n">{{.Failures}} ({{f.FailRate .}})</td><td class="n">{{if .HasTarget}}{{f.Pct .CPUMean}} / {{f.Pct .CPUMax}}{{else}}-{{end}}</td><td class="n">{{if .HasTarget}}{{f.MB .RSSMax}}{{else}}-{{end}}</td><td class="r">{{.Verdict}}</td></tr>
{{else}}<tr><td>{{f.Variant .Variant}}</td><td class="n">{{.Users}}</td><td colspan="10">not run</td></tr>
{{end}}{{end}}</table>

<h2>Observations</h2>
{{range .Variants}}<p><strong>{{.Variant}}.</strong> {{.Text}}</p>
{{end}}{{range .Levels}}{{if .Observation}}<p><strong>{{.Users}} users.</strong> {{.Observation}}</p>
{{end}}{{end}}
{{if .Charts}}<h2>Across levels</h2>
{{range .Charts}}<figure><img src="{{png .PNG}}" alt="{{.Title}}"></figure>
{{end}}{{end}}
<h2>Each variant at each level</h2>
{{range .Cells}}<div class="cell">
<h3>{{f.Variant .Variant}} at {{.Users}} users (spawn {{f.Spawn .Spawn}})</h3>
{{if .Run}}<p>Run <code>{{.Run}}</code> ({{.Status}}).</p>
<table>
<tr><th>Average Response Time</th><td class="n">{{f.MS .Avg}} ms</td></tr>
<tr><th>P95</th><td class="n">{{f.MS .P95}} ms</td></tr>
<tr><th>RPS</th><td class="n">{{f.RPS .RPS}} ({{f.RPS .SteadyRPS}} successful at full load)</td></tr>
<tr><th>Failures</th><td class="n">{{.Failures}} of {{.Requests}} ({{f.FailRate .}})</td></tr>
{{if .HasTarget}}<tr><th>Target CPU</th><td class="n">mean {{f.Pct .CPUMean}}, max {{f.Pct .CPUMax}} of one core</td></tr>
<tr><th>Target memory</th><td class="n">max RSS {{f.MB .RSSMax}}</td></tr>
{{else}}<tr><th>Target CPU and memory</th><td>not monitored</td></tr>
{{end}}{{range .Thresholds}}<tr><th>Threshold <code>{{.Text}}</code></th><td{{if not .Passed}} class="failed"{{end}}>{{f.Mark .}}, measured {{f.Measured .}}</td></tr>
{{end}}</table>
<p>Bottleneck: <strong>{{.Verdict}}</strong>. {{sentence .Plateau}}</p>
{{if .Evidence}}<ul>{{range .Evidence}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p>{{.Observation}}</p>
{{else}}<p>Not run: the plan stopped before this cell.</p>
{{end}}</div>
{{end}}
<h2>Variants compared at each level</h2>
{{range .Levels}}<h3>{{.Users}} users (spawn {{f.Spawn .Spawn}})</h3>
{{if .Observation}}<p>{{.Observation}}</p>{{end}}
{{if .Compare}}<pre>{{.Compare}}</pre>{{end}}
{{range .Charts}}<figure><img src="{{png .PNG}}" alt="{{.Title}}"></figure>
{{end}}{{end}}
</body>
</html>
`))
