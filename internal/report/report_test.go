package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	region = "us-east-1"
	appID  = "app1"
	// Names carry markup: the report must show it as text.
	appName     = `shop <script>alert("app")</script>`
	journeyName = `welcome <script>alert("j")</script>`
	// templateBody is template content the report must never reproduce.
	templateBody = "BODY-SECRET-7731 Hello {{User.UserAttributes.FirstName}} your {{Attributes.plan}} {{User.UserAttributes.FirstName}}"
)

// endpointAddresses go into the endpoint statistics builder; none may come
// out in the report.
var endpointAddresses = []string{"alice.doe@example.com", "+12065550142", "bob.roe@example.org"}

// journeyJSON has every activity type, a cycle (waitu -> wait1), an
// activity the start does not reach (orphan) and an edge to an activity
// that is not defined (ghost).
const journeyJSON = `{
 "Id": "j1", "Name": "welcome", "State": "ACTIVE", "StartActivity": "start",
 "StartCondition": {"EventStartCondition": {"EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["signup"]}}}, "SegmentId": "seg1"}},
 "Activities": {
  "start":   {"EMAIL": {"TemplateName": "welcome", "TemplateVersion": "2", "NextActivity": "wait1"}},
  "wait1":   {"Wait": {"WaitTime": {"WaitFor": "P1DT2H"}, "NextActivity": "split1"}},
  "split1":  {"ConditionalSplit": {"Condition": {"Operator": "ALL", "Conditions": [{"EventCondition": {"Dimensions": {"EventType": {"Values": ["_email.open"]}}, "MessageActivity": "start"}}]}, "EvaluationWaitTime": {"WaitFor": "PT12H"}, "TrueActivity": "multi1", "FalseActivity": "hold1"}},
  "multi1":  {"MultiCondition": {"Branches": [
     {"Condition": {"SegmentCondition": {"SegmentId": "seg1"}}, "NextActivity": "sms1"},
     {"Condition": {"segmentDimensions": {"Attributes": {"plan": {"AttributeType": "INCLUSIVE", "Values": ["gold"]}, "email": {"Values": ["carol@example.net"]}}, "Location": {"Country": {"Values": ["US"]}, "GPSPoint": {"Coordinates": {"Latitude": 1, "Longitude": 2}, "RangeInKilometers": 5}}, "Demographic": {"Platform": {"DimensionType": "EXCLUSIVE", "Values": ["ios"]}}, "Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "ACTIVE"}}, "Metrics": {"visits": {"ComparisonOperator": "GREATER_THAN", "Value": 3}}}}, "NextActivity": "push1"}],
     "DefaultActivity": "random1", "EvaluationWaitTime": {"WaitUntil": "2026-12-01T00:00:00Z"}}},
  "random1": {"RandomSplit": {"Branches": [{"Percentage": 60, "NextActivity": "custom1"}, {"Percentage": 40, "NextActivity": "cc1"}]}},
  "sms1":    {"SMS": {"TemplateName": "otp", "MessageConfig": {"MessageType": "TRANSACTIONAL"}, "NextActivity": "hold1"}},
  "push1":   {"PUSH": {"TemplateName": "promo", "NextActivity": "waitu"}},
  "waitu":   {"Wait": {"WaitTime": {"WaitUntil": "2026-12-24T09:00:00Z"}, "NextActivity": "wait1"}},
  "hold1":   {"Holdout": {"Percentage": 10}},
  "custom1": {"CUSTOM": {"DeliveryUri": "arn:aws:lambda:us-east-1:123456789012:function:hook", "EndpointTypes": ["SMS"]}},
  "cc1":     {"ContactCenter": {}, "Description": "call the customer"},
  "orphan":  {"EMAIL": {"TemplateName": "welcome", "NextActivity": "hold1"}},
  "orphan2": {"Wait": {"WaitTime": {"WaitFor": "PT30M"}, "NextActivity": "ghost"}}
 }
}`

