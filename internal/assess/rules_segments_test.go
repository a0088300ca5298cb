package assess

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

// segCase is one fixture and what one rule must (or must not) say about it.
// The segment, endpoint, settings and recommender tests share it.
type segCase struct {
	name  string
	rule  string
	setup func(f *fixture)
	// want is the number of hits of rule on workload (0: must not fire).
	want     int
	workload string
	class    string // class of every hit, when want > 0
	contains string // substring of the first hit's message
	// absent must appear in no message of the assessment (PII checks).
	absent string
}

func segRunCases(t *testing.T, cases []segCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			if RuleByID(c.rule) == nil {
				t.Fatalf("rule %s is not registered", c.rule)
			}
			f := newFixture()
			c.setup(f)
			a := f.assess(t)
			var hits []Finding
			for _, h := range fired(a, c.rule) {
				if c.workload == "" || h.Workload == c.workload {
					hits = append(hits, h)
				}
			}
			if len(hits) != c.want {
				t.Fatalf("%s fired %d time(s) on %s, want %d: %+v", c.rule, len(hits), c.workload, c.want, hits)
			}
			for _, h := range hits {
				if c.class != "" && h.Class != c.class {
					t.Errorf("%s: class %s, want %s", h.ID, h.Class, c.class)
				}
				if (h.Class == Redesign || h.Class == Manual) && h.Action == "" {
					t.Errorf("%s: %s finding without an action", h.ID, h.Class)
				}
				if h.Message == "" || strings.Count(strings.TrimSuffix(h.Message, "."), ". ") > 0 {
					t.Errorf("%s: message should be one sentence: %q", h.ID, h.Message)
				}
			}
			if c.want > 0 && c.contains != "" && !strings.Contains(hits[0].Message, c.contains) {
				t.Errorf("%s: message %q does not mention %q", hits[0].ID, hits[0].Message, c.contains)
			}
			if c.absent != "" {
				for _, h := range a.Findings {
					if strings.Contains(h.Message+h.Action, c.absent) {
						t.Errorf("%s prints %q: %s", h.ID, c.absent, h.Message)
					}
				}
			}
		})
	}
}

// TestSegEptSetRecCovered checks that every segment, endpoint, settings and
// recommender rule has a case that fires it and one that does not.
func TestSegEptSetRecCovered(t *testing.T) {
	areas := map[string][]segCase{"SEG-": segmentCases(), "EPT-": endpointCases(), "SET-": settingsCases(), "REC-": recommenderCases()}
	for prefix, cases := range areas {
		fires, quiet := map[string]bool{}, map[string]bool{}
		for _, c := range cases {
			if c.want > 0 {
				fires[c.rule] = true
			} else {
				quiet[c.rule] = true
			}
		}
		for _, r := range Catalogue() {
			if !strings.HasPrefix(r.ID, prefix) {
				continue
			}
			if !fires[r.ID] {
				t.Errorf("no test fires %s", r.ID)
			}
			if !quiet[r.ID] {
				t.Errorf("no test shows %s not firing", r.ID)
			}
		}
	}
}

const segWID = "us-east-1/app1/segment/s1"

// segWith adds segment s1 with the given extra members.
func segWith(members string) func(f *fixture) {
	return func(f *fixture) {
		f.app().Segments = append(f.app().Segments, inventory.Segment{ID: "s1", Name: "target", Version: 1,
			Object: raw(`{"Id":"s1","Name":"target","ApplicationId":"app1","Version":1,` + members + `}`)})
	}
}

func segWithDims(dims string) func(f *fixture) {
	return segWith(`"SegmentType":"DIMENSIONAL","Dimensions":` + dims)
}

func segWithGroups(groups string) func(f *fixture) {
	return segWith(`"SegmentType":"DIMENSIONAL","SegmentGroups":` + groups)
}

func segAll(fs ...func(f *fixture)) func(f *fixture) {
	return func(f *fixture) {
		for _, fn := range fs {
			fn(f)
		}
	}
}

func TestSegmentRules(t *testing.T) { segRunCases(t, segmentCases()) }

