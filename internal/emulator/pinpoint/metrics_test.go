package pinpoint_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"

	"github.com/p2c/p2c/internal/emulator"
)

func kpiRows(r *types.BaseKpiResult) [][2]string {
	var out [][2]string
	for _, row := range r.Rows {
		date := ""
		for _, g := range row.GroupedBys {
			if aws.ToString(g.Key) == "Date" {
				date = aws.ToString(g.Value)
			}
		}
		for _, val := range row.Values {
			out = append(out, [2]string{date, aws.ToString(val.Key) + "=" + aws.ToString(val.Value)})
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("metrics")
	seg := aws.ToString(v.segment(app, "s").Id)
	camp := aws.ToString(v.campaign(app, seg, "c").Id)
	jrn := aws.ToString(v.journey(app, "j").Id)
	v.seedMetrics(map[string]any{
		"kpis": []any{
			map[string]any{"resourceId": app, "kpiName": "successful-delivery-rate", "date": "2026-03-01", "value": 0.9},
			map[string]any{"resourceId": app, "kpiName": "successful-delivery-rate", "date": "2026-03-02", "value": 0.7},
			map[string]any{"resourceId": app, "kpiName": "unique-deliveries-grouped-by-date", "date": "2026-03-02", "value": 20},
			map[string]any{"resourceId": app, "kpiName": "unique-deliveries-grouped-by-date", "date": "2026-03-01", "value": 10},
			map[string]any{"resourceId": app, "kpiName": "unique-deliveries-grouped-by-date", "date": "2026-05-01", "value": 99},
			map[string]any{"resourceId": camp, "kpiName": "direct-sends", "date": "2026-03-01", "value": 5},
			map[string]any{"resourceId": camp, "kpiName": "direct-sends", "date": "2026-03-03", "value": 6},
			map[string]any{"resourceId": jrn, "kpiName": "email-open-rate", "date": "2026-03-01", "value": 0.25},
		},
		"campaignActivities": []any{map[string]any{"campaignId": camp, "activity": map[string]any{"ApplicationId": app, "CampaignId": camp, "Id": "a1",
			"State": "COMPLETED", "Result": "SUCCESS", "TotalEndpointCount": 100, "SuccessfulEndpointCount": 98, "Start": "2026-03-01T10:00:00Z"}}},
		"journeyRuns": []any{map[string]any{"journeyId": jrn, "run": map[string]any{"RunId": "r1", "Status": "COMPLETED", "CreationTime": "2026-03-01T00:00:00Z", "LastUpdateTime": "2026-03-02T00:00:00Z"}}},
		"journeyMetrics": []any{
			map[string]any{"journeyId": jrn, "metrics": map[string]string{"ENDPOINT_PRODUCED": "100", "ENDPOINT_ENTERED": "90"}},
			map[string]any{"journeyId": jrn, "activityId": "wait", "activityType": "WAIT", "metrics": map[string]string{"INFLIGHT": "3"}},
			map[string]any{"journeyId": jrn, "runId": "r1", "metrics": map[string]string{"ENDPOINT_ENTERED": "40"}},
			map[string]any{"journeyId": jrn, "runId": "r1", "activityId": "wait", "metrics": map[string]string{"INFLIGHT": "1"}},
		},
	})
	start, end := aws.Time(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), aws.Time(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	ak, err := v.pp.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{ApplicationId: &app, KpiName: aws.String("unique-deliveries-grouped-by-date"), StartTime: start, EndTime: end})
	must(t, err, "application kpi by date")
	r := ak.ApplicationDateRangeKpiResponse
	if got := kpiRows(r.KpiResult); len(got) != 2 || got[0] != [2]string{"2026-03-01", "UniqueDeliveries=10"} || got[1] != [2]string{"2026-03-02", "UniqueDeliveries=20"} {
		t.Errorf("application kpi rows %v", got)
	}
	if aws.ToString(r.ApplicationId) != app || aws.ToString(r.KpiName) != "unique-deliveries-grouped-by-date" || r.StartTime == nil || r.EndTime == nil {
		t.Errorf("application kpi: %+v", r)
	}
	rate, err := v.pp.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{ApplicationId: &app, KpiName: aws.String("successful-delivery-rate"), StartTime: start, EndTime: end})
	must(t, err, "application rate kpi")
	if got := kpiRows(rate.ApplicationDateRangeKpiResponse.KpiResult); len(got) != 1 || got[0][1] != "SuccessfulDeliveryRate=0.8" {
		t.Errorf("rate kpi rows %v, want the mean 0.8", got)
	}
	ck, err := v.pp.GetCampaignDateRangeKpi(ctx, &pinpoint.GetCampaignDateRangeKpiInput{ApplicationId: &app, CampaignId: &camp, KpiName: aws.String("direct-sends"), StartTime: start, EndTime: end})
	must(t, err, "campaign kpi")
	if got := kpiRows(ck.CampaignDateRangeKpiResponse.KpiResult); len(got) != 1 || got[0][1] != "DirectSends=11" || aws.ToString(ck.CampaignDateRangeKpiResponse.CampaignId) != camp {
		t.Errorf("campaign kpi rows %v, want the sum 11", got)
	}
	jk, err := v.pp.GetJourneyDateRangeKpi(ctx, &pinpoint.GetJourneyDateRangeKpiInput{ApplicationId: &app, JourneyId: &jrn, KpiName: aws.String("email-open-rate"), StartTime: start, EndTime: end})
	must(t, err, "journey kpi")
	if got := kpiRows(jk.JourneyDateRangeKpiResponse.KpiResult); len(got) != 1 || got[0][1] != "EmailOpenRate=0.25" {
		t.Errorf("journey kpi rows %v", got)
	}
	empty, err := v.pp.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{ApplicationId: &app, KpiName: aws.String("txn-emails-sent")})
	must(t, err, "unseeded kpi")
	if len(empty.ApplicationDateRangeKpiResponse.KpiResult.Rows) != 0 {
		t.Errorf("unseeded kpi has rows")
	}
	for name, in := range map[string]*pinpoint.GetApplicationDateRangeKpiInput{
		"upper-case name":   {ApplicationId: &app, KpiName: aws.String("Direct-Sends")},
		"end before start":  {ApplicationId: &app, KpiName: aws.String("direct-sends"), StartTime: end, EndTime: start},
		"more than 90 days": {ApplicationId: &app, KpiName: aws.String("direct-sends"), StartTime: start, EndTime: aws.Time(start.AddDate(0, 4, 0))},
	} {
		_, err := v.pp.GetApplicationDateRangeKpi(ctx, in)
		wantErr[*types.BadRequestException](t, err, "kpi with "+name)
	}
	_, err = v.pp.GetCampaignDateRangeKpi(ctx, &pinpoint.GetCampaignDateRangeKpiInput{ApplicationId: &app, CampaignId: aws.String("nope"), KpiName: aws.String("direct-sends")})
	wantErr[*types.NotFoundException](t, err, "kpi of a missing campaign")
	_, err = v.pp.GetJourneyDateRangeKpi(ctx, &pinpoint.GetJourneyDateRangeKpiInput{ApplicationId: &app, JourneyId: aws.String("nope"), KpiName: aws.String("email-open-rate")})
	wantErr[*types.NotFoundException](t, err, "kpi of a missing journey")

	acts, err := v.pp.GetCampaignActivities(ctx, &pinpoint.GetCampaignActivitiesInput{ApplicationId: &app, CampaignId: &camp})
	must(t, err, "campaign activities")
	if it := acts.ActivitiesResponse.Item; len(it) != 1 || aws.ToString(it[0].Id) != "a1" || aws.ToInt32(it[0].SuccessfulEndpointCount) != 98 || aws.ToString(it[0].Result) != "SUCCESS" {
		t.Errorf("campaign activities %+v", it)
	}
	runs, err := v.pp.GetJourneyRuns(ctx, &pinpoint.GetJourneyRunsInput{ApplicationId: &app, JourneyId: &jrn})
	must(t, err, "journey runs")
	if it := runs.JourneyRunsResponse.Item; len(it) != 1 || aws.ToString(it[0].RunId) != "r1" || it[0].Status != types.JourneyRunStatusCompleted {
		t.Errorf("journey runs %+v", it)
	}
	em, err := v.pp.GetJourneyExecutionMetrics(ctx, &pinpoint.GetJourneyExecutionMetricsInput{ApplicationId: &app, JourneyId: &jrn})
	must(t, err, "journey execution metrics")
	if m := em.JourneyExecutionMetricsResponse.Metrics; m["ENDPOINT_PRODUCED"] != "100" || m["ENDPOINT_ENTERED"] != "90" {
		t.Errorf("journey execution metrics %v", m)
	}
	am, err := v.pp.GetJourneyExecutionActivityMetrics(ctx, &pinpoint.GetJourneyExecutionActivityMetricsInput{ApplicationId: &app, JourneyId: &jrn, JourneyActivityId: aws.String("wait")})
	must(t, err, "journey activity metrics")
	if r := am.JourneyExecutionActivityMetricsResponse; r.Metrics["INFLIGHT"] != "3" || aws.ToString(r.ActivityType) != "WAIT" || aws.ToString(r.JourneyActivityId) != "wait" {
		t.Errorf("journey activity metrics %+v", r)
	}
	rm, err := v.pp.GetJourneyRunExecutionMetrics(ctx, &pinpoint.GetJourneyRunExecutionMetricsInput{ApplicationId: &app, JourneyId: &jrn, RunId: aws.String("r1")})
	must(t, err, "journey run metrics")
	if r := rm.JourneyRunExecutionMetricsResponse; r.Metrics["ENDPOINT_ENTERED"] != "40" || aws.ToString(r.RunId) != "r1" {
		t.Errorf("journey run metrics %+v", r)
	}
	ram, err := v.pp.GetJourneyRunExecutionActivityMetrics(ctx, &pinpoint.GetJourneyRunExecutionActivityMetricsInput{ApplicationId: &app, JourneyId: &jrn, RunId: aws.String("r1"), JourneyActivityId: aws.String("wait")})
	must(t, err, "journey run activity metrics")
	if r := ram.JourneyRunExecutionActivityMetricsResponse; r.Metrics["INFLIGHT"] != "1" || aws.ToString(r.ActivityType) != "WAIT" {
		t.Errorf("journey run activity metrics %+v", r)
	}
	_, err = v.pp.GetJourneyRunExecutionMetrics(ctx, &pinpoint.GetJourneyRunExecutionMetricsInput{ApplicationId: &app, JourneyId: &jrn, RunId: aws.String("r9")})
	wantErr[*types.NotFoundException](t, err, "metrics of a missing run")
	_, err = v.pp.GetJourneyExecutionActivityMetrics(ctx, &pinpoint.GetJourneyExecutionActivityMetricsInput{ApplicationId: &app, JourneyId: &jrn, JourneyActivityId: aws.String("ghost")})
	wantErr[*types.NotFoundException](t, err, "metrics of a missing activity")
	// Unseeded journeys answer empty metrics.
	other := aws.ToString(v.journey(app, "quiet").Id)
	qm, err := v.pp.GetJourneyExecutionMetrics(ctx, &pinpoint.GetJourneyExecutionMetricsInput{ApplicationId: &app, JourneyId: &other})
	must(t, err, "metrics of an unseeded journey")
	if len(qm.JourneyExecutionMetricsResponse.Metrics) != 0 {
		t.Errorf("unseeded journey metrics %v", qm.JourneyExecutionMetricsResponse.Metrics)
	}
	if err := v.e.Pinpoint.SeedMetrics("us-east-1", seedWithBadDate()); err == nil {
		t.Errorf("SeedMetrics accepted a KPI dated 03/01/2026")
	}
}