const journey2JSON = `{"Id": "j2", "Name": "nudge", "StartActivity": "a", "StartCondition": {"SegmentStartCondition": {"SegmentId": "seg1"}},
 "Activities": {"a": {"SMS": {"TemplateName": "otp", "NextActivity": "b"}}, "b": {"Wait": {"WaitTime": {"WaitFor": "P7D"}}}}}`

func fixture(t *testing.T) (*assess.Assessment, *inventory.Inventory) {
	t.Helper()
	sb := inventory.NewStatsBuilder()
	for i, addr := range endpointAddresses {
		ch := "EMAIL"
		if strings.HasPrefix(addr, "+") {
			ch = "SMS"
		}
		line := fmt.Sprintf(`{"Id":"e%d","ChannelType":%q,"Address":%q,"User":{"UserId":"u%d","UserAttributes":{"FirstName":["Alice"]}},"OptOut":"NONE"}`, i, ch, addr, i%2)
		if err := sb.Add([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := sb.Result()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := json.Marshal(map[string]any{"TemplateName": "welcome", "TemplateType": "EMAIL", "Subject": "Hi", "HtmlPart": templateBody})
	inv := &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, ScannedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Regions: []inventory.Region{{
			Name: region,
			Apps: []inventory.App{{
				ID: appID, Name: appName, Object: json.RawMessage(`{"Id":"app1"}`),
				Segments:      []inventory.Segment{{ID: "seg1", Name: "VIP", Object: json.RawMessage(`{"Id":"seg1","Name":"VIP"}`)}},
				Campaigns:     []inventory.Campaign{{ID: "c1", Name: "spring sale", Object: json.RawMessage(`{"Id":"c1"}`)}},
				Journeys:      []inventory.Journey{{ID: "j1", Name: journeyName, State: "ACTIVE", Object: json.RawMessage(journeyJSON)}, {ID: "j2", Name: "nudge", Object: json.RawMessage(journey2JSON)}},
				EndpointStats: stats,
			}},
			Templates: []inventory.Template{
				{Name: "welcome", Type: "EMAIL", ActiveVersion: "2", Object: tmpl, Versions: []inventory.TemplateVersion{{Version: "1"}, {Version: "2"}}},
				{Name: "otp", Type: "SMS", ActiveVersion: "1", Object: json.RawMessage(`{"Body":"Your code is {{Code}}"}`)},
			},
			Recommenders: []inventory.Object{{ID: "rec1", Object: json.RawMessage(`{"Id":"rec1","Name":"picks"}`)}},
		}},
	}
	wid := func(kind, id string) string { return assess.WorkloadID(region, appID, kind, id) }
	rid := func(kind, id string) string { return assess.WorkloadID(region, "", kind, id) }
	seg, cmp, j1, j2 := wid(assess.KindSegment, "seg1"), wid(assess.KindCampaign, "c1"), wid(assess.KindJourney, "j1"), wid(assess.KindJourney, "j2")
	tw, to := rid(assess.KindTemplate, "EMAIL/welcome"), rid(assess.KindTemplate, "SMS/otp")
	app := func(w assess.Workload) assess.Workload { w.Region, w.App, w.AppName = region, appID, appName; return w }
	a := &assess.Assessment{SchemaVersion: assess.SchemaVersion, Tool: "p2c test", AssessedAt: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), InventorySHA256: strings.Repeat("ab", 32)}
	a.Workloads = []assess.Workload{
		app(assess.Workload{ID: seg, Kind: assess.KindSegment, ResourceID: "seg1", Name: "VIP", Destination: assess.DestConnect, Confidence: assess.High, Evidence: []string{"segments become segment definitions"}, Class: assess.Trans, Related: []string{cmp, j1, j2}, Findings: []string{"TEST-SEG/" + seg}}),
		app(assess.Workload{ID: cmp, Kind: assess.KindCampaign, ResourceID: "c1", Name: "spring sale", Destination: assess.DestConnect, Confidence: assess.High, Class: assess.Direct, Related: []string{seg, tw}}),
		app(assess.Workload{ID: j1, Kind: assess.KindJourney, ResourceID: "j1", Name: journeyName, Destination: assess.DestConnect, Confidence: assess.High, Class: assess.Manual, Related: []string{seg, to, tw}}),
		app(assess.Workload{ID: j2, Kind: assess.KindJourney, ResourceID: "j2", Name: "nudge", Destination: assess.DestConnect, Confidence: assess.Medium, Class: assess.Redesign, Related: []string{seg, to}}),
		app(assess.Workload{ID: wid(assess.KindChannel, "EMAIL"), Kind: assess.KindChannel, ResourceID: "EMAIL", Name: "EMAIL", Destination: assess.DestSES, Confidence: assess.High, Class: assess.Direct}),
		app(assess.Workload{ID: wid(assess.KindEndpoints, "endpoints"), Kind: assess.KindEndpoints, ResourceID: "endpoints", Name: "endpoints", Destination: assess.DestConnect, Confidence: assess.High, Class: assess.Trans}),
		{ID: tw, Kind: assess.KindTemplate, Region: region, ResourceID: "EMAIL/welcome", Name: "welcome", Destination: assess.DestConnect, Confidence: assess.High, Class: assess.Trans, Related: []string{cmp, j1}},
		{ID: to, Kind: assess.KindTemplate, Region: region, ResourceID: "SMS/otp", Name: "otp", Destination: assess.DestEUM, Confidence: assess.High, Class: assess.Direct, Related: []string{j1, j2}},
		{ID: rid(assess.KindRecommender, "rec1"), Kind: assess.KindRecommender, Region: region, ResourceID: "rec1", Name: "picks", Destination: assess.DestNone, Confidence: assess.Medium, Class: assess.Redesign},
		{ID: rid(assess.KindAccount, "target"), Kind: assess.KindAccount, Region: region, ResourceID: "target", Name: "target prerequisites in " + region, Destination: assess.DestConnect, Confidence: assess.High, Class: assess.Manual},
	}
	a.Findings = []assess.Finding{
		{ID: "TEST-SEG/" + seg, Rule: "TEST-SEG", Workload: seg, Class: assess.Trans, Message: "The segment's attribute dimension is rewritten as a profile condition.", Field: "Dimensions.Attributes"},
		{ID: "TEST-SPLIT/" + j1 + "/split1", Rule: "TEST-SPLIT", Workload: j1, Class: assess.Redesign, Message: "The split waits on an email open; Connect journeys branch differently.", Field: "Activities.split1.ConditionalSplit", Node: "split1", Action: "Choose the Connect branch condition.", Where: "Connect console, journey flow"},
		{ID: "TEST-WAIT/" + j1 + "/waitu", Rule: "TEST-WAIT", Workload: j1, Class: assess.Trans, Message: "The wait until a date is rewritten.", Field: "Activities.waitu.Wait", Node: "waitu"},
		{ID: "TEST-CUSTOM/" + j1 + "/custom1", Rule: "TEST-CUSTOM", Workload: j1, Class: assess.Manual, Message: "The custom activity calls a Lambda function.", Field: "Activities.custom1.CUSTOM", Node: "custom1", Action: "Rebuild the hook as a Connect flow block."},
		{ID: "TEST-CAP/" + j1, Rule: "TEST-CAP", Workload: j1, Class: assess.Redesign, Message: "The journey caps re-entry.", Field: "Limits.EndpointReentryCap", Action: "Decide the re-entry policy."},
		{ID: "TEST-ONE/" + j2, Rule: "TEST-ONE", Workload: j2, Class: assess.Redesign, Message: "A one-message journey may become a plain campaign.", Action: "Choose campaign or journey."},
		{ID: "TEST-REC/" + rid(assess.KindRecommender, "rec1"), Rule: "TEST-REC", Workload: rid(assess.KindRecommender, "rec1"), Class: assess.Redesign, Message: "Recommendations have no Connect equivalent.", Action: "Compute recommendations into profile attributes."},
		{ID: "TEST-PRQ/" + rid(assess.KindAccount, "target"), Rule: "TEST-PRQ", Workload: rid(assess.KindAccount, "target"), Class: assess.Manual, Message: "The Customer Profiles domain must be associated in the console.", Action: "Associate the domain with the Connect instance.", Where: "Connect console"},
		{ID: "TEST-PH/" + tw, Rule: "TEST-PH", Workload: tw, Class: assess.Trans, Message: "Placeholders are rewritten.", Field: "HtmlPart"},
	}
	for _, f := range a.Findings {
		for i := range a.Workloads {
			if a.Workloads[i].ID == f.Workload && !contains(a.Workloads[i].Findings, f.ID) {
				a.Workloads[i].Findings = append(a.Workloads[i].Findings, f.ID)
			}
		}
	}
	a.Apps = []assess.AppReadiness{{Region: region, App: appID, Name: appName, Complexity: 21, Reasons: []string{"Split condition (TEST-SPLIT): 5 points", "Re-entry cap (TEST-CAP): 5 points", "Custom activity (TEST-CUSTOM): 3 points", "Fourth reason: 1 point"},
		ByClass: map[string]int{assess.Direct: 2, assess.Trans: 2, assess.Redesign: 1, assess.Manual: 1}, ByDestination: map[string]int{assess.DestConnect: 5, assess.DestSES: 1}}}
	a.Checklist = []assess.ChecklistItem{
		{Order: 1, Phase: "prerequisites", Region: region, Action: "Associate the domain with the Connect instance.", Where: "Connect console", Rules: []string{"TEST-PRQ"}},
		{Order: 2, Phase: "build", Region: region, App: appName, Action: "Choose the Connect branch condition.", Where: "Connect console, journey flow", Rules: []string{"TEST-SPLIT"}},
		{Order: 3, Phase: "build", Region: region, App: appName, Action: "Decide the re-entry policy.", Rules: []string{"TEST-CAP"}},
		{Order: 4, Phase: "build", Region: region, App: appName, Action: "Rebuild the hook as a Connect flow block.", Rules: []string{"TEST-CUSTOM"}},
		{Order: 5, Phase: "build", Region: region, App: appName, Action: "Choose campaign or journey.", Rules: []string{"TEST-ONE"}},
		{Order: 6, Phase: "build", Region: region, Action: "Compute recommendations into profile attributes.", Rules: []string{"TEST-REC"}},
	}
	a.Summary = assess.Summary{Workloads: len(a.Workloads), ByDestination: map[string]int{}, ByClass: map[string]int{}, Findings: map[string]int{}, Checklist: len(a.Checklist)}
	for _, w := range a.Workloads {
		a.Summary.ByDestination[w.Destination]++
		a.Summary.ByClass[w.Class]++
	}
	for _, f := range a.Findings {
		a.Summary.Findings[f.Class]++
	}
	return a, inv
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func renderHTML(t *testing.T, opts Options) []byte {
	t.Helper()
	a, inv := fixture(t)
	out, err := HTML(a, inv, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// doc helpers over golang.org/x/net/html.

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func findAll(root *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
	})
	return out
}

func byID(root *html.Node, id string) *html.Node {
	ns := findAll(root, func(n *html.Node) bool { v, ok := attr(n, "id"); return ok && v == id })
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
	})
	return b.String()
}

