package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Recommender rules: Pinpoint recommender configurations call Amazon
// Personalize at send time and put the items into the message. Connect
// message templates have no recommender integration (connect-target.md 5.5
// lists Predictive Insights recommendations for event-triggered campaigns
// only), so recommendations must be computed ahead into profile attributes.

// recTemplates lists the templates (type/name) that use a recommender.
func recTemplates(s *Subject) []string {
	var out []string
	for _, r := range s.Inv.ReferencesTo(inventory.KindRecommender, s.Workload.Region, "", s.Workload.ResourceID) {
		if r.From.Kind == inventory.KindTemplate {
			out = appendUnique(out, r.From.Type+" template "+r.From.ID)
		}
	}
	sort.Strings(out)
	return out
}

func init() {
	register(
		&Rule{
			ID: "REC-PERSONALIZE", Kind: KindRecommender, Class: Redesign, Phase: "build",
			Title: "Personalize recommender",
			Doc: "The recommender asks an Amazon Personalize campaign for items at send time. Connect templates cannot call " +
				"Personalize, so recommendations must be computed ahead (a batch inference job or a scheduled function) and " +
				"written into profile attributes the templates read, or replaced by Connect Predictive Insights for " +
				"event-triggered campaigns.",
			Check: func(s *Subject) []Hit {
				uri := Str(s.Object, "RecommendationProviderUri")
				what := "an Amazon Personalize campaign"
				if uri != "" {
					what = "Personalize campaign " + uri
				}
				n, _ := Num(s.Object, "RecommendationsPerMessage")
				per := ""
				if n > 0 {
					per = fmt.Sprintf(" (%g items per message)", n)
				}
				return []Hit{{Field: "RecommendationProviderUri",
					Message: fmt.Sprintf("The recommender fetches items from %s at send time%s; Connect templates cannot call Personalize.", what, per),
					Action:  "Choose how recommendations reach profiles: a scheduled batch job that writes them into profile attributes (p2c proposes the attribute names), Predictive Insights for event-triggered campaigns, or drop them from the messages."}}
			},
		},
		&Rule{
			ID: "REC-TRANSFORMER", Kind: KindRecommender, Class: Redesign, Phase: "build",
			Title: "Recommendation transformer Lambda",
			Doc: "RecommendationTransformerUri names a Lambda function that reshapes Personalize output into custom " +
				"recommended attributes (Attributes). Nothing calls it after the migration: its logic must run in the job that " +
				"writes recommendations into profile attributes.",
			Check: func(s *Subject) []Hit {
				fn := Str(s.Object, "RecommendationTransformerUri")
				if fn == "" {
					return nil
				}
				attrs := sortedKeys(Obj(s.Object, "Attributes"))
				extra := ""
				if len(attrs) > 0 {
					extra = fmt.Sprintf(" into %d custom attribute(s) (%s)", len(attrs), strings.Join(attrs, ", "))
				}
				return []Hit{{Field: "RecommendationTransformerUri",
					Message: fmt.Sprintf("Lambda function %s reshapes the recommendations%s; nothing calls it after the migration.", fn, extra),
					Action:  "Move the function's logic into the job that writes recommendations into profile attributes, keeping the attribute names the templates use."}}
			},
		},
		&Rule{
			ID: "REC-ENDPOINT-ID", Kind: KindRecommender, Class: Redesign, Phase: "data",
			Title: "Recommendations keyed by endpoint id",
			Doc: "With RecommendationProviderIdType PINPOINT_ENDPOINT_ID (the default) the Personalize model knows endpoint " +
				"ids, which do not survive the migration (profiles have their own ids). Keyed by PINPOINT_USER_ID it maps to " +
				"the profile's user id key and needs nothing more.",
			Check: func(s *Subject) []Hit {
				typ := segOr(Str(s.Object, "RecommendationProviderIdType"), "PINPOINT_ENDPOINT_ID")
				if typ != "PINPOINT_ENDPOINT_ID" {
					return nil
				}
				return []Hit{{Field: "RecommendationProviderIdType",
					Message: "The Personalize model is keyed by Pinpoint endpoint ids, which profiles do not keep as their identity.",
					Action:  "Keep the endpoint id as a profile attribute to look recommendations up by (p2c can carry it), or retrain the Personalize model on user ids."}}
			},
		},
		&Rule{
			ID: "REC-TEMPLATES", Kind: KindRecommender, Class: Trans,
			Title: "Templates that use the recommender",
			Doc: "Templates bound to a recommender render {{RecommendationItems}} and custom recommended attributes. p2c " +
				"rewrites those placeholders to the profile attributes that will hold the recommendations (see the template " +
				"findings); a recommender used by no template can be retired.",
			Check: func(s *Subject) []Hit {
				ts := recTemplates(s)
				if len(ts) == 0 {
					return nil
				}
				shown := ts
				if len(shown) > 5 {
					shown = append(append([]string(nil), shown[:5]...), fmt.Sprintf("%d more", len(ts)-5))
				}
				return []Hit{{Field: "Id",
					Message: fmt.Sprintf("%d template(s) use this recommender (%s); p2c rewrites their recommendation placeholders to profile attributes.", len(ts), strings.Join(shown, ", "))}}
			},
		},
	)
}