func segmentCases() []segCase {
	plain := segWithDims(`{"Attributes":{"tier":{"AttributeType":"INCLUSIVE","Values":["gold"]}}}`)
	many := make([]string, 51)
	for i := range many {
		many[i] = fmt.Sprintf("%q", fmt.Sprint("v", i))
	}
	cases := []segCase{
		{name: "platform", rule: "SEG-DEMOGRAPHIC", setup: segWithDims(`{"Demographic":{"Platform":{"DimensionType":"INCLUSIVE","Values":["ios","android"]},"Make":{"Values":["Apple"]}}}`),
			want: 2, workload: segWID, class: Trans, contains: "Demographic.Make"},
		{name: "in group", rule: "SEG-DEMOGRAPHIC", setup: segWithGroups(`{"Include":"ALL","Groups":[{"Type":"ALL","Dimensions":[{"Demographic":{"AppVersion":{"Values":["2.0"]}}}]}]}`),
			want: 1, workload: segWID, class: Trans, contains: "AppVersion"},
		{name: "bad type", rule: "SEG-DEMOGRAPHIC", setup: segWithDims(`{"Demographic":{"Model":{"DimensionType":"MAYBE","Values":["x"]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "MAYBE"},
		{name: "channel only", rule: "SEG-DEMOGRAPHIC", setup: segWithDims(`{"Demographic":{"Channel":{"Values":["EMAIL"]}}}`), workload: segWID},
		{name: "email", rule: "SEG-CHANNEL", setup: segWithDims(`{"Demographic":{"Channel":{"Values":["EMAIL","SMS"]}}}`),
			want: 1, workload: segWID, class: Trans, contains: "EMAIL, SMS"},
		{name: "push", rule: "SEG-CHANNEL", setup: segWithDims(`{"Demographic":{"Channel":{"DimensionType":"INCLUSIVE","Values":["APNS","EMAIL"]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "APNS"},
		{name: "push excluded", rule: "SEG-CHANNEL", setup: segWithDims(`{"Demographic":{"Channel":{"DimensionType":"EXCLUSIVE","Values":["GCM"]}}}`),
			want: 1, workload: segWID, class: Trans},
		{name: "none", rule: "SEG-CHANNEL", setup: plain, workload: segWID},
		{name: "country", rule: "SEG-COUNTRY", setup: segWithDims(`{"Location":{"Country":{"Values":["US","CA"]}}}`),
			want: 1, workload: segWID, class: Trans, contains: "US, CA"},
		{name: "bad type", rule: "SEG-COUNTRY", setup: segWithDims(`{"Location":{"Country":{"DimensionType":"DimensionType","Values":["US"]}}}`),
			want: 1, workload: segWID, class: Redesign},
		{name: "none", rule: "SEG-COUNTRY", setup: plain, workload: segWID},
		{name: "gps", rule: "SEG-GPS", setup: segWithDims(`{"Location":{"GPSPoint":{"Coordinates":{"Latitude":47.6,"Longitude":-122.3},"RangeInKilometers":12.5}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "12.5 km"},
		{name: "country only", rule: "SEG-GPS", setup: segWithDims(`{"Location":{"Country":{"Values":["US"]}}}`), workload: segWID},
		{name: "inclusive and user", rule: "SEG-ATTRIBUTE", setup: segWithDims(`{"Attributes":{"tier":{"AttributeType":"INCLUSIVE","Values":["someone@example.com"]}},"UserAttributes":{"plan":{"AttributeType":"CONTAINS","Values":["pro"]}}}`),
			want: 2, workload: segWID, class: Trans, contains: `"tier"`, absent: "someone@example.com"},
		{name: "multi-valued", rule: "SEG-ATTRIBUTE", setup: segAll(segWithDims(`{"Attributes":{"Interests":{"Values":["hiking"]}}}`), func(f *fixture) {
			f.app().EndpointStats = &inventory.EndpointStats{Total: 10, Attributes: []inventory.AttributeStats{{Key: "Interests", Scope: "Attributes", MaxValues: 3}}}
		}), want: 1, workload: segWID, class: Trans, contains: "CONTAINS"},
		{name: "unknown type", rule: "SEG-ATTRIBUTE", setup: segWithDims(`{"Attributes":{"tier":{"AttributeType":"FUZZY","Values":["x"]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "FUZZY"},
		{name: "date only", rule: "SEG-ATTRIBUTE", setup: segWithDims(`{"Attributes":{"signup":{"AttributeType":"AFTER","Values":["2025-01-01T00:00:00Z"]}}}`), workload: segWID},
		{name: "date", rule: "SEG-ATTRIBUTE-DATE", setup: segWithDims(`{"UserAttributes":{"signup":{"AttributeType":"BETWEEN","Values":["2025-01-01T00:00:00Z","2025-02-01T00:00:00Z"]}}}`),
			want: 1, workload: segWID, class: Trans, contains: "BETWEEN"},
		{name: "not a date", rule: "SEG-ATTRIBUTE-DATE", setup: plain, workload: segWID},
		{name: "metric", rule: "SEG-METRIC", setup: segWithDims(`{"Metrics":{"purchases":{"ComparisonOperator":"GREATER_THAN_OR_EQUAL","Value":3}}}`),
			want: 1, workload: segWID, class: Trans, contains: "GREATER_THAN_OR_EQUAL 3"},
		{name: "unknown operator", rule: "SEG-METRIC", setup: segWithDims(`{"Metrics":{"purchases":{"ComparisonOperator":"ABOUT","Value":3}}}`),
			want: 1, workload: segWID, class: Redesign},
		{name: "none", rule: "SEG-METRIC", setup: plain, workload: segWID},
		{name: "recency", rule: "SEG-RECENCY", setup: segWithDims(`{"Behavior":{"Recency":{"Duration":"DAY_14","RecencyType":"INACTIVE"}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "inactive within the last 14 days"},
		{name: "recency with stream", rule: "SEG-RECENCY", setup: segAll(segWithDims(`{"Behavior":{"Recency":{"Duration":"HR_24","RecencyType":"ACTIVE"}}}`), func(f *fixture) {
			f.app().EventStream = raw(`{"ApplicationId":"app1","DestinationStreamArn":"arn:aws:kinesis:us-east-1:111122223333:stream/ev","RoleArn":"arn:aws:iam::111122223333:role/r"}`)
		}), want: 1, workload: segWID, class: Redesign, contains: "active within the last 24 hours"},
		{name: "none", rule: "SEG-RECENCY", setup: plain, workload: segWID},
		{name: "import with file", rule: "SEG-IMPORT", setup: segWith(`"SegmentType":"IMPORT","ImportDefinition":{"ExternalId":"x","Format":"CSV","RoleArn":"arn:aws:iam::111122223333:role/r","S3Url":"s3://bucket/list.csv","Size":120}`),
			want: 1, workload: segWID, class: Trans, contains: "120 endpoints"},
		{name: "import with export", rule: "SEG-IMPORT", setup: segAll(segWith(`"SegmentType":"IMPORT","ImportDefinition":{"Size":5}`), func(f *fixture) {
			f.app().Segments[0].ExportJobs = []inventory.Object{{ID: "job1", Object: raw(`{"Id":"job1"}`)}}
		}), want: 1, workload: segWID, class: Trans, contains: "export"},
		{name: "import file gone", rule: "SEG-IMPORT", setup: segAll(segWith(`"SegmentType":"IMPORT","ImportDefinition":{"Format":"CSV","S3Url":"s3://bucket/list.csv","Size":120}`), func(f *fixture) {
			f.inv.Facts = append(f.inv.Facts, inventory.Fact{Region: "us-east-1", Service: "s3", Operation: "GetObject", Kind: inventory.FactAccessDenied, Resource: "s3://bucket/list.csv"})
		}), want: 1, workload: segWID, class: Manual, contains: "could not read"},
		{name: "import without file", rule: "SEG-IMPORT", setup: segWith(`"SegmentType":"IMPORT"`),
			want: 1, workload: segWID, class: Manual},
		{name: "dimensional", rule: "SEG-IMPORT", setup: plain, workload: segWID},
		{name: "several groups", rule: "SEG-GROUPS", setup: segWithGroups(`{"Include":"ANY","Groups":[{"Type":"ALL","Dimensions":[{"Location":{"Country":{"Values":["US"]}}}]},{"Type":"ALL","Dimensions":[{"Location":{"Country":{"Values":["CA"]}}}]}]}`),
			want: 1, workload: segWID, class: Trans, contains: "2 group(s) with Include ANY"},
		{name: "none type", rule: "SEG-GROUPS", setup: segWithGroups(`{"Groups":[{"Type":"NONE","Dimensions":[{"Location":{"Country":{"Values":["US"]}}}]}]}`),
			want: 1, workload: segWID, class: Trans},
		{name: "one plain group", rule: "SEG-GROUPS", setup: segWithGroups(`{"Include":"ALL","Groups":[{"Type":"ALL","Dimensions":[{"Location":{"Country":{"Values":["US"]}}}]}]}`), workload: segWID},
		{name: "and under any", rule: "SEG-NESTING", setup: segWithGroups(`{"Include":"ALL","Groups":[{"Type":"ANY","Dimensions":[{"Location":{"Country":{"Values":["US"]}},"Attributes":{"tier":{"Values":["gold"]}}},{"Metrics":{"m":{"ComparisonOperator":"EQUAL","Value":1}}}]}]}`),
			want: 1, workload: segWID, class: Redesign, contains: "Groups[0].Dimensions[0]"},
		{name: "and under all", rule: "SEG-NESTING", setup: segWithGroups(`{"Include":"ALL","Groups":[{"Type":"ALL","Dimensions":[{"Location":{"Country":{"Values":["US"]}},"Attributes":{"tier":{"Values":["gold"]}}}]}]}`), workload: segWID},
		{name: "nested", rule: "SEG-SOURCE", setup: segAll(segWithGroups(`{"Groups":[{"SourceSegments":[{"Id":"base"}],"SourceType":"ANY","Type":"ALL"}]}`), func(f *fixture) {
			f.app().Segments = append(f.app().Segments, inventory.Segment{ID: "base", Name: "base list", Version: 1, Object: raw(`{"Id":"base","Name":"base list","SegmentType":"DIMENSIONAL","Version":1}`)})
		}), want: 1, workload: segWID, class: Trans, contains: `"base list" (base)`},
		{name: "no sources", rule: "SEG-SOURCE", setup: plain, workload: segWID},
		{name: "old pin", rule: "SEG-SOURCE-VERSION", setup: segAll(segWithGroups(`{"Groups":[{"SourceSegments":[{"Id":"base","Version":1}],"Type":"ALL"}]}`), func(f *fixture) {
			f.app().Segments = append(f.app().Segments, inventory.Segment{ID: "base", Name: "base", Version: 3, Object: raw(`{"Id":"base","SegmentType":"DIMENSIONAL","Version":3}`),
				Versions: []json.RawMessage{raw(`{"Id":"base","Version":1}`), raw(`{"Id":"base","Version":2}`), raw(`{"Id":"base","Version":3}`)}})
		}), want: 1, workload: segWID, class: Redesign, contains: "latest version is 3"},
		{name: "latest pin", rule: "SEG-SOURCE-VERSION", setup: segAll(segWithGroups(`{"Groups":[{"SourceSegments":[{"Id":"base","Version":3}],"Type":"ALL"}]}`), func(f *fixture) {
			f.app().Segments = append(f.app().Segments, inventory.Segment{ID: "base", Version: 3, Object: raw(`{"Id":"base","SegmentType":"DIMENSIONAL","Version":3}`)})
		}), workload: segWID},
		{name: "unpinned", rule: "SEG-SOURCE-VERSION", setup: segAll(segWithGroups(`{"Groups":[{"SourceSegments":[{"Id":"base"}],"Type":"ALL"}]}`), func(f *fixture) {
			f.app().Segments = append(f.app().Segments, inventory.Segment{ID: "base", Version: 3, Object: raw(`{"Id":"base","SegmentType":"DIMENSIONAL","Version":3}`)})
		}), workload: segWID},
		{name: "history", rule: "SEG-VERSIONS", setup: func(f *fixture) {
			f.app().Segments = []inventory.Segment{{ID: "s1", Version: 4, Object: raw(`{"Id":"s1","SegmentType":"DIMENSIONAL","Version":4}`)}}
		}, want: 1, workload: segWID, class: Trans, contains: "4 versions"},
		{name: "first version", rule: "SEG-VERSIONS", setup: plain, workload: segWID},
		{name: "every segment", rule: "SEG-OPTOUT", setup: plain, want: 1, workload: segWID, class: Trans},
		{name: "no segments", rule: "SEG-OPTOUT", setup: func(f *fixture) {}},
		{name: "used by campaign", rule: "SEG-REFRESH", setup: segAll(plain, func(f *fixture) {
			f.app().Campaigns = []inventory.Campaign{{ID: "c1", Version: 1, Object: raw(`{"Id":"c1","SegmentId":"s1","SegmentVersion":1,"Schedule":{"Frequency":"DAILY","StartTime":"2026-01-01T00:00:00Z"}}`)}}
		}), want: 1, workload: segWID, class: Trans, contains: "1 campaign(s)"},
		{name: "unused", rule: "SEG-REFRESH", setup: plain, workload: segWID},
		{name: "import used", rule: "SEG-REFRESH", setup: segAll(segWith(`"SegmentType":"IMPORT","ImportDefinition":{"S3Url":"s3://b/k","Size":1}`), func(f *fixture) {
			f.app().Campaigns = []inventory.Campaign{{ID: "c1", Version: 1, Object: raw(`{"Id":"c1","SegmentId":"s1","SegmentVersion":1}`)}}
		}), workload: segWID},
		{name: "51 values", rule: "SEG-VALUES-LIMIT", setup: segWithDims(`{"Attributes":{"sku":{"Values":[` + strings.Join(many, ",") + `]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "51 values"},
		{name: "long value", rule: "SEG-VALUES-LIMIT", setup: segWithDims(`{"UserAttributes":{"note":{"AttributeType":"CONTAINS","Values":["` + strings.Repeat("x", 300) + `"]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "longer than"},
		{name: "empty", rule: "SEG-VALUES-LIMIT", setup: segWithDims(`{"Location":{"Country":{"Values":[]}}}`),
			want: 1, workload: segWID, class: Redesign, contains: "no values"},
		{name: "fits", rule: "SEG-VALUES-LIMIT", setup: plain, workload: segWID},
	}
	return cases
}