var wantSections = []string{"summary", "apps", "app-" + appID, "templates", "journeys", "checklist", "prerequisites", "rules"}

func TestHTMLStructure(t *testing.T) {
	out := renderHTML(t, Options{})
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	for _, id := range wantSections {
		if byID(doc, id) == nil {
			t.Errorf("section #%s missing", id)
		}
	}
	// Ids are unique.
	seen := map[string]bool{}
	for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
		id, _ := attr(n, "id")
		if seen[id] {
			t.Errorf("duplicate id %q", id)
		}
		seen[id] = true
	}
	// One diagram per journey, one node per activity.
	_, inv := fixture(t)
	diagrams := findAll(doc, func(n *html.Node) bool { return hasClass(n, "journey-diagram") })
	if len(diagrams) != len(inv.Regions[0].Apps[0].Journeys) {
		t.Fatalf("%d journey diagrams, want %d", len(diagrams), len(inv.Regions[0].Apps[0].Journeys))
	}
	for _, j := range inv.Regions[0].Apps[0].Journeys {
		d := byID(doc, "journey-"+j.ID)
		if d == nil || !hasClass(d, "journey-diagram") || d.Data != "svg" {
			t.Fatalf("no svg diagram journey-%s", j.ID)
		}
		var obj struct{ Activities map[string]any }
		if err := json.Unmarshal(j.Object, &obj); err != nil {
			t.Fatal(err)
		}
		nodes := findAll(d, func(n *html.Node) bool { return hasClass(n, "node") })
		got := map[string]bool{}
		for _, n := range nodes {
			id, _ := attr(n, "data-activity")
			got[id] = true
		}
		if len(nodes) != len(obj.Activities) || len(got) != len(obj.Activities) {
			t.Errorf("journey %s: %d nodes (%d distinct), want %d", j.ID, len(nodes), len(got), len(obj.Activities))
		}
		for id := range obj.Activities {
			if !got[id] {
				t.Errorf("journey %s: no node for activity %s", j.ID, id)
			}
		}
	}
	// Findings are marked on their nodes, with the rule ids in a tooltip.
	d1 := byID(doc, "journey-j1")
	for node, rule := range map[string]string{"split1": "TEST-SPLIT", "waitu": "TEST-WAIT", "custom1": "TEST-CUSTOM"} {
		ns := findAll(d1, func(n *html.Node) bool { v, _ := attr(n, "data-activity"); return hasClass(n, "node") && v == node })
		if len(ns) != 1 {
			t.Fatalf("node %s: %d", node, len(ns))
		}
		ms := findAll(ns[0], func(n *html.Node) bool { return hasClass(n, "finding-marker") })
		if len(ms) != 1 {
			t.Fatalf("node %s has %d finding markers", node, len(ms))
		}
		titles := findAll(ms[0], func(n *html.Node) bool { return n.Data == "title" })
		if len(titles) != 1 || !strings.Contains(textOf(titles[0]), rule) {
			t.Errorf("node %s marker tooltip lacks %s", node, rule)
		}
	}
	if ms := findAll(d1, func(n *html.Node) bool { return hasClass(n, "finding-marker") }); len(ms) != 3 {
		t.Errorf("%d finding markers on j1, want 3", len(ms))
	}
	// The cycle is drawn as a back edge, the unreachable activity marked.
	if len(findAll(d1, func(n *html.Node) bool { return n.Data == "path" && hasClass(n, "back") })) == 0 {
		t.Error("no back edge drawn for the cycle")
	}
	if len(findAll(d1, func(n *html.Node) bool {
		v, _ := attr(n, "data-activity")
		return hasClass(n, "unreached") && v == "orphan"
	})) != 1 {
		t.Error("unreachable activity orphan not marked")
	}
	if len(findAll(d1, func(n *html.Node) bool { return hasClass(n, "missing") })) != 1 {
		t.Error("missing activity ghost not drawn")
	}
	// Edge labels carry the conditions and split percentages.
	labels := textOf(d1)
	for _, want := range []string{"yes: event in [_email.open] on start", "no", "default", "60%", "40%", "1: in segment “VIP”", "wait 1 d 2 h", "holdout 10%", "template welcome v2", "Start: event in [signup]"} {
		if !strings.Contains(labels, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
	// Charts.
	if n := len(findAll(doc, func(n *html.Node) bool { return n.Data == "svg" && hasClass(n, "chart") })); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	// Related links resolve to rows.
	links := findAll(doc, func(n *html.Node) bool { v, _ := attr(n, "href"); return n.Data == "a" && strings.HasPrefix(v, "#") })
	for _, l := range links {
		href, _ := attr(l, "href")
		if byID(doc, strings.TrimPrefix(href, "#")) == nil {
			t.Errorf("link %s points nowhere", href)
		}
	}
	tw := byID(doc, "w-"+escapeID(assess.WorkloadID(region, "", assess.KindTemplate, "EMAIL/welcome")))
	if tw == nil {
		t.Fatal("template row missing")
	}
	used := textOf(tw)
	if !strings.Contains(used, "campaign spring sale") || !strings.Contains(used, "journey welcome") {
		t.Errorf("template row lacks its users: %q", used)
	}
	// Rules that fired.
	rules := textOf(byID(doc, "rules"))
	for _, r := range []string{"TEST-SPLIT", "TEST-PRQ", "TEST-PH"} {
		if !strings.Contains(rules, r) {
			t.Errorf("rules section lacks %s", r)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	out := renderHTML(t, Options{})
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "script" || n.Data == "iframe" || n.Data == "img" || n.Data == "link" || n.Data == "object" || n.Data == "embed" {
			t.Errorf("element <%s> in a self-contained report", n.Data)
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if (k == "src" || k == "href" || k == "xlink:href" || k == "action" || k == "srcset") && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q> refers outside the page", n.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(k, "on") {
				t.Errorf("<%s %s> event handler", n.Data, a.Key)
			}
		}
	})
	low := strings.ToLower(string(out))
	for _, s := range []string{"http://", "https://", "@import", "url(http", "<script"} {
		if strings.Contains(low, s) {
			t.Errorf("report contains %q", s)
		}
	}
	// The names with markup are shown as text.
	if !strings.Contains(string(out), "&lt;script&gt;alert(&#34;app&#34;)&lt;/script&gt;") {
		t.Error("app name with <script> not escaped as text")
	}
}

