package translate

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/demoseed"
)

var profiles = awsmodel.MustLoad("customer-profiles")

// checkSegmentResult validates every definition and calculated attribute
// of a result as CreateSegmentDefinition / CreateCalculatedAttributeDefinition
// inputs, and that every helper a definition references exists.
func checkSegmentResult(t testing.TB, ctx SegmentContext, res SegmentResult) {
	t.Helper()
	defs := append([]SegmentDefinition{{Name: ctx.Name, DisplayName: "x", SegmentGroups: res.SegmentGroups}}, res.Helpers...)
	known := map[string]bool{}
	for _, n := range ctx.SourceNames {
		known[n] = true
	}
	for _, h := range res.Helpers {
		known[h.Name] = true
	}
	op := profiles.Operations["CreateSegmentDefinition"]
	for _, d := range defs {
		in := map[string]any{"DomainName": "acme", "SegmentDefinitionName": d.Name, "DisplayName": d.DisplayName, "SegmentGroups": d.SegmentGroups}
		v := roundTrip(t, in)
		if ps := profiles.Validate(op.Input.Shape, v, true); len(ps) > 0 {
			t.Fatalf("definition %s is not a valid CreateSegmentDefinition input: %v\n%s", d.Name, ps, mustJSON(in))
		}
		groups, _ := v.(map[string]any)["SegmentGroups"].(map[string]any)["Groups"].([]any)
		if len(groups) == 0 {
			t.Fatalf("definition %s has no groups", d.Name)
		}
		for _, g := range groups {
			gm := g.(map[string]any)
			dims, _ := gm["Dimensions"].([]any)
			srcs, _ := gm["SourceSegments"].([]any)
			if len(dims) == 0 && len(srcs) == 0 {
				t.Fatalf("definition %s has an empty group", d.Name)
			}
			for _, dim := range dims {
				if n := len(dim.(map[string]any)); n != 1 {
					t.Fatalf("definition %s: a dimension sets %d union members", d.Name, n)
				}
			}
			for _, s := range srcs {
				if n := s.(map[string]any)["SegmentDefinitionName"].(string); !known[n] {
					t.Fatalf("definition %s references unknown definition %s", d.Name, n)
				}
			}
		}
	}
	cop := profiles.Operations["CreateCalculatedAttributeDefinition"]
	for _, c := range res.CalculatedAttributes {
		in := map[string]any{"DomainName": "acme"}
		for k, v := range c {
			in[k] = v
		}
		if ps := profiles.Validate(cop.Input.Shape, roundTrip(t, in), true); len(ps) > 0 {
			t.Fatalf("calculated attribute is not a valid input: %v\n%s", ps, mustJSON(in))
		}
	}
}

// groupsJSON renders the groups of a result without the opt-out group.
func groupsJSON(res SegmentResult) string {
	gs := res.SegmentGroups["Groups"].([]any)
	b, _ := json.Marshal(gs[:len(gs)-1])
	return string(b)
}

func dec(s string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		panic(fmt.Sprintf("%v: %s", err, s))
	}
	return m
}

type segTest struct {
	name  string
	seg   string // segment JSON
	ctx   func(c *SegmentContext)
	want  string // groupsJSON, when set
	probs []string
	notes []string
	check func(t *testing.T, res SegmentResult)
}

// One dimension in the legacy Dimensions form.
func dims(s string) string { return `{"Name":"s","Dimensions":{` + s + `}}` }

const (
	pa = `{"ProfileAttributes":{"Attributes":{`
	ca = `{"CalculatedAttributes":{`
)

