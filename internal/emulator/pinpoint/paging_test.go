package pinpoint_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/emulator"
	pp "github.com/p2c/p2c/internal/emulator/pinpoint"
)

// lister fetches one page of a list operation and returns its item keys.
type lister func(size, token *string) ([]string, *string, error)

// seedMetrics decodes a JSON seed, which is how the emulator's seed files
// spell it.
func (v *env) seedMetrics(seed map[string]any) {
	v.t.Helper()
	b, err := json.Marshal(seed)
	must(v.t, err, "encode metrics seed")
	var m pp.MetricsSeed
	must(v.t, json.Unmarshal(b, &m), "decode metrics seed")
	must(v.t, v.e.Pinpoint.SeedMetrics("us-east-1", m), "seed metrics")
}

// TestPagination fills every list operation beyond one page and reads it
// back with several page sizes, checking each item comes back exactly once.
func TestPagination(t *testing.T) {
	const n = 45 // more than two default pages
	if n <= 2*pp.DefaultPageSize {
		t.Fatalf("n = %d does not span three default pages", n)
	}
	v := newEnv(t, emulator.Options{})
	c := v.pp
	var appIDs []string
	for i := range n {
		appIDs = append(appIDs, v.app(fmt.Sprint("app", i)))
	}
	app := appIDs[0]
	var segIDs, campIDs, jrnIDs []string
	for i := range n {
		segIDs = append(segIDs, aws.ToString(v.segment(app, fmt.Sprint("seg", i)).Id))
	}
	seg := segIDs[0]
	for i := range n {
		campIDs = append(campIDs, aws.ToString(v.campaign(app, seg, fmt.Sprint("camp", i)).Id))
		jrnIDs = append(jrnIDs, aws.ToString(v.journey(app, fmt.Sprint("journey", i)).Id))
	}
	camp, jrn := campIDs[0], jrnIDs[0]
	var versions []string
	for i := range n {
		versions = append(versions, fmt.Sprint(i+1))
		if i == 0 {
			continue
		}
		_, err := c.UpdateSegment(ctx, &pinpoint.UpdateSegmentInput{ApplicationId: &app, SegmentId: &seg, WriteSegmentRequest: &types.WriteSegmentRequest{Name: aws.String(fmt.Sprint("seg v", i+1))}})
		must(t, err, "update segment")
		_, err = c.UpdateCampaign(ctx, &pinpoint.UpdateCampaignInput{ApplicationId: &app, CampaignId: &camp, WriteCampaignRequest: &types.WriteCampaignRequest{Description: aws.String(fmt.Sprint("v", i+1))}})
		must(t, err, "update campaign")
	}
	var actIDs, runIDs []string
	var acts, runs []any
	for i := range n {
		actIDs = append(actIDs, fmt.Sprint("act", i))
		acts = append(acts, map[string]any{"campaignId": camp, "activity": map[string]any{"ApplicationId": app, "CampaignId": camp, "Id": actIDs[i], "State": "COMPLETED"}})
		runIDs = append(runIDs, fmt.Sprint("run", i))
		runs = append(runs, map[string]any{"journeyId": jrn, "run": map[string]any{"RunId": runIDs[i], "Status": "COMPLETED", "CreationTime": "2026-01-01T00:00:00Z", "LastUpdateTime": "2026-01-01T00:00:00Z"}})
	}
	v.seedMetrics(map[string]any{"campaignActivities": acts, "journeyRuns": runs})

	// Templates: 30 SMS and 15 EMAIL named promo-*, 10 SMS named other-*.
	var allTemplates, smsTemplates, promoTemplates, smsPromo []string
	addTemplate := func(typ, name string) {
		var err error
		if typ == "SMS" {
			_, err = c.CreateSmsTemplate(ctx, &pinpoint.CreateSmsTemplateInput{TemplateName: &name, SMSTemplateRequest: &types.SMSTemplateRequest{Body: aws.String("b")}})
		} else {
			_, err = c.CreateEmailTemplate(ctx, &pinpoint.CreateEmailTemplateInput{TemplateName: &name, EmailTemplateRequest: &types.EmailTemplateRequest{TextPart: aws.String("b")}})
		}
		must(t, err, "create template "+name)
		key := typ + "/" + name
		allTemplates = append(allTemplates, key)
		if typ == "SMS" {
			smsTemplates = append(smsTemplates, key)
		}
		if len(name) > 5 && name[:5] == "promo" {
			promoTemplates = append(promoTemplates, key)
			if typ == "SMS" {
				smsPromo = append(smsPromo, key)
			}
		}
	}
	for i := range 30 {
		addTemplate("SMS", fmt.Sprintf("promo-%02d", i))
	}
	for i := range 15 {
		addTemplate("EMAIL", fmt.Sprintf("promo-%02d", i))
	}
	for i := range 10 {
		addTemplate("SMS", fmt.Sprintf("other-%02d", i))
	}
	for i := 1; i < n; i++ {
		_, err := c.UpdateSmsTemplate(ctx, &pinpoint.UpdateSmsTemplateInput{TemplateName: aws.String("promo-00"), CreateNewVersion: aws.Bool(true), SMSTemplateRequest: &types.SMSTemplateRequest{Body: aws.String(fmt.Sprint("b", i))}})
		must(t, err, "new template version")
	}
	var recIDs []string
	for i := range n {
		out, err := c.CreateRecommenderConfiguration(ctx, &pinpoint.CreateRecommenderConfigurationInput{CreateRecommenderConfiguration: &types.CreateRecommenderConfigurationShape{
			Name: aws.String(fmt.Sprint("rec", i)), RecommendationProviderUri: aws.String("arn:aws:personalize:us-east-1:111122223333:campaign/r"), RecommendationProviderRoleArn: aws.String("arn:aws:iam::111122223333:role/r")}})
		must(t, err, "create recommender")
		recIDs = append(recIDs, aws.ToString(out.RecommenderConfigurationResponse.Id))
	}
	// Jobs: 25 for the segment and 20 for the whole app, of each kind.
	v.bucket("jobs")
	_, err := v.s3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("jobs"), Key: aws.String("in.csv"), Body: stringsReader("Id,ChannelType,Address\ne1,EMAIL,a@example.com\n")})
	must(t, err, "put import file")
	role := aws.String("arn:aws:iam::111122223333:role/jobs")
	var exportIDs, segExportIDs, importIDs, segImportIDs []string
	var importSeg string
	for i := range n {
		er := &types.ExportJobRequest{RoleArn: role, S3UrlPrefix: aws.String(fmt.Sprint("s3://jobs/out", i))}
		ir := &types.ImportJobRequest{RoleArn: role, S3Url: aws.String("s3://jobs/in.csv"), Format: types.FormatCsv}
		if i < 25 {
			er.SegmentId = &seg
			ir.DefineSegment, ir.SegmentName = aws.Bool(true), aws.String("imported")
			if importSeg != "" {
				ir.SegmentId = &importSeg
			}
		}
		ex, err := c.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: er})
		must(t, err, "create export job")
		im, err := c.CreateImportJob(ctx, &pinpoint.CreateImportJobInput{ApplicationId: &app, ImportJobRequest: ir})
		must(t, err, "create import job")
		exportIDs = append(exportIDs, aws.ToString(ex.ExportJobResponse.Id))
		importIDs = append(importIDs, aws.ToString(im.ImportJobResponse.Id))
		if i < 25 {
			segExportIDs = append(segExportIDs, aws.ToString(ex.ExportJobResponse.Id))
			segImportIDs = append(segImportIDs, aws.ToString(im.ImportJobResponse.Id))
			importSeg = aws.ToString(im.ImportJobResponse.Definition.SegmentId)
		}
	}
	segIDs = append(segIDs, importSeg)

	templatesLister := func(typ, prefix *string) lister {
		return func(size, tok *string) ([]string, *string, error) {
			out, err := c.ListTemplates(ctx, &pinpoint.ListTemplatesInput{PageSize: size, NextToken: tok, TemplateType: typ, Prefix: prefix})
			if err != nil {
				return nil, nil, err
			}
			var keys []string
			for _, it := range out.TemplatesResponse.Item {
				keys = append(keys, string(it.TemplateType)+"/"+aws.ToString(it.TemplateName))
			}
			return keys, out.TemplatesResponse.NextToken, nil
		}
	}
	cases := []struct {
		name string
		list lister
		want []string
	}{
		{"GetApps", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetApps(ctx, &pinpoint.GetAppsInput{PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.ApplicationsResponse.Item {
				ids = append(ids, aws.ToString(it.Id))
			}
			return ids, out.ApplicationsResponse.NextToken, nil
		}, appIDs},
		{"GetSegments", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetSegments(ctx, &pinpoint.GetSegmentsInput{ApplicationId: &app, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return segmentKeys(out.SegmentsResponse.Item, false), out.SegmentsResponse.NextToken, nil
		}, segIDs},
		{"GetSegmentVersions", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetSegmentVersions(ctx, &pinpoint.GetSegmentVersionsInput{ApplicationId: &app, SegmentId: &seg, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return segmentKeys(out.SegmentsResponse.Item, true), out.SegmentsResponse.NextToken, nil
		}, versions},
		{"GetCampaigns", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetCampaigns(ctx, &pinpoint.GetCampaignsInput{ApplicationId: &app, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return campaignKeys(out.CampaignsResponse.Item, false), out.CampaignsResponse.NextToken, nil
		}, campIDs},
		{"GetCampaignVersions", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetCampaignVersions(ctx, &pinpoint.GetCampaignVersionsInput{ApplicationId: &app, CampaignId: &camp, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return campaignKeys(out.CampaignsResponse.Item, true), out.CampaignsResponse.NextToken, nil
		}, versions},
		{"GetCampaignActivities", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetCampaignActivities(ctx, &pinpoint.GetCampaignActivitiesInput{ApplicationId: &app, CampaignId: &camp, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.ActivitiesResponse.Item {
				ids = append(ids, aws.ToString(it.Id))
			}
			return ids, out.ActivitiesResponse.NextToken, nil
		}, actIDs},
		{"ListJourneys", func(size, tok *string) ([]string, *string, error) {
			out, err := c.ListJourneys(ctx, &pinpoint.ListJourneysInput{ApplicationId: &app, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.JourneysResponse.Item {
				ids = append(ids, aws.ToString(it.Id))
			}
			return ids, out.JourneysResponse.NextToken, nil
		}, jrnIDs},
		{"GetJourneyRuns", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetJourneyRuns(ctx, &pinpoint.GetJourneyRunsInput{ApplicationId: &app, JourneyId: &jrn, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.JourneyRunsResponse.Item {
				ids = append(ids, aws.ToString(it.RunId))
			}
			return ids, out.JourneyRunsResponse.NextToken, nil
		}, runIDs},
		{"ListTemplates", templatesLister(nil, nil), allTemplates},
		{"ListTemplates type SMS", templatesLister(aws.String("SMS"), nil), smsTemplates},
		{"ListTemplates prefix promo", templatesLister(nil, aws.String("promo")), promoTemplates},
		{"ListTemplates SMS promo", templatesLister(aws.String("SMS"), aws.String("promo")), smsPromo},
		{"ListTemplateVersions", func(size, tok *string) ([]string, *string, error) {
			out, err := c.ListTemplateVersions(ctx, &pinpoint.ListTemplateVersionsInput{TemplateName: aws.String("promo-00"), TemplateType: aws.String("SMS"), PageSize: size, NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.TemplateVersionsResponse.Item {
				ids = append(ids, aws.ToString(it.Version))
			}
			return ids, out.TemplateVersionsResponse.NextToken, nil
		}, versions},
		{"GetRecommenderConfigurations", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetRecommenderConfigurations(ctx, &pinpoint.GetRecommenderConfigurationsInput{PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			var ids []string
			for _, it := range out.ListRecommenderConfigurationsResponse.Item {
				ids = append(ids, aws.ToString(it.Id))
			}
			return ids, out.ListRecommenderConfigurationsResponse.NextToken, nil
		}, recIDs},
		{"GetExportJobs", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetExportJobs(ctx, &pinpoint.GetExportJobsInput{ApplicationId: &app, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return exportKeys(out.ExportJobsResponse), out.ExportJobsResponse.NextToken, nil
		}, exportIDs},
		{"GetSegmentExportJobs", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetSegmentExportJobs(ctx, &pinpoint.GetSegmentExportJobsInput{ApplicationId: &app, SegmentId: &seg, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return exportKeys(out.ExportJobsResponse), out.ExportJobsResponse.NextToken, nil
		}, segExportIDs},
		{"GetImportJobs", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetImportJobs(ctx, &pinpoint.GetImportJobsInput{ApplicationId: &app, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return importKeys(out.ImportJobsResponse), out.ImportJobsResponse.NextToken, nil
		}, importIDs},
		{"GetSegmentImportJobs", func(size, tok *string) ([]string, *string, error) {
			out, err := c.GetSegmentImportJobs(ctx, &pinpoint.GetSegmentImportJobsInput{ApplicationId: &app, SegmentId: &importSeg, PageSize: size, Token: tok})
			if err != nil {
				return nil, nil, err
			}
			return importKeys(out.ImportJobsResponse), out.ImportJobsResponse.NextToken, nil
		}, segImportIDs},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			for _, size := range []string{"", "1", "7", "20", "1000"} {
				got := collect(t, tc.name, size, tc.list)
				sort.Strings(got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("page-size %q: got %d items, want %d\n got %v\nwant %v", size, len(got), len(want), got, want)
				}
			}
			// The default page is DefaultPageSize long and says there is more.
			first, next, err := tc.list(nil, nil)
			must(t, err, "first default page")
			if len(want) > pp.DefaultPageSize && (len(first) != pp.DefaultPageSize || aws.ToString(next) == "") {
				t.Errorf("first default page: %d items, next %q", len(first), aws.ToString(next))
			}
			for _, tok := range []string{"garbage", "bm9wZTo1"} { // the second is base64 "nope:5", a token of another list
				_, _, err := tc.list(nil, aws.String(tok))
				wantErr[*types.BadRequestException](t, err, "token "+tok)
			}
			for _, size := range []string{"0", "-1", "abc", "1001"} {
				_, _, err := tc.list(aws.String(size), nil)
				wantErr[*types.BadRequestException](t, err, "page-size "+size)
			}
		})
	}
}

func segmentKeys(items []types.SegmentResponse, version bool) []string {
	var out []string
	for _, it := range items {
		if version {
			out = append(out, fmt.Sprint(aws.ToInt32(it.Version)))
		} else {
			out = append(out, aws.ToString(it.Id))
		}
	}
	return out
}

func campaignKeys(items []types.CampaignResponse, version bool) []string {
	var out []string
	for _, it := range items {
		if version {
			out = append(out, fmt.Sprint(aws.ToInt32(it.Version)))
		} else {
			out = append(out, aws.ToString(it.Id))
		}
	}
	return out
}

func exportKeys(r *types.ExportJobsResponse) []string {
	var out []string
	for _, it := range r.Item {
		out = append(out, aws.ToString(it.Id))
	}
	return out
}

func importKeys(r *types.ImportJobsResponse) []string {
	var out []string
	for _, it := range r.Item {
		out = append(out, aws.ToString(it.Id))
	}
	return out
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func seedWithBadDate() pp.MetricsSeed {
	return pp.MetricsSeed{KPIs: []pp.KPIPoint{{ResourceID: "x", KPIName: "direct-sends", Date: "03/01/2026", Value: 1}}}
}