func TestNoEndpointDataOrTemplateBodies(t *testing.T) {
	a, inv := fixture(t)
	h, err := HTML(a, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Markdown(a, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{"html": h, "markdown": m} {
		s := string(out)
		for _, addr := range endpointAddresses {
			if strings.Contains(s, addr) {
				t.Errorf("%s report contains endpoint address %s", name, addr)
			}
		}
		for _, leak := range []string{"BODY-SECRET-7731", "Alice", "Your code is", "carol@example.net"} {
			if strings.Contains(s, leak) {
				t.Errorf("%s report contains %q", name, leak)
			}
		}
		if !strings.Contains(s, "redacted") {
			t.Errorf("%s report does not redact the e-mail condition value", name)
		}
	}
	// Counts are there: 3 endpoints, 2 distinct users; 2 placeholders in
	// the welcome template.
	doc, _ := html.Parse(bytes.NewReader(h))
	app := textOf(byID(doc, "app-"+appID))
	if !strings.Contains(app, "endpoints3") || !strings.Contains(app, "distinct users2") {
		t.Errorf("endpoint counts missing: %q", app)
	}
	tw := byID(doc, "w-"+escapeID(assess.WorkloadID(region, "", assess.KindTemplate, "EMAIL/welcome")))
	cells := findAll(tw, func(n *html.Node) bool { return n.Data == "td" })
	if len(cells) < 5 || textOf(cells[4]) != "2" {
		t.Errorf("welcome template placeholder count: %q", textOf(cells[4]))
	}
	// ShowPII lets the condition value through.
	h2, err := HTML(a, inv, Options{ShowPII: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h2), "carol@example.net") {
		t.Error("ShowPII did not show the condition value")
	}
}

func TestDeterministic(t *testing.T) {
	a, inv := fixture(t)
	h1, _ := HTML(a, inv, Options{})
	m1, _ := Markdown(a, inv, Options{})
	for i := 0; i < 5; i++ {
		h2, _ := HTML(a, inv, Options{})
		m2, _ := Markdown(a, inv, Options{})
		if !bytes.Equal(h1, h2) || !bytes.Equal(m1, m2) {
			t.Fatal("rendering is not deterministic")
		}
	}
}

func TestMarkdownGolden(t *testing.T) {
	a, inv := fixture(t)
	got, err := Markdown(a, inv, Options{Title: "Test assessment"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -run TestMarkdownGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Markdown differs from %s (run with -update and review the diff)\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}

func TestKnownRuleTitle(t *testing.T) {
	a, inv := fixture(t)
	j1 := assess.WorkloadID(region, appID, assess.KindJourney, "j1")
	a.Findings = append(a.Findings, assess.Finding{ID: "REF-DANGLING/" + j1 + "/x", Rule: "REF-DANGLING", Workload: j1, Class: assess.Manual, Message: "m", Action: "a"})
	out, err := HTML(a, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := html.Parse(bytes.NewReader(out))
	row := byID(doc, "rule-REF-DANGLING")
	if row == nil || !strings.Contains(textOf(row), assess.RuleByID("REF-DANGLING").Title) {
		t.Error("rules section lacks the catalogue title of REF-DANGLING")
	}
}

// TestLayoutRobust draws degenerate journeys without crashing.
func TestLayoutRobust(t *testing.T) {
	cases := map[string]string{
		"empty":          `{}`,
		"no start":       `{"Activities":{"a":{"Wait":{"NextActivity":"b"}},"b":{"Wait":{"NextActivity":"a"}}}}`,
		"self loop":      `{"StartActivity":"a","Activities":{"a":{"Wait":{"NextActivity":"a"}}}}`,
		"missing start":  `{"StartActivity":"zz","Activities":{"a":{"Holdout":{"Percentage":5}}}}`,
		"unknown type":   `{"StartActivity":"a","Activities":{"a":{"Teleport":{}}}}`,
		"not json":       `not json`,
		"diamond":        `{"StartActivity":"a","Activities":{"a":{"RandomSplit":{"Branches":[{"Percentage":50,"NextActivity":"b"},{"Percentage":50,"NextActivity":"c"}]}},"b":{"Wait":{"NextActivity":"d"}},"c":{"Wait":{"NextActivity":"d"}},"d":{"Wait":{}}}}`,
		"unreached loop": `{"StartActivity":"a","Activities":{"a":{"Wait":{}},"x":{"Wait":{"NextActivity":"y"}},"y":{"Wait":{"NextActivity":"x"}}}}`,
	}
	for name, obj := range cases {
		t.Run(name, func(t *testing.T) {
			inv := &inventory.Inventory{Regions: []inventory.Region{{Name: region, Apps: []inventory.App{{ID: appID, Journeys: []inventory.Journey{{ID: "jx", Object: json.RawMessage(obj)}}}}}}}
			a := &assess.Assessment{}
			out, err := HTML(a, inv, Options{})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if byID(doc, "journey-jx") == nil {
				t.Error("no diagram")
			}
			if _, err := Markdown(a, inv, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLayers checks the longest-path layering: a join sits below the
// longest arm, a cycle's back edge does not push nodes down, and activities
// the start does not reach come after the reachable ones.
func TestLayers(t *testing.T) {
	obj := `{"StartActivity":"a","Activities":{
	 "a":{"RandomSplit":{"Branches":[{"Percentage":50,"NextActivity":"b"},{"Percentage":50,"NextActivity":"d"}]}},
	 "b":{"Wait":{"NextActivity":"c"}},"c":{"Wait":{"NextActivity":"d"}},
	 "d":{"Wait":{"NextActivity":"a"}},
	 "z":{"Wait":{"NextActivity":"d"}}}}`
	jv := buildJourney(&inventory.Journey{ID: "j", Object: json.RawMessage(obj)}, nil, nil, nil, false)
	jv.Anchor = "journey-j"
	layout(jv)
	want := map[string]int{"a": 0, "b": 1, "c": 2, "d": 3, "z": 0}
	for id, l := range want {
		if got := jv.byID[id].Layer; got != l {
			t.Errorf("activity %s in layer %d, want %d", id, got, l)
		}
	}
	back := 0
	for _, n := range jv.Nodes {
		for _, e := range n.Edges {
			if e.Back {
				back++
				if n.ID != "d" || e.To != "a" {
					t.Errorf("back edge %s -> %s", n.ID, e.To)
				}
			}
		}
	}
	if back != 1 || jv.byID["z"].Reachable {
		t.Errorf("back edges %d, z reachable %v", back, jv.byID["z"].Reachable)
	}
}

func TestHumanDuration(t *testing.T) {
	for in, want := range map[string]string{"P1DT2H": "1 d 2 h", "PT30M": "30 min", "P7D": "7 d", "PT0S": "0", "bogus": "bogus", "P1W": "1 w"} {
		if got := humanDuration(in); got != want {
			t.Errorf("humanDuration(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeIDInjective(t *testing.T) {
	seen := map[string]string{}
	for _, s := range []string{"a/b", "a_b", "a_2fb", "a-b", "a b", "a.b"} {
		e := escapeID(s)
		if o, ok := seen[e]; ok {
			t.Errorf("%q and %q both escape to %q", o, s, e)
		}
		seen[e] = s
	}
}

// TestMarkdownLinks checks that every in-page link of the Markdown report
// has its anchor, and that anchors are unique.
func TestMarkdownLinks(t *testing.T) {
	a, inv := fixture(t)
	out, err := Markdown(a, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	anchors := map[string]int{}
	for _, part := range strings.Split(s, `<a id="`)[1:] {
		anchors[part[:strings.Index(part, `"`)]]++
	}
	for id, n := range anchors {
		if n > 1 {
			t.Errorf("anchor %s appears %d times", id, n)
		}
	}
	for _, id := range wantSections {
		if anchors[id] == 0 {
			t.Errorf("no anchor for section %s", id)
		}
	}
	for _, part := range strings.Split(s, "](#")[1:] {
		id := part[:strings.Index(part, ")")]
		if anchors[id] == 0 {
			t.Errorf("link #%s has no anchor", id)
		}
	}
}

// TestRealAssessment renders what the assessment engine makes of the
// fixture inventory (whatever rules the catalogue holds today): every
// in-page link must resolve and every workload must have its row.
func TestRealAssessment(t *testing.T) {
	_, inv := fixture(t)
	inventory.ResolveReferences(inv)
	b, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	a := assess.Assess(inv, b, assess.Options{Tool: "test", Now: func() time.Time { return time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) }})
	out, err := HTML(a, inv, Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range wantSections {
		if byID(doc, id) == nil {
			t.Errorf("section #%s missing", id)
		}
	}
	for _, w := range a.Workloads {
		if byID(doc, "w-"+escapeID(w.ID)) == nil {
			t.Errorf("no row for workload %s", w.ID)
		}
	}
	for _, f := range a.Findings {
		if byID(doc, "f-"+escapeID(f.ID)) == nil {
			t.Errorf("no row for finding %s", f.ID)
		}
	}
	for _, l := range findAll(doc, func(n *html.Node) bool { v, _ := attr(n, "href"); return strings.HasPrefix(v, "#") }) {
		href, _ := attr(l, "href")
		if byID(doc, strings.TrimPrefix(href, "#")) == nil {
			t.Errorf("link %s points nowhere", href)
		}
	}
	if _, err := Markdown(a, inv, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, addr := range endpointAddresses {
		if strings.Contains(string(out), addr) {
			t.Errorf("report contains endpoint address %s", addr)
		}
	}
}
