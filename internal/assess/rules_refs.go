package assess

import (
	"fmt"

	"github.com/p2c/p2c/internal/inventory"
)

func init() {
	register(&Rule{
		ID: "REF-DANGLING", Kind: AnyKind, Class: Manual, Phase: "build",
		Title: "Reference to a missing resource",
		Doc: "The resource refers to a segment, template, campaign or recommender that is not in the inventory (deleted, " +
			"in another region, or not read). The migrated resource would point at nothing: find the target or drop the reference.",
		Check: func(s *Subject) []Hit {
			var hits []Hit
			for _, d := range s.Inv.Dangling {
				if refWorkload(d.From) != s.Workload.ID {
					continue
				}
				to := d.To.Kind + " " + d.To.ID
				if d.To.Version != "" {
					to += " version " + d.To.Version
				}
				hits = append(hits, Hit{Field: d.Field, Detail: d.Field + "->" + d.To.ID,
					Message: fmt.Sprintf("%s refers to %s, which is not in the inventory.", d.Field, to),
					Action:  fmt.Sprintf("Find %s (another region or account, or a saved copy) and add it with p2c scan --from, or remove the reference before planning.", to)})
			}
			return hits
		},
	})
}

// refWorkload maps an inventory reference endpoint to a workload id.
func refWorkload(r inventory.Ref) string {
	switch r.Kind {
	case inventory.KindSegment:
		return WorkloadID(r.Region, r.App, KindSegment, r.ID)
	case inventory.KindCampaign:
		return WorkloadID(r.Region, r.App, KindCampaign, r.ID)
	case inventory.KindJourney, inventory.KindActivity:
		return WorkloadID(r.Region, r.App, KindJourney, r.ID)
	case inventory.KindTemplate:
		return WorkloadID(r.Region, "", KindTemplate, r.Type+"/"+r.ID)
	case inventory.KindRecommender:
		return WorkloadID(r.Region, "", KindRecommender, r.ID)
	case inventory.KindChannel:
		return WorkloadID(r.Region, r.App, KindChannel, r.Type)
	case inventory.KindEventStream:
		return WorkloadID(r.Region, r.App, KindEventStream, "eventstream")
	case inventory.KindSettings:
		return WorkloadID(r.Region, r.App, KindSettings, "settings")
	}
	return ""
}