func segTests() []segTest {
	return []segTest{
		// One per dimension kind.
		{name: "demographic", seg: dims(`"Demographic":{"Platform":{"DimensionType":"INCLUSIVE","Values":["iOS"]},"AppVersion":{"DimensionType":"EXCLUSIVE","Values":["4.1"]}}`),
			want: `[{"Dimensions":[` + pa + `"Demographic_AppVersion":{"DimensionType":"EXCLUSIVE","Values":["4.1"]}}}},` + pa + `"Demographic_Platform":{"DimensionType":"INCLUSIVE","Values":["iOS"]}}}}],"Type":"ALL"}]`},
		{name: "demographic joined values", seg: dims(`"Demographic":{"Make":{"Values":["Apple"]}}`), ctx: func(c *SegmentContext) { c.MultiValued = map[string]bool{"Demographic.Make": true} },
			want: `[{"Dimensions":[` + pa + `"Demographic_Make":{"DimensionType":"CONTAINS","Values":["Apple"]}}}}],"Type":"ALL"}]`, notes: []string{"INCLUSIVE became CONTAINS"}},
		{name: "demographic bad type", seg: dims(`"Demographic":{"Model":{"DimensionType":"MAYBE","Values":["x"]}}`), probs: []string{`DimensionType "MAYBE"`}, notes: []string{"selects every profile"}},
		{name: "channel", seg: dims(`"Demographic":{"Channel":{"DimensionType":"INCLUSIVE","Values":["EMAIL","SMS"]}}`),
			want: `[{"Dimensions":[` + pa + `"Channels":{"DimensionType":"CONTAINS","Values":[",EMAIL,",",SMS,"]}}}}],"Type":"ALL"}]`},
		{name: "push channel", seg: dims(`"Demographic":{"Channel":{"Values":["APNS","EMAIL"]}}`), probs: []string{"APNS endpoints"},
			want: `[{"Dimensions":[` + pa + `"Channels":{"DimensionType":"CONTAINS","Values":[",APNS,",",EMAIL,"]}}}}],"Type":"ALL"}]`},
		{name: "channel excluded", seg: dims(`"Demographic":{"Channel":{"DimensionType":"EXCLUSIVE","Values":["EMAIL","SMS","VOICE","GCM","APNS","APNS_SANDBOX","APNS_VOIP","APNS_VOIP_SANDBOX","ADM","BAIDU","CUSTOM","IN_APP"]}}`),
			want: `[{"Dimensions":[` + pa + `"Channels":{"DimensionType":"CONTAINS","Values":[",PUSH,"]}}}}],"Type":"ALL"}]`, notes: []string{"EXCLUSIVE"}},
		{name: "country", seg: dims(`"Location":{"Country":{"DimensionType":"EXCLUSIVE","Values":["US","CA"]}}`),
			want: `[{"Dimensions":[{"ProfileAttributes":{"Address":{"Country":{"DimensionType":"EXCLUSIVE","Values":["US","CA"]}}}}],"Type":"ALL"}]`},
		{name: "gps", seg: dims(`"Location":{"GPSPoint":{"Coordinates":{"Latitude":47.6,"Longitude":-122.3},"RangeInKilometers":25}}`),
			probs: []string{"Dimensions.Location.GPSPoint: Customer Profiles segments have no geographic distance condition"}},
		{name: "attribute types", seg: dims(`"Attributes":{"a":{"AttributeType":"INCLUSIVE","Values":["x"]},"b":{"AttributeType":"EXCLUSIVE","Values":["y"]},"c":{"AttributeType":"CONTAINS","Values":["z"]},` +
			`"d":{"AttributeType":"BEFORE","Values":["2026-06-01T00:00:00Z"]},"e":{"AttributeType":"AFTER","Values":["2026-06-01T00:00:00Z"]},"f":{"AttributeType":"ON","Values":["2026-03-15T00:00:00Z"]},` +
			`"g":{"AttributeType":"BETWEEN","Values":["2026-08-01T00:00:00Z","2026-09-15T00:00:00Z"]},"h":{"AttributeType":"NOT_BETWEEN","Values":["1","2"]}}`),
			want: `[{"Dimensions":[` + pa + `"a":{"DimensionType":"INCLUSIVE","Values":["x"]}}}},` + pa + `"b":{"DimensionType":"EXCLUSIVE","Values":["y"]}}}},` +
				pa + `"c":{"DimensionType":"CONTAINS","Values":["z"]}}}},` + pa + `"d":{"DimensionType":"BEFORE","Values":["2026-06-01T00:00:00Z"]}}}},` +
				pa + `"e":{"DimensionType":"AFTER","Values":["2026-06-01T00:00:00Z"]}}}},` + pa + `"f":{"DimensionType":"ON","Values":["2026-03-15T00:00:00Z"]}}}},` +
				pa + `"g":{"DimensionType":"BETWEEN","Values":["2026-08-01T00:00:00Z","2026-09-15T00:00:00Z"]}}}},` + pa + `"h":{"DimensionType":"NOT_BETWEEN","Values":["1","2"]}}}}],"Type":"ALL"}]`},
		{name: "attribute list values", seg: dims(`"Attributes":{"interests":{"Values":["hiking"]}}`), ctx: func(c *SegmentContext) { c.MultiValued = map[string]bool{"Attributes.interests": true} },
			want: `[{"Dimensions":[` + pa + `"interests":{"DimensionType":"CONTAINS","Values":["hiking"]}}}}],"Type":"ALL"}]`},
		{name: "attribute bad", seg: dims(`"Attributes":{"a":{"AttributeType":"SOUNDS_LIKE","Values":["x"]},"b":{"AttributeType":"BETWEEN","Values":["1"]}}`),
			probs: []string{`AttributeType "SOUNDS_LIKE"`, "needs a start and an end"}},
		{name: "user attribute", seg: dims(`"UserAttributes":{"LoyaltyTier":{"AttributeType":"INCLUSIVE","Values":["Gold","Platinum"]}}`),
			want: `[{"Dimensions":[` + pa + `"LoyaltyTier":{"DimensionType":"INCLUSIVE","Values":["Gold","Platinum"]}}}}],"Type":"ALL"}]`},
		{name: "metric as attribute", seg: dims(`"Metrics":{"ltv":{"ComparisonOperator":"GREATER_THAN_OR_EQUAL","Value":500.5}}`),
			want: `[{"Dimensions":[` + pa + `"ltv":{"DimensionType":"GREATER_THAN_OR_EQUAL","Values":["500.5"]}}}}],"Type":"ALL"}]`},
		{name: "metric as calculated attribute", seg: dims(`"Metrics":{"purchases":{"ComparisonOperator":"GREATER_THAN","Value":5},"sessions":{"ComparisonOperator":"LESS_THAN_OR_EQUAL","Value":150},"one":{"ComparisonOperator":"EQUAL","Value":1}}`),
			ctx: func(c *SegmentContext) { c.EndpointObjectType = "PinpointEndpoint"; c.DomainName = "acme" },
			want: `[{"Dimensions":[` + pa + `"one":{"DimensionType":"EQUAL","Values":["1"]}}}},` + ca + `"p2c_metric_max_purchases":{"DimensionType":"GREATER_THAN","Values":["5"]}}},` +
				ca + `"p2c_metric_min_sessions":{"DimensionType":"LESS_THAN_OR_EQUAL","Values":["150"]}}}],"Type":"ALL"}]`,
			check: func(t *testing.T, res SegmentResult) {
				if len(res.CalculatedAttributes) != 2 {
					t.Fatalf("calculated attributes: %s", mustJSON(res.CalculatedAttributes))
				}
				c := res.CalculatedAttributes[0]
				if c["CalculatedAttributeName"] != "p2c_metric_max_purchases" || c["Statistic"] != "MAXIMUM" || c["DomainName"] != "acme" ||
					c["AttributeDetails"].(map[string]any)["Expression"] != "{PinpointEndpoint.Metrics_purchases}" {
					t.Errorf("calculated attribute = %s", mustJSON(c))
				}
			}},
		{name: "long metric name", seg: dims(`"Metrics":{"` + strings.Repeat("m", 1200) + `":{"ComparisonOperator":"GREATER_THAN","Value":1}}`),
			ctx: func(c *SegmentContext) { c.EndpointObjectType = "PinpointEndpoint" }},
		{name: "long attribute name", seg: dims(`"Attributes":{"` + strings.Repeat("a", 256) + `":{"Values":["x"]}},"Metrics":{"` + strings.Repeat("m", 256) + `":{"ComparisonOperator":"EQUAL","Value":1}}`),
			probs: []string{"256 characters", "256 characters"}},
		{name: "metric bad operator", seg: dims(`"Metrics":{"x":{"ComparisonOperator":"ABOUT","Value":1},"y":{"ComparisonOperator":"EQUAL"}}`), probs: []string{`"ABOUT"`, "no numeric Value"}},
		{name: "recency without events", seg: dims(`"Behavior":{"Recency":{"Duration":"DAY_7","RecencyType":"ACTIVE"}}`), probs: []string{"do not reach Customer Profiles"}},
		{name: "recency", seg: dims(`"Behavior":{"Recency":{"Duration":"HR_24","RecencyType":"INACTIVE"}}`),
			ctx: func(c *SegmentContext) {
				c.Activity = &ActivitySource{ObjectTypeName: "AppEvent", EventTypeField: "EventType", EventTypes: []string{"_session.start"}, TimestampField: "Timestamp"}
			},
			want:  `[{"Dimensions":[` + ca + `"p2c_activity_1d":{"DimensionType":"EQUAL","Values":["0"]}}}],"Type":"ALL"}]`,
			notes: []string{"HR_24 became a 1-day window", "INACTIVE"},
			check: func(t *testing.T, res SegmentResult) {
				want := `[{"AttributeDetails":{"Attributes":[{"Name":"EventType"}],"Expression":"{AppEvent.EventType}"},"CalculatedAttributeName":"p2c_activity_1d",` +
					`"Conditions":{"Range":{"TimestampFormat":"ISO_8601","TimestampSource":"{AppEvent.Timestamp}","Unit":"DAYS","Value":1}},` +
					`"Description":"App activity events of the profile in the last 1 day(s) (p2c, from Pinpoint recency segments).","DisplayName":"p2c_activity_1d",` +
					`"Filter":{"Groups":[{"Dimensions":[{"Attributes":{"EventType":{"DimensionType":"INCLUSIVE","Values":["_session.start"]}}}],"Type":"ALL"}],"Include":"ALL"},"Statistic":"COUNT"}]`
				if got, _ := json.Marshal(res.CalculatedAttributes); string(got) != want {
					t.Errorf("calculated attributes:\n got %s\nwant %s", got, want)
				}
			}},
		{name: "unknown dimension kind", seg: dims(`"Mood":{"x":1}`), probs: []string{`unknown dimension kind "Mood"`}},
		{name: "too many values", seg: dims(`"Attributes":{"a":{"Values":[` + strings.Repeat(`"v",`, 50) + `"v"]}}`), probs: []string{"51 values"}},
		{name: "no values", seg: dims(`"Location":{"Country":{"Values":[]}}`), probs: []string{"no values"}},
		{name: "long value", seg: dims(`"Attributes":{"a":{"Values":["` + strings.Repeat("x", 256) + `"]}}`), probs: []string{"256 characters"}},
		{name: "imported", seg: `{"Id":"imp1","SegmentType":"IMPORT","ImportDefinition":{"S3Url":"s3://b/k","Size":10}}`,
			want: `[{"Dimensions":[` + pa + `"PinpointSegment_imp1":{"DimensionType":"INCLUSIVE","Values":["true"]}}}}],"Type":"ALL"}]`},

		// Groups and combinators.
		{name: "groups ALL", seg: `{"SegmentGroups":{"Include":"ALL","Groups":[{"Type":"ANY","Dimensions":[{"Location":{"Country":{"Values":["US"]}}},{"Location":{"Country":{"Values":["CA"]}}}]},` +
			`{"Type":"NONE","Dimensions":[{"UserAttributes":{"Employee":{"Values":["true"]}}}]}]}}`,
			want: `[{"Dimensions":[{"ProfileAttributes":{"Address":{"Country":{"DimensionType":"INCLUSIVE","Values":["US"]}}}},{"ProfileAttributes":{"Address":{"Country":{"DimensionType":"INCLUSIVE","Values":["CA"]}}}}],"Type":"ANY"},` +
				`{"Dimensions":[` + pa + `"Employee":{"DimensionType":"INCLUSIVE","Values":["true"]}}}}],"Type":"NONE"}]`},
		{name: "group ALL flattens", seg: `{"SegmentGroups":{"Groups":[{"Dimensions":[{"Attributes":{"a":{"Values":["1"]}},"Metrics":{"m":{"ComparisonOperator":"EQUAL","Value":2}}},{"Location":{"Country":{"Values":["US"]}}}]}]}}`,
			want: `[{"Dimensions":[` + pa + `"a":{"DimensionType":"INCLUSIVE","Values":["1"]}}}},` + pa + `"m":{"DimensionType":"EQUAL","Values":["2"]}}}},{"ProfileAttributes":{"Address":{"Country":{"DimensionType":"INCLUSIVE","Values":["US"]}}}}],"Type":"ALL"}]`},
		{name: "AND inside ANY", seg: `{"SegmentGroups":{"Include":"ALL","Groups":[{"Type":"ANY","Dimensions":[{"Attributes":{"a":{"Values":["1"]}},"Location":{"Country":{"Values":["US"]}}},{"Attributes":{"b":{"Values":["2"]}}}]}]}}`,
			want:  `[{"SourceSegments":[{"SegmentDefinitionName":"seg1-g1-any"}],"SourceType":"ALL"}]`,
			notes: []string{"moved to helper segment definition seg1-g1-any"},
			check: func(t *testing.T, res SegmentResult) {
				want := `{"Groups":[{"Dimensions":[{"ProfileAttributes":{"Address":{"Country":{"DimensionType":"INCLUSIVE","Values":["US"]}}}},` + pa + `"a":{"DimensionType":"INCLUSIVE","Values":["1"]}}}}],"Type":"ALL"},` +
					`{"Dimensions":[` + pa + `"b":{"DimensionType":"INCLUSIVE","Values":["2"]}}}}],"Type":"ALL"}],"Include":"ANY"}`
				if len(res.Helpers) != 1 {
					t.Fatalf("helpers: %s", mustJSON(res.Helpers))
				}
				if got, _ := json.Marshal(res.Helpers[0].SegmentGroups); string(got) != want {
					t.Errorf("helper:\n got %s\nwant %s", got, want)
				}
			}},
		{name: "Include ANY", seg: `{"Name":"Win-back","SegmentGroups":{"Include":"ANY","Groups":[{"Dimensions":[{"Attributes":{"a":{"Values":["1"]}}}]},{"Dimensions":[{"Attributes":{"b":{"Values":["2"]}}}]}]}}`,
			want: `[{"SourceSegments":[{"SegmentDefinitionName":"seg1-groups"}],"SourceType":"ALL"}]`,
			check: func(t *testing.T, res SegmentResult) {
				if len(res.Helpers) != 1 || res.Helpers[0].SegmentGroups["Include"] != "ANY" || res.Helpers[0].DisplayName != "Win-back (groups combined with ANY)" {
					t.Errorf("helpers: %s", mustJSON(res.Helpers))
				}
			}},
		{name: "Include NONE", seg: `{"SegmentGroups":{"Include":"NONE","Groups":[{"Type":"ANY","Dimensions":[{"UserAttributes":{"Employee":{"Values":["true"]}}}]}]}}`,
			want: `[{"SourceSegments":[{"SegmentDefinitionName":"seg1-groups"}],"SourceType":"ALL"}]`},
		{name: "source segments", seg: `{"SegmentGroups":{"Groups":[{"SourceType":"ANY","SourceSegments":[{"Id":"s1","Version":1},{"Id":"s2"}],"Type":"ALL","Dimensions":[{"Attributes":{"a":{"Values":["1"]}}}]}]}}`,
			want:  `[{"Dimensions":[` + pa + `"a":{"DimensionType":"INCLUSIVE","Values":["1"]}}}}],"SourceSegments":[{"SegmentDefinitionName":"lapsed"},{"SegmentDefinitionName":"inactive"}],"SourceType":"ANY","Type":"ALL"}]`,
			notes: []string{"Source segment s1 (version 1) is referenced as definition lapsed"}},
		{name: "unknown source segment", seg: `{"SegmentGroups":{"Groups":[{"SourceSegments":[{"Id":"gone"}]}]}}`,
			probs: []string{`source segment "gone"`, "nothing of the group"}},
		{name: "sources with nested ANY", seg: `{"SegmentGroups":{"Groups":[{"SourceType":"NONE","SourceSegments":[{"Id":"s1"}],"Type":"ANY","Dimensions":[{"Attributes":{"a":{"Values":["1"]},"b":{"Values":["2"]}}}]}]}}`,
			want: `[{"SourceSegments":[{"SegmentDefinitionName":"seg1-g1-src"},{"SegmentDefinitionName":"seg1-g1-any"}],"SourceType":"ALL"}]`,
			check: func(t *testing.T, res SegmentResult) {
				if len(res.Helpers) != 2 || res.Helpers[1].Name != "seg1-g1-src" {
					t.Fatalf("helpers: %s", mustJSON(res.Helpers))
				}
				if got, _ := json.Marshal(res.Helpers[1].SegmentGroups); string(got) != `{"Groups":[{"SourceSegments":[{"SegmentDefinitionName":"lapsed"}],"SourceType":"NONE"}],"Include":"ALL"}` {
					t.Errorf("source helper: %s", got)
				}
			}},
		{name: "sources ALL with nested NONE", seg: `{"SegmentGroups":{"Groups":[{"SourceSegments":[{"Id":"s1"}],"Type":"NONE","Dimensions":[{"Attributes":{"a":{"Values":["1"]},"b":{"Values":["2"]}}}]}]}}`,
			want: `[{"SourceSegments":[{"SegmentDefinitionName":"lapsed"},{"SegmentDefinitionName":"seg1-g1-none"}],"SourceType":"ALL"}]`},
		{name: "bad combinators", seg: `{"SegmentGroups":{"Include":"SOME","Groups":[{"Type":"MOST","SourceType":"FEW","Dimensions":[{"Attributes":{"a":{"Values":["1"]}}}]}]}}`,
			probs: []string{"Include", "group Type", "SourceType"}},

		// Opt-out.
		{name: "opt-out per channel", seg: dims(`"Attributes":{"a":{"Values":["1"]}}`), ctx: func(c *SegmentContext) { c.Channels = []string{"sms", "GCM", "SMS"} },
			check: func(t *testing.T, res SegmentResult) {
				gs := res.SegmentGroups["Groups"].([]any)
				got, _ := json.Marshal(gs[len(gs)-1])
				if string(got) != `{"Dimensions":[`+pa+`"OptOut_SMS":{"DimensionType":"INCLUSIVE","Values":["ALL"]}}}}],"Type":"NONE"}` {
					t.Errorf("opt-out group: %s", got)
				}
			}},
	}
}

