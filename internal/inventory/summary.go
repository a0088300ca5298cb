package inventory

import "sort"

// Summary is the short account of a snapshot that `p2c scan` prints: counts
// per app and kind, what was retired, and how many warnings. It carries no
// customer data.
type Summary struct {
	Account   string          `json:"account,omitempty"`
	Regions   []RegionSummary `json:"regions"`
	Retired   []string        `json:"retired,omitempty"` // "region service:Operation"
	Denied    []string        `json:"accessDenied,omitempty"`
	Facts     int             `json:"facts"`
	Warnings  int             `json:"warnings"`
	Dangling  int             `json:"danglingReferences"`
	Inventory string          `json:"inventory,omitempty"` // path written
	// BySource counts what each source contributed, per kind.
	BySource []SourceCount `json:"bySource,omitempty"`
	// Conflicts and Unresolved count what merging saved sources found.
	Conflicts  int `json:"conflicts"`
	Unresolved int `json:"unresolved"`
	// SecretsNotCarried counts channel credentials seen in saved sources
	// that must be re-supplied.
	SecretsNotCarried int `json:"secretsNotCarried"`
}

// RegionSummary counts one region.
type RegionSummary struct {
	Region       string         `json:"region"`
	Apps         []AppSummary   `json:"apps"`
	Templates    map[string]int `json:"templates"` // by type
	Recommenders int            `json:"recommenders"`
	EUM          map[string]int `json:"endUserMessaging"`
}

// AppSummary counts one app.
type AppSummary struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Segments        int    `json:"segments"`
	SegmentVersions int    `json:"segmentVersions"`
	Campaigns       int    `json:"campaigns"`
	Journeys        int    `json:"journeys"`
	Channels        int    `json:"channels"`
	EventStream     bool   `json:"eventStream"`
	ExportJobs      int    `json:"exportJobs"`
	ImportJobs      int    `json:"importJobs"`
	Endpoints       *int64 `json:"endpoints,omitempty"`
	Users           *int64 `json:"users,omitempty"`
	OptedOut        *int64 `json:"optedOut,omitempty"`
}

// Summarize counts a snapshot.
func Summarize(inv *Inventory) Summary {
	s := Summary{Account: inv.Account, Facts: len(inv.Facts), Warnings: len(inv.Warnings), Dangling: len(inv.Dangling),
		BySource: CountBySource(inv), Conflicts: len(inv.Conflicts), Unresolved: len(inv.Unresolved), SecretsNotCarried: len(inv.Secrets)}
	for _, r := range inv.Regions {
		rs := RegionSummary{Region: r.Name, Templates: map[string]int{}, Recommenders: len(r.Recommenders), EUM: map[string]int{
			"phoneNumbers": len(r.EUM.PhoneNumbers), "senderIds": len(r.EUM.SenderIDs), "pools": len(r.EUM.Pools),
			"configurationSets": len(r.EUM.ConfigurationSets), "optOutLists": len(r.EUM.OptOutLists), "registrations": len(r.EUM.Registrations),
		}}
		for _, t := range r.Templates {
			rs.Templates[t.Type]++
		}
		for _, a := range r.Apps {
			as := AppSummary{ID: a.ID, Name: a.Name, Segments: len(a.Segments), Campaigns: len(a.Campaigns), Journeys: len(a.Journeys),
				Channels: len(a.Channels), EventStream: len(a.EventStream) > 0, ExportJobs: len(a.ExportJobs), ImportJobs: len(a.ImportJobs)}
			for _, sg := range a.Segments {
				as.SegmentVersions += max(1, len(sg.Versions))
			}
			if st := a.EndpointStats; st != nil {
				total, users := st.Total, st.Users
				opted := int64(0)
				for _, n := range st.OptedOut {
					opted += n
				}
				as.Endpoints, as.Users, as.OptedOut = &total, &users, &opted
			}
			rs.Apps = append(rs.Apps, as)
		}
		s.Regions = append(s.Regions, rs)
	}
	for _, f := range inv.Facts {
		line := f.Region + " " + f.Service + ":" + f.Operation
		switch f.Kind {
		case FactRetired:
			s.Retired = appendUnique(s.Retired, line)
		case FactAccessDenied:
			s.Denied = appendUnique(s.Denied, line)
		}
	}
	sort.Strings(s.Retired)
	sort.Strings(s.Denied)
	return s
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// SourceCount says how many entries of each kind one source contributed.
type SourceCount struct {
	Source string         `json:"source"`
	Kind   string         `json:"kind"`
	Counts map[string]int `json:"counts"`
}

// CountBySource counts, per source, the entries of each kind it
// contributed (an entry seen in two sources counts for both).
func CountBySource(inv *Inventory) []SourceCount {
	by := map[string]*SourceCount{}
	add := func(kind string, ps []Provenance) {
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p.Source] {
				continue
			}
			seen[p.Source] = true
			sc := by[p.Source]
			if sc == nil {
				sc = &SourceCount{Source: p.Source, Kind: p.Kind, Counts: map[string]int{}}
				by[p.Source] = sc
			}
			sc.Counts[kind]++
		}
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			if len(a.Object) > 0 {
				var ps []Provenance
				for _, p := range a.Provenance {
					if p.Kind != "endpoint-export" {
						ps = append(ps, p)
					}
				}
				add("apps", ps)
			}
			if a.EndpointStats != nil {
				for _, p := range a.Provenance {
					if p.Kind == "endpoint-export" || p.Kind == "live" && a.EndpointExport != nil {
						add("endpoint statistics", []Provenance{p})
					}
				}
			}
			for _, s := range a.Segments {
				add("segments", s.Provenance)
			}
			for _, c := range a.Campaigns {
				add("campaigns", c.Provenance)
			}
			for _, j := range a.Journeys {
				add("journeys", j.Provenance)
			}
		}
		for _, t := range r.Templates {
			add("templates", t.Provenance)
		}
		for _, o := range r.Recommenders {
			add("recommenders", o.Provenance)
		}
		for _, o := range r.EUM.PhoneNumbers {
			add("phone numbers", o.Provenance)
		}
		for _, o := range r.EUM.Pools {
			add("pools", o.Provenance)
		}
		for _, o := range r.EUM.OptOutLists {
			add("opt-out lists", o.Provenance)
		}
		for _, o := range r.PinpointEmail {
			add("pinpoint email resources", o.Provenance)
		}
	}
	out := make([]SourceCount, 0, len(by))
	for _, sc := range by {
		out = append(out, *sc)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Kind == "live") != (out[j].Kind == "live") {
			return out[i].Kind == "live"
		}
		return out[i].Source < out[j].Source
	})
	return out
}
