package assess

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Segment rules: how each Pinpoint segment criterion becomes a Customer
// Profiles segment definition (connect-target.md 3.7, 3.8).
//
// A Pinpoint segment holds its criteria either in the legacy top-level
// Dimensions or in SegmentGroups.Groups[i].Dimensions[j]; segDimensions
// walks both so every rule sees every criterion with its source path.

// segDims is one SegmentDimensions object of a segment.
type segDims struct {
	path  string         // "Dimensions" or "SegmentGroups.Groups[0].Dimensions[1]"
	group map[string]any // the enclosing SegmentGroup, nil for the legacy form
	dims  map[string]any
}

func segDimensions(obj map[string]any) []segDims {
	var out []segDims
	if d := Obj(obj, "Dimensions"); len(d) > 0 {
		out = append(out, segDims{path: "Dimensions", dims: d})
	}
	for gi, g := range List(obj, "SegmentGroups.Groups") {
		gm, _ := g.(map[string]any)
		for di, d := range List(gm, "Dimensions") {
			dm, _ := d.(map[string]any)
			if len(dm) > 0 {
				out = append(out, segDims{path: fmt.Sprintf("SegmentGroups.Groups[%d].Dimensions[%d]", gi, di), group: gm, dims: dm})
			}
		}
	}
	return out
}

// segGroups returns the SegmentGroups groups as objects.
func segGroups(obj map[string]any) []map[string]any {
	var out []map[string]any
	for _, g := range List(obj, "SegmentGroups.Groups") {
		if gm, ok := g.(map[string]any); ok {
			out = append(out, gm)
		}
	}
	return out
}

// segCriteria counts the leaf conditions of one SegmentDimensions object
// (Pinpoint ANDs them).
func segCriteria(d map[string]any) int {
	n := len(Obj(d, "Demographic")) + len(Obj(d, "Attributes")) + len(Obj(d, "UserAttributes")) + len(Obj(d, "Metrics"))
	if Has(d, "Location.Country") {
		n++
	}
	if Has(d, "Location.GPSPoint") {
		n++
	}
	if Has(d, "Behavior.Recency") {
		n++
	}
	return n
}