func TestSegment(t *testing.T) {
	for _, c := range segTests() {
		t.Run(c.name, func(t *testing.T) {
			ctx := SegmentContext{Name: "seg1", SourceNames: map[string]string{"s1": "lapsed", "s2": "inactive"}}
			if c.ctx != nil {
				c.ctx(&ctx)
			}
			res, err := Segment(dec(c.seg), ctx)
			if err != nil {
				t.Fatal(err)
			}
			checkSegmentResult(t, ctx, res)
			if res.SegmentGroups["Include"] != "ALL" {
				t.Errorf("top-level Include %v", res.SegmentGroups["Include"])
			}
			gs := res.SegmentGroups["Groups"].([]any)
			if last := gs[len(gs)-1].(map[string]any); last["Type"] != "NONE" || !strings.Contains(mustJSON(last), "OptOut_") {
				t.Errorf("the last group is not the opt-out exclusion: %s", mustJSON(last))
			}
			if c.want != "" {
				if got := groupsJSON(res); got != c.want {
					t.Errorf("groups:\n got %s\nwant %s", got, c.want)
				}
			}
			if len(res.Untranslated) != len(c.probs) {
				t.Errorf("%d problems, want %d: %s", len(res.Untranslated), len(c.probs), mustJSON(res.Untranslated))
			} else {
				for i, p := range res.Untranslated {
					if !strings.Contains(p.Path+": "+p.Reason, c.probs[i]) {
						t.Errorf("problem %d = %+v, want it to mention %q", i, p, c.probs[i])
					}
				}
			}
			all := strings.Join(res.Notes, "\n")
			for _, n := range c.notes {
				if !strings.Contains(all, n) {
					t.Errorf("no note mentions %q; notes:\n%s", n, all)
				}
			}
			if c.check != nil {
				c.check(t, res)
			}
		})
	}
}

