package assess

import (
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

const recWID = "us-east-1/recommender/r1"

func recWith(obj string) func(f *fixture) {
	return func(f *fixture) {
		f.inv.Regions[0].Recommenders = append(f.inv.Regions[0].Recommenders, inventory.Object{ID: "r1", Object: raw(obj)})
	}
}

func TestRecommenderRules(t *testing.T) { segRunCases(t, recommenderCases()) }

func recommenderCases() []segCase {
	byUser := recWith(`{"Id":"r1","Name":"picks","RecommendationProviderUri":"arn:aws:personalize:us-east-1:111122223333:campaign/picks","RecommendationProviderRoleArn":"arn:aws:iam::111122223333:role/p","RecommendationProviderIdType":"PINPOINT_USER_ID"}`)
	full := recWith(`{"Id":"r1","Name":"picks","RecommendationProviderUri":"arn:aws:personalize:us-east-1:111122223333:campaign/picks","RecommendationProviderRoleArn":"arn:aws:iam::111122223333:role/p","RecommendationTransformerUri":"reshape-picks","RecommendationsPerMessage":3,"Attributes":{"Recommendations.Title":"Title","Recommendations.Price":"Price"}}`)
	usedBy := func(f *fixture) {
		f.inv.Regions[0].Templates = append(f.inv.Regions[0].Templates, inventory.Template{Name: "weekly", Type: "EMAIL",
			Object: raw(`{"TemplateName":"weekly","TemplateType":"EMAIL","RecommenderId":"r1","HtmlPart":"{{RecommendationItems.[0]}}"}`)})
	}
	return []segCase{
		{name: "personalize", rule: "REC-PERSONALIZE", setup: full, want: 1, workload: recWID, class: Redesign, contains: "3 items per message"},
		{name: "no recommender", rule: "REC-PERSONALIZE", setup: func(f *fixture) {}},

		{name: "lambda", rule: "REC-TRANSFORMER", setup: full, want: 1, workload: recWID, class: Redesign, contains: "reshape-picks"},
		{name: "no lambda", rule: "REC-TRANSFORMER", setup: byUser, workload: recWID},

		{name: "endpoint ids", rule: "REC-ENDPOINT-ID", setup: full, want: 1, workload: recWID, class: Redesign},
		{name: "user ids", rule: "REC-ENDPOINT-ID", setup: byUser, workload: recWID},

		{name: "used", rule: "REC-TEMPLATES", setup: segAll(full, usedBy), want: 1, workload: recWID, class: Trans, contains: "EMAIL template weekly"},
		{name: "unused", rule: "REC-TEMPLATES", setup: full, workload: recWID},
	}
}