// segValues lists the Values of a SetDimension or AttributeDimension.
func segValues(m map[string]any) []string {
	var out []string
	for _, v := range List(m, "Values") {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// segShowValues prints a few non-personal values (platforms, countries).
func segShowValues(vs []string) string {
	if len(vs) == 0 {
		return "no values"
	}
	if len(vs) > 3 {
		return strings.Join(vs[:3], ", ") + fmt.Sprintf(" and %d more", len(vs)-3)
	}
	return strings.Join(vs, ", ")
}

// segSetType returns a SetDimension's DimensionType (INCLUSIVE when
// absent) and whether p2c knows it.
func segSetType(dim map[string]any) (string, bool) {
	t := segOr(Str(dim, "DimensionType"), "INCLUSIVE")
	return t, t == "INCLUSIVE" || t == "EXCLUSIVE"
}

// segBadType is the hit for a SetDimension of unknown DimensionType.
func segBadType(f, typ string) Hit {
	return Hit{Field: f, Detail: f, Class: Redesign,
		Message: fmt.Sprintf("%s has DimensionType %q, which is neither INCLUSIVE nor EXCLUSIVE.", f, typ),
		Action:  "Say whether the condition includes or excludes its values, or drop it, before planning."}
}

func segOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// segPushChannels are endpoint channel types Connect campaigns cannot reach.
var segPushChannels = map[string]bool{"PUSH": true, "GCM": true, "APNS": true, "APNS_SANDBOX": true, "APNS_VOIP": true,
	"APNS_VOIP_SANDBOX": true, "ADM": true, "BAIDU": true, "IN_APP": true, "CUSTOM": true}

// segMetricOps maps Pinpoint metric comparison operators to Customer
// Profiles AttributeDimension types.
var segMetricOps = map[string]string{"GREATER_THAN": "GREATER_THAN", "LESS_THAN": "LESS_THAN",
	"GREATER_THAN_OR_EQUAL": "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL": "LESS_THAN_OR_EQUAL", "EQUAL": "EQUAL"}

// segName names a segment of the same app for messages.
func segName(s *Subject, id string) string {
	if s.App != nil {
		for _, sg := range s.App.Segments {
			if sg.ID == id && sg.Name != "" {
				return fmt.Sprintf("%q (%s)", sg.Name, id)
			}
		}
	}
	return id
}

// segFileGone reports whether the scan recorded that an S3 object could
// not be read (a fact or warning naming it).
func segFileGone(inv *inventory.Inventory, url string) bool {
	for _, f := range inv.Facts {
		if f.Service == "s3" && f.Resource != "" && strings.HasPrefix(url, f.Resource) {
			return true
		}
	}
	for _, w := range inv.Warnings {
		if w.Resource == url || w.File == url {
			return true
		}
	}
	return false
}

// segAttrStats finds the endpoint statistics of an attribute, if any.
func segAttrStats(s *Subject, scope, key string) *inventory.AttributeStats {
	if s.App == nil || s.App.EndpointStats == nil {
		return nil
	}
	for i, a := range s.App.EndpointStats.Attributes {
		if a.Scope == scope && a.Key == key {
			return &s.App.EndpointStats.Attributes[i]
		}
	}
	return nil
}

// segLatest returns the latest known version of a segment of the app.
func segLatest(s *Subject, id string) (int, bool) {
	if s.App == nil {
		return 0, false
	}
	for _, sg := range s.App.Segments {
		if sg.ID != id {
			continue
		}
		v := sg.Version
		if ov, ok := Num(decode(sg.Object), "Version"); ok && int(ov) > v {
			v = int(ov)
		}
		for _, raw := range sg.Versions {
			var x struct{ Version int }
			if json.Unmarshal(raw, &x) == nil && x.Version > v {
				v = x.Version
			}
		}
		return v, true
	}
	return 0, false
}

func init() {
	register(
		&Rule{
			ID: "SEG-DEMOGRAPHIC", Kind: KindSegment, Class: Trans, Phase: "build",
			Title: "Demographic dimension",
			Doc: "Demographic.AppVersion, DeviceType, Make, Model and Platform select endpoints by device fields. p2c carries " +
				"those fields into profile attributes during ingestion and rewrites each as a profile attribute condition " +
				"(INCLUSIVE/EXCLUSIVE). When several endpoints merge into one profile the values are joined, so a condition " +
				"matches a user if any of their devices matches.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					demo := Obj(d.dims, "Demographic")
					for _, k := range sortedKeys(demo) {
						if k == "Channel" {
							continue
						}
						dim, _ := demo[k].(map[string]any)
						f := d.path + ".Demographic." + k
						typ, ok := segSetType(dim)
						if !ok {
							hits = append(hits, segBadType(f, typ))
							continue
						}
						hits = append(hits, Hit{Field: f, Detail: f,
							Message: fmt.Sprintf("The segment selects endpoints by Demographic.%s (%s %s); p2c rewrites it as a condition on the matching profile attribute.",
								k, typ, segShowValues(segValues(dim)))})
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-CHANNEL", Kind: KindSegment, Class: Trans, Phase: "build",
			Title: "Channel dimension",
			Doc: "Demographic.Channel selects endpoints of some channel types. Email, SMS and voice become a condition on the " +
				"profile holding that kind of address (p2c writes a channel marker attribute during ingestion). Push, in-app " +
				"and custom channels cannot be reached by Connect campaigns: the segment must be redesigned (redesign).",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					dim := Obj(d.dims, "Demographic.Channel")
					if dim == nil {
						continue
					}
					f := d.path + ".Demographic.Channel"
					if typ, ok := segSetType(dim); !ok {
						hits = append(hits, segBadType(f, typ))
						continue
					}
					vals := segValues(dim)
					var push []string
					for _, v := range vals {
						if segPushChannels[v] {
							push = append(push, v)
						}
					}
					h := Hit{Field: f, Detail: f,
						Message: fmt.Sprintf("The segment selects endpoints by channel (%s %s); p2c rewrites it as a condition on the profile's channel marker attribute.",
							segOr(Str(dim, "DimensionType"), "INCLUSIVE"), segShowValues(vals))}
					if len(push) > 0 && Str(dim, "DimensionType") != "EXCLUSIVE" {
						h.Class = Redesign
						h.Message = fmt.Sprintf("The segment selects %s endpoints, which Connect outbound campaigns cannot send to.", strings.Join(push, ", "))
						h.Action = "Decide whether this audience moves to End User Messaging Push (sent by your own code or a journey Lambda step) or is dropped; p2c migrates only the email, SMS and voice part."
					}
					hits = append(hits, h)
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-COUNTRY", Kind: KindSegment, Class: Trans, Phase: "build",
			Title: "Country dimension",
			Doc: "Location.Country (ISO 3166-1 alpha-2) becomes a condition on the profile Address.Country, which p2c fills " +
				"from the endpoint's Location.Country during ingestion.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					dim := Obj(d.dims, "Location.Country")
					if dim == nil {
						continue
					}
					f := d.path + ".Location.Country"
					typ, ok := segSetType(dim)
					if !ok {
						hits = append(hits, segBadType(f, typ))
						continue
					}
					hits = append(hits, Hit{Field: f, Detail: f,
						Message: fmt.Sprintf("The segment selects endpoints in countries (%s %s); p2c rewrites it as a condition on the profile Address.Country.",
							typ, segShowValues(segValues(dim)))})
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-GPS", Kind: KindSegment, Class: Redesign, Phase: "build",
			Title: "GPS radius dimension",
			Doc: "Location.GPSPoint selects endpoints within a radius of a coordinate. Customer Profiles segment definitions " +
				"have no geographic distance condition, so the audience must be expressed another way.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					gps := Obj(d.dims, "Location.GPSPoint")
					if gps == nil {
						continue
					}
					f := d.path + ".Location.GPSPoint"
					radius := "an unspecified radius"
					if r, ok := Num(gps, "RangeInKilometers"); ok && r > 0 {
						radius = fmt.Sprintf("%g km", r)
					}
					hits = append(hits, Hit{Field: f, Detail: f,
						Message: fmt.Sprintf("The segment selects endpoints within %s of a GPS point; Customer Profiles segments have no distance condition.", radius),
						Action:  "Replace the radius with a list of postal codes or cities (Address.PostalCode / Address.City), or compute an in-area attribute outside Customer Profiles and ingest it; p2c then uses that condition."})
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-ATTRIBUTE", Kind: KindSegment, Class: Trans, Phase: "build",
			Title: "Attribute dimension",
			Doc: "Attributes and UserAttributes with AttributeType INCLUSIVE, EXCLUSIVE or CONTAINS become profile attribute " +
				"conditions of the same type. Pinpoint values are lists matched element by element; p2c flattens them, so for " +
				"attributes seen with several values it rewrites INCLUSIVE as CONTAINS. An unknown AttributeType is a redesign.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					for _, scope := range []string{"Attributes", "UserAttributes"} {
						attrs := Obj(d.dims, scope)
						for _, k := range sortedKeys(attrs) {
							dim, _ := attrs[k].(map[string]any)
							typ := segOr(Str(dim, "AttributeType"), "INCLUSIVE")
							f := d.path + "." + scope + "." + k
							what := "endpoint attribute"
							if scope == "UserAttributes" {
								what = "user attribute"
							}
							switch typ {
							case "INCLUSIVE", "EXCLUSIVE", "CONTAINS":
								msg := fmt.Sprintf("The segment filters on %s %q (%s, %d value(s)); p2c rewrites it as a profile attribute condition.", what, k, typ, len(segValues(dim)))
								if st := segAttrStats(s, scope, k); st != nil && st.MaxValues > 1 && typ == "INCLUSIVE" {
									msg = fmt.Sprintf("The segment filters on %s %q (INCLUSIVE), which holds up to %d values per endpoint; p2c flattens them and rewrites the condition as CONTAINS.", what, k, st.MaxValues)
								}
								hits = append(hits, Hit{Field: f, Detail: f, Message: msg})
							case "BEFORE", "AFTER", "ON", "BETWEEN":
								// SEG-ATTRIBUTE-DATE covers these.
							default:
								hits = append(hits, Hit{Field: f, Detail: f, Class: Redesign,
									Message: fmt.Sprintf("The segment filters on %s %q with AttributeType %s, which p2c does not know how to translate.", what, k, typ),
									Action:  "Write the equivalent Customer Profiles attribute condition by hand, or drop the condition."})
							}
						}
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-ATTRIBUTE-DATE", Kind: KindSegment, Class: Trans,
			Title: "Date attribute dimension",
			Doc: "Attributes and UserAttributes with AttributeType BEFORE, AFTER, ON or BETWEEN compare ISO-8601 instants. " +
				"Customer Profiles AttributeDimension supports the same four date types (connect-target 3.8), so p2c rewrites " +
				"them as date conditions and writes the attribute values as ISO-8601 strings during ingestion.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					for _, scope := range []string{"Attributes", "UserAttributes"} {
						attrs := Obj(d.dims, scope)
						for _, k := range sortedKeys(attrs) {
							dim, _ := attrs[k].(map[string]any)
							typ := Str(dim, "AttributeType")
							switch typ {
							case "BEFORE", "AFTER", "ON", "BETWEEN":
							default:
								continue
							}
							f := d.path + "." + scope + "." + k
							hits = append(hits, Hit{Field: f, Detail: f,
								Message: fmt.Sprintf("The segment compares the date in attribute %q (%s); p2c rewrites it as a Customer Profiles %s date condition.", k, typ, typ)})
						}
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-METRIC", Kind: KindSegment, Class: Trans, Phase: "build",
			Title: "Metric dimension",
			Doc: "Metrics compare an endpoint's numeric metric with GREATER_THAN, LESS_THAN, GREATER_THAN_OR_EQUAL, " +
				"LESS_THAN_OR_EQUAL or EQUAL. p2c carries metrics as profile attributes and rewrites the comparison as a numeric " +
				"attribute condition of the same operator (a calculated attribute when several endpoints add up). An unknown " +
				"operator is a redesign.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					metrics := Obj(d.dims, "Metrics")
					for _, k := range sortedKeys(metrics) {
						dim, _ := metrics[k].(map[string]any)
						op := Str(dim, "ComparisonOperator")
						f := d.path + ".Metrics." + k
						val, _ := Num(dim, "Value")
						if to, ok := segMetricOps[op]; ok {
							hits = append(hits, Hit{Field: f, Detail: f,
								Message: fmt.Sprintf("The segment compares metric %q (%s %g); p2c rewrites it as a numeric %s condition on the profile attribute.", k, op, val, to)})
							continue
						}
						hits = append(hits, Hit{Field: f, Detail: f, Class: Redesign,
							Message: fmt.Sprintf("The segment compares metric %q with the unknown operator %q.", k, op),
							Action:  "Say which numeric comparison was meant; p2c then writes it as a profile attribute condition."})
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-RECENCY", Kind: KindSegment, Class: Redesign, Phase: "build",
			Title: "Recency (active/inactive) dimension",
			Doc: "Behavior.Recency selects endpoints active or inactive within HR_24, DAY_7, DAY_14 or DAY_30, computed by " +
				"Pinpoint from the app's session events. Those events do not reach Customer Profiles: unless the app (or its " +
				"event stream) sends activity events into a profile object type, there is nothing to compute recency from. " +
				"With such events p2c proposes a calculated attribute counting the events of the last N days (COUNT over a range in DAYS: HR_24 becomes 1 day), compared with zero.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					rec := Obj(d.dims, "Behavior.Recency")
					if rec == nil {
						continue
					}
					f := d.path + ".Behavior.Recency"
					dur := Str(rec, "Duration")
					days := map[string]int{"HR_24": 1, "DAY_7": 7, "DAY_14": 14, "DAY_30": 30}[dur]
					action := fmt.Sprintf("Decide how app activity reaches Customer Profiles (the app or a stream consumer writing session events to a profile object type); p2c then builds a calculated attribute over the last %d day(s), otherwise drop the condition.", max(days, 1))
					if s.App != nil && len(s.App.EventStream) > 0 && string(s.App.EventStream) != "null" {
						action = fmt.Sprintf("The app's event stream carries its session events: decide whether a consumer writes them to a Customer Profiles object type, so p2c can build a calculated attribute over the last %d day(s); otherwise drop the condition.", max(days, 1))
					}
					window := map[string]string{"HR_24": "the last 24 hours", "DAY_7": "the last 7 days", "DAY_14": "the last 14 days", "DAY_30": "the last 30 days"}[dur]
					hits = append(hits, Hit{Field: f, Detail: f,
						Message: fmt.Sprintf("The segment selects endpoints %s within %s, computed from app session events that do not reach Customer Profiles.", strings.ToLower(segOr(Str(rec, "RecencyType"), "ACTIVE")), segOr(window, "an unspecified duration ("+dur+")")),
						Action:  action})
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-IMPORT", Kind: KindSegment, Class: Trans, Phase: "data",
			Title: "Imported (static) segment",
			Doc: "An IMPORT segment is a fixed list of endpoints loaded from S3. p2c ingests its members (from the import file, " +
				"or a segment export) with a marker attribute and defines the segment as a condition on that marker. When " +
				"neither the import file location nor a segment export is recorded, or the scan could not read the file, a " +
				"person must supply the member list (manual).",
			Check: func(s *Subject) []Hit {
				if Str(s.Object, "SegmentType") != "IMPORT" {
					return nil
				}
				url := Str(s.Object, "ImportDefinition.S3Url")
				size, _ := Num(s.Object, "ImportDefinition.Size")
				exports := 0
				if s.Segment != nil {
					exports = len(s.Segment.ExportJobs)
				}
				switch {
				case url != "" && segFileGone(s.Inv, url):
					return []Hit{{Field: "ImportDefinition.S3Url", Class: Manual,
						Message: fmt.Sprintf("The segment is a static import of %g endpoints from %s, which the scan could not read.", size, url),
						Action:  "Restore the import file (or give a segment export run before the cut-off) with p2c scan --from, or drop the segment.",
						Where:   "S3 console / p2c scan --from"}}
				case url != "":
					return []Hit{{Field: "ImportDefinition.S3Url",
						Message: fmt.Sprintf("The segment is a static import of %g endpoints from %s; p2c ingests its members with a marker attribute and segments on it (the file must still exist).", size, url)}}
				case exports > 0:
					return []Hit{{Field: "ImportDefinition",
						Message: fmt.Sprintf("The segment is a static import of %g endpoints; p2c ingests its members from the segment's export with a marker attribute and segments on it.", size)}}
				}
				return []Hit{{Field: "ImportDefinition", Class: Manual,
					Message: "The segment is a static import whose source file is not recorded, so its members cannot be rebuilt.",
					Action:  "Provide the member list (the original import file, or a segment export run before the cut-off) with p2c scan --from, or drop the segment.",
					Where:   "S3 console / p2c scan --from"}}
			},
		},
		&Rule{
			ID: "SEG-GROUPS", Kind: KindSegment, Class: Trans,
			Title: "Segment groups and their combinators",
			Doc: "SegmentGroups with several groups, or Include/Type/SourceType ANY or NONE, map onto the same structure of a " +
				"Customer Profiles segment definition (SegmentGroups.Include, Groups[].Type, Groups[].SourceType).",
			Check: func(s *Subject) []Hit {
				groups := segGroups(s.Object)
				if len(groups) == 0 {
					return nil
				}
				include := segOr(Str(s.Object, "SegmentGroups.Include"), "ALL")
				nonDefault := include != "ALL" || len(groups) > 1
				for _, g := range groups {
					if t := Str(g, "Type"); t == "ANY" || t == "NONE" {
						nonDefault = true
					}
					if t := Str(g, "SourceType"); t == "ANY" || t == "NONE" {
						nonDefault = true
					}
				}
				if !nonDefault {
					return nil
				}
				return []Hit{{Field: "SegmentGroups",
					Message: fmt.Sprintf("The segment combines %d group(s) with Include %s; p2c writes the same groups and combinators into the segment definition.", len(groups), include)}}
			},
		},
		&Rule{
			ID: "SEG-NESTING", Kind: KindSegment, Class: Redesign, Phase: "build",
			Title: "AND inside an ANY/NONE group",
			Doc: "Pinpoint ANDs the criteria inside one SegmentDimensions object, even when the group combines its dimension " +
				"objects with ANY or NONE. A Customer Profiles group applies its Type to flat dimensions, so an AND nested " +
				"under ANY/NONE has no direct form; p2c proposes a helper segment definition per nested set, referenced as a " +
				"source segment, which a person must check with a segment estimate.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for _, d := range segDimensions(s.Object) {
					if d.group == nil {
						continue
					}
					t := Str(d.group, "Type")
					if t != "ANY" && t != "NONE" {
						continue
					}
					if n := segCriteria(d.dims); n > 1 {
						hits = append(hits, Hit{Field: d.path, Detail: d.path,
							Message: fmt.Sprintf("%s holds %d criteria that must all match, inside a group that combines its dimensions with %s; Customer Profiles groups cannot nest that.", d.path, n, t),
							Action:  "Accept the proposed helper segment definition for these criteria (or restate the group), and compare the two audiences with a segment estimate before cut-over."})
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-SOURCE", Kind: KindSegment, Class: Trans,
			Title: "Nested source segments",
			Doc: "SourceSegments base a group on other segments. p2c creates those segment definitions first and references " +
				"them by name (Groups[].SourceSegments[].SegmentDefinitionName) with the same SourceType.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for gi, g := range segGroups(s.Object) {
					srcs := List(g, "SourceSegments")
					if len(srcs) == 0 {
						continue
					}
					var names []string
					for _, src := range srcs {
						sm, _ := src.(map[string]any)
						names = append(names, segName(s, Str(sm, "Id")))
					}
					f := fmt.Sprintf("SegmentGroups.Groups[%d].SourceSegments", gi)
					hits = append(hits, Hit{Field: f, Detail: f,
						Message: fmt.Sprintf("Group %d starts from segment(s) %s (%s); p2c references their migrated segment definitions.", gi+1, strings.Join(names, ", "), segOr(Str(g, "SourceType"), "ALL"))})
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-SOURCE-VERSION", Kind: KindSegment, Class: Redesign, Phase: "build",
			Title: "Source segment pinned to an older version",
			Doc: "A SourceSegments entry pins a version of its base segment that is not the latest. Only the latest version of a " +
				"segment migrates, and Customer Profiles source segments have no version, so the nested reference will use the " +
				"current definition.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				for gi, g := range segGroups(s.Object) {
					for si, src := range List(g, "SourceSegments") {
						sm, _ := src.(map[string]any)
						id := Str(sm, "Id")
						pin, ok := Num(sm, "Version")
						if !ok || pin <= 0 {
							continue
						}
						latest, found := segLatest(s, id)
						if !found || int(pin) >= latest {
							continue
						}
						f := fmt.Sprintf("SegmentGroups.Groups[%d].SourceSegments[%d].Version", gi, si)
						hits = append(hits, Hit{Field: f, Detail: f,
							Message: fmt.Sprintf("Group %d uses version %g of segment %s, whose latest version is %d; only the latest migrates.", gi+1, pin, segName(s, id), latest),
							Action:  fmt.Sprintf("Accept that the nested segment follows the current definition of %s, or recreate version %g as a segment of its own before planning.", segName(s, id), pin)})
					}
				}
				return hits
			},
		},
		&Rule{
			ID: "SEG-VERSIONS", Kind: KindSegment, Class: Trans,
			Title: "Segment version history",
			Doc: "Pinpoint keeps every version of a segment and campaigns may pin one. Customer Profiles segment definitions " +
				"have no versions: only the latest version migrates (campaigns pinning an older one are reported on the campaign).",
			Check: func(s *Subject) []Hit {
				if s.Segment == nil {
					return nil
				}
				latest, _ := segLatest(s, s.Segment.ID)
				n := max(latest, len(s.Segment.Versions))
				if n <= 1 {
					return nil
				}
				return []Hit{{Field: "Version",
					Message: fmt.Sprintf("The segment has %d versions; only the latest (version %d) migrates.", n, latest)}}
			},
		},
		&Rule{
			ID: "SEG-OPTOUT", Kind: KindSegment, Class: Trans,
			Title: "Exclude opted-out profiles",
			Doc: "Pinpoint skipped endpoints with OptOut ALL at send time. A Customer Profiles segment has no built-in opt-out, " +
				"so p2c adds to every migrated segment definition a group excluding profiles whose consent attribute (carried " +
				"from the endpoints) says opted out.",
			Check: func(s *Subject) []Hit {
				return []Hit{{
					Message: "p2c adds an exclusion of opted-out profiles to this segment, because Customer Profiles segments do not skip them the way Pinpoint did."}}
			},
		},
		&Rule{
			ID: "SEG-REFRESH", Kind: KindSegment, Class: Trans,
			Title: "Send-time evaluation becomes refresh",
			Doc: "Pinpoint evaluated a dynamic segment at every send. A Connect campaign reads its Customer Profiles segment when " +
				"it starts and then at its schedule's refreshFrequency, so p2c sets a refresh frequency on each campaign that " +
				"uses the segment, matching its Pinpoint frequency.",
			Check: func(s *Subject) []Hit {
				if Str(s.Object, "SegmentType") == "IMPORT" || s.Segment == nil {
					return nil
				}
				users := 0
				for _, r := range s.Inv.ReferencesTo(inventory.KindSegment, s.Workload.Region, s.Workload.App, s.Segment.ID) {
					if r.From.Kind == inventory.KindCampaign || r.From.Kind == inventory.KindJourney {
						users++
					}
				}
				if users == 0 {
					return nil
				}
				return []Hit{{Field: "SegmentType",
					Message: fmt.Sprintf("Pinpoint evaluated this dynamic segment at every send of its %d campaign(s) or journey(s); Connect evaluates it when a campaign starts and at its refresh frequency, which p2c sets.", users)}}
			},
		},
		&Rule{
			ID: "SEG-VALUES-LIMIT", Kind: KindSegment, Class: Redesign, Phase: "build",
			Title: "Condition beyond segment definition limits",
			Doc: "Customer Profiles dimensions take 1 to 50 values of at most 255 characters each (model limits). A Pinpoint " +
				"condition with more or longer values, or with none, cannot be written as one dimension.",
			Check: func(s *Subject) []Hit {
				var hits []Hit
				check := func(f string, dim map[string]any) {
					vals := segValues(dim)
					long := 0
					for _, v := range vals {
						if len(v) > 255 {
							long++
						}
					}
					switch {
					case len(vals) > 50:
						hits = append(hits, Hit{Field: f, Detail: f,
							Message: fmt.Sprintf("%s lists %d values; a Customer Profiles dimension takes at most 50.", f, len(vals)),
							Action:  "Split the condition into several dimensions (only equivalent inside an ANY group), use a helper segment, or replace the list with a marker attribute."})
					case long > 0:
						hits = append(hits, Hit{Field: f, Detail: f,
							Message: fmt.Sprintf("%s has %d value(s) longer than the 255 characters a Customer Profiles dimension accepts.", f, long),
							Action:  "Shorten the values (for example a CONTAINS or BEGINS_WITH prefix) or drop the condition."})
					case len(vals) == 0:
						hits = append(hits, Hit{Field: f, Detail: f,
							Message: fmt.Sprintf("%s has no values; a Customer Profiles dimension needs at least one.", f),
							Action:  "Say what the empty condition meant (match nothing, or match everyone) so p2c can drop or replace it."})
					}
				}
				for _, d := range segDimensions(s.Object) {
					for _, k := range sortedKeys(Obj(d.dims, "Demographic")) {
						check(d.path+".Demographic."+k, Obj(d.dims, "Demographic."+k))
					}
					if c := Obj(d.dims, "Location.Country"); c != nil {
						check(d.path+".Location.Country", c)
					}
					for _, scope := range []string{"Attributes", "UserAttributes"} {
						attrs := Obj(d.dims, scope)
						for _, k := range sortedKeys(attrs) {
							dim, _ := attrs[k].(map[string]any)
							check(d.path+"."+scope+"."+k, dim)
						}
					}
				}
				sort.SliceStable(hits, func(i, j int) bool { return hits[i].Field < hits[j].Field })
				return hits
			},
		},
	)
}