func TestSegmentErrors(t *testing.T) {
	if _, err := Segment(nil, SegmentContext{Name: "x"}); err == nil {
		t.Error("nil segment: no error")
	}
	for _, n := range []string{"", "has space", strings.Repeat("x", 65)} {
		if _, err := Segment(map[string]any{}, SegmentContext{Name: n}); err == nil {
			t.Errorf("name %q: no error", n)
		}
	}
}

func TestSegmentHelperNamesFit(t *testing.T) {
	long := strings.Repeat("n", 64)
	seg := dec(`{"SegmentGroups":{"Include":"ANY","Groups":[{"Type":"ANY","Dimensions":[{"Attributes":{"a":{"Values":["1"]},"b":{"Values":["2"]}}}]}]}}`)
	res, err := Segment(seg, SegmentContext{Name: long})
	if err != nil {
		t.Fatal(err)
	}
	checkSegmentResult(t, SegmentContext{Name: long}, res)
	re := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	seen := map[string]bool{}
	for _, h := range res.Helpers {
		if !re.MatchString(h.Name) || seen[h.Name] || h.Name == long {
			t.Errorf("helper name %q", h.Name)
		}
		seen[h.Name] = true
	}
}

// demoSegments returns the segment requests of the demo seed (creates and
// updates) and the definition name of every created segment, keyed by the
// ${...} reference the seed uses as its id.
func demoSegments() (segs []map[string]any, names map[string]string) {
	names = map[string]string{}
	for _, c := range demoseed.Demo().Calls {
		if c.Service != "pinpoint" || (c.Operation != "CreateSegment" && c.Operation != "UpdateSegment") {
			continue
		}
		if w, ok := c.Input["WriteSegmentRequest"].(map[string]any); ok {
			segs = append(segs, w)
		}
		for save := range c.Save {
			names["${"+save+"}"] = strings.NewReplacer(".", "_").Replace(save)
		}
	}
	return segs, names
}

func TestSegmentDemoSeed(t *testing.T) {
	segs, names := demoSegments()
	if len(segs) < 30 {
		t.Fatalf("only %d demo segments", len(segs))
	}
	kinds := map[string]bool{}
	for i, s := range segs {
		ctx := SegmentContext{Name: fmt.Sprintf("demo-%d", i), SourceNames: names, DomainName: "northwind", EndpointObjectType: "PinpointEndpoint",
			Activity: &ActivitySource{ObjectTypeName: "AppEvent", EventTypeField: "EventType"}}
		res, err := Segment(s, ctx)
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		checkSegmentResult(t, ctx, res)
		again, _ := Segment(s, ctx)
		if mustJSON(res) != mustJSON(again) {
			t.Errorf("segment %d: not deterministic", i)
		}
		for _, p := range res.Untranslated {
			kinds[p.Reason[:min(len(p.Reason), 30)]] = true
			if !strings.Contains(p.Path, "GPSPoint") && !strings.Contains(p.Reason, "cannot send to") {
				t.Errorf("segment %q: unexpected problem %+v", s["Name"], p)
			}
		}
	}
}

// FuzzSegment: the segment translator never panics, and whatever it
// returns is valid for Customer Profiles.
func FuzzSegment(f *testing.F) {
	segs, _ := demoSegments()
	for _, s := range segs {
		b, _ := json.Marshal(s)
		f.Add(string(b), byte(0))
	}
	if b, err := os.ReadFile("../../../shared/corpus/pinpoint/ppdg__CreateSegment.body.json"); err == nil {
		f.Add(string(b), byte(3))
	}
	f.Add(`{"SegmentGroups":{"Include":"ANY","Groups":[{"Type":"NONE","SourceType":"ANY","SourceSegments":[{"Id":"s1"}],"Dimensions":[{"Attributes":{"a":{"Values":["1"]},"b":{"Values":["2"]}}}]}]}}`, byte(7))
	f.Fuzz(func(t *testing.T, js string, flags byte) {
		var seg map[string]any
		if json.Unmarshal([]byte(js), &seg) != nil || seg == nil {
			return
		}
		ctx := SegmentContext{Name: "fuzz", SourceNames: map[string]string{"s1": "one"}}
		if flags&1 != 0 {
			ctx.EndpointObjectType = "PinpointEndpoint"
		}
		if flags&2 != 0 {
			ctx.Activity = &ActivitySource{ObjectTypeName: "AppEvent", EventTypeField: "EventType", TimestampField: "ts"}
		}
		if flags&4 != 0 {
			ctx.Channels = []string{"EMAIL"}
		}
		res, err := Segment(seg, ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkSegmentResult(t, ctx, res)
	})
}
