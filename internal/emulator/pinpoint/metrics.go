package pinpoint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/awsmodel"
	"github.com/p2c/p2c/internal/emulator/core"
)

// metrics holds the figures analytics operations answer with. No AWS call
// writes them, so they are seeded (see MetricsSeed); without a seed the
// operations answer with empty results, as the service does for resources
// that never sent anything.
type metrics struct {
	kpis       map[string][]KPIPoint        // resource id + "/" + kpi name
	activities map[string][]map[string]any  // campaign id
	runs       map[string][]map[string]any  // journey id
	execution  map[string]map[string]any    // journey id[/run id][/activity id]
	activityTy map[string]map[string]string // journey id -> activity id -> type
}

func newMetrics() *metrics {
	return &metrics{kpis: map[string][]KPIPoint{}, activities: map[string][]map[string]any{}, runs: map[string][]map[string]any{},
		execution: map[string]map[string]any{}, activityTy: map[string]map[string]string{}}
}

// KPIPoint is one day's value of a KPI for an app, campaign or journey.
type KPIPoint struct {
	ResourceID string  `json:"resourceId"` // application, campaign or journey id
	KPIName    string  `json:"kpiName"`
	Date       string  `json:"date"` // YYYY-MM-DD
	Value      float64 `json:"value"`
}

// MetricsSeed is the emulator-only input that fills analytics.
type MetricsSeed struct {
	KPIs               []KPIPoint `json:"kpis,omitempty"`
	CampaignActivities []struct {
		CampaignID string         `json:"campaignId"`
		Activity   map[string]any `json:"activity"`
	} `json:"campaignActivities,omitempty"`
	JourneyRuns []struct {
		JourneyID string         `json:"journeyId"`
		Run       map[string]any `json:"run"`
	} `json:"journeyRuns,omitempty"`
	JourneyMetrics []struct {
		JourneyID    string            `json:"journeyId"`
		RunID        string            `json:"runId,omitempty"`
		ActivityID   string            `json:"activityId,omitempty"`
		ActivityType string            `json:"activityType,omitempty"`
		Metrics      map[string]string `json:"metrics"`
	} `json:"journeyMetrics,omitempty"`
}

// SeedMetrics adds analytics figures to a region.
func (s *Service) SeedMetrics(regionName string, seed MetricsSeed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.region(regionName).metrics
	for _, p := range seed.KPIs {
		if _, err := time.Parse("2006-01-02", p.Date); err != nil {
			return fmt.Errorf("kpi %s of %s: date %q is not YYYY-MM-DD", p.KPIName, p.ResourceID, p.Date)
		}
		k := p.ResourceID + "/" + p.KPIName
		m.kpis[k] = append(m.kpis[k], p)
	}
	for _, a := range seed.CampaignActivities {
		m.activities[a.CampaignID] = append(m.activities[a.CampaignID], a.Activity)
	}
	for _, r := range seed.JourneyRuns {
		m.runs[r.JourneyID] = append(m.runs[r.JourneyID], r.Run)
	}
	for _, e := range seed.JourneyMetrics {
		key := e.JourneyID + "/" + e.RunID + "/" + e.ActivityID
		m.execution[key] = map[string]any{}
		for k, v := range e.Metrics {
			m.execution[key][k] = v
		}
		if e.ActivityID != "" && e.ActivityType != "" {
			if m.activityTy[e.JourneyID] == nil {
				m.activityTy[e.JourneyID] = map[string]string{}
			}
			m.activityTy[e.JourneyID][e.ActivityID] = e.ActivityType
		}
	}
	return nil
}

func init() {
	handlers["GetApplicationDateRangeKpi"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		if _, err := r.app(core.Str(in, "ApplicationId")); err != nil {
			return nil, err
		}
		return s.kpi(r, in, core.Str(in, "ApplicationId"), map[string]any{"ApplicationId": core.Str(in, "ApplicationId")})
	}
	handlers["GetCampaignDateRangeKpi"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		a, err := r.app(core.Str(in, "ApplicationId"))
		if err != nil {
			return nil, err
		}
		if _, err := a.campaign(core.Str(in, "CampaignId")); err != nil {
			return nil, err
		}
		return s.kpi(r, in, core.Str(in, "CampaignId"), map[string]any{"ApplicationId": core.Str(in, "ApplicationId"), "CampaignId": core.Str(in, "CampaignId")})
	}
	handlers["GetJourneyDateRangeKpi"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		a, err := r.app(core.Str(in, "ApplicationId"))
		if err != nil {
			return nil, err
		}
		if _, err := a.journey(core.Str(in, "JourneyId")); err != nil {
			return nil, err
		}
		return s.kpi(r, in, core.Str(in, "JourneyId"), map[string]any{"ApplicationId": core.Str(in, "ApplicationId"), "JourneyId": core.Str(in, "JourneyId")})
	}
	handlers["GetJourneyExecutionMetrics"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		return s.execMetrics(r, in, "", "")
	}
	handlers["GetJourneyExecutionActivityMetrics"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		return s.execMetrics(r, in, "", core.Str(in, "JourneyActivityId"))
	}
	handlers["GetJourneyRunExecutionMetrics"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		return s.execMetrics(r, in, core.Str(in, "RunId"), "")
	}
	handlers["GetJourneyRunExecutionActivityMetrics"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		return s.execMetrics(r, in, core.Str(in, "RunId"), core.Str(in, "JourneyActivityId"))
	}
	handlers["GetJourneyRuns"] = func(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
		a, err := r.app(core.Str(in, "ApplicationId"))
		if err != nil {
			return nil, err
		}
		id := core.Str(in, "JourneyId")
		if _, err := a.journey(id); err != nil {
			return nil, err
		}
		runs := r.metrics.runs[id]
		items := make([]any, len(runs))
		for i, o := range runs {
			items[i] = o
		}
		return listPage("journey-runs/"+id, items, in, "Token")
	}
}

// kpi answers a date-range KPI. KPI names ending in "-grouped-by-date" give
// one row per day; others one row with the total (or, for rates, the mean)
// over the range. Value keys are the KPI name in CamelCase.
func (s *Service) kpi(r *region, in map[string]any, resource string, ids map[string]any) (any, *core.Error) {
	name := core.Str(in, "KpiName")
	if name == "" || strings.ToLower(name) != name {
		return nil, badRequest("Invalid kpi-name %q", name)
	}
	end := s.now()
	start := end.AddDate(0, 0, -7)
	if v := core.Str(in, "StartTime"); v != "" {
		t, err := awsmodel.ParseTime(v)
		if err != nil {
			return nil, badRequest("Invalid start-time %q", v)
		}
		start = t
	}
	if v := core.Str(in, "EndTime"); v != "" {
		t, err := awsmodel.ParseTime(v)
		if err != nil {
			return nil, badRequest("Invalid end-time %q", v)
		}
		end = t
	}
	if end.Before(start) {
		return nil, badRequest("end-time is before start-time")
	}
	// Pinpoint keeps 90 days of analytics but answers at most 31 days per
	// query, so longer look-backs are several queries.
	if end.Sub(start) > 31*24*time.Hour+time.Hour {
		return nil, badRequest("The date range can span at most 31 days")
	}
	var pts []KPIPoint
	for _, p := range r.metrics.kpis[resource+"/"+name] {
		d, _ := time.Parse("2006-01-02", p.Date)
		if !d.Before(start.Truncate(24*time.Hour)) && !d.After(end) {
			pts = append(pts, p)
		}
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].Date < pts[j].Date })
	key := camel(strings.TrimSuffix(name, "-grouped-by-date"))
	rows := []any{}
	if strings.HasSuffix(name, "-grouped-by-date") {
		for _, p := range pts {
			rows = append(rows, map[string]any{
				"GroupedBys": []any{map[string]any{"Key": "Date", "Type": "String", "Value": p.Date}},
				"Values":     []any{map[string]any{"Key": key, "Type": "Double", "Value": fmtNum(p.Value)}}})
		}
	} else if len(pts) > 0 {
		total := 0.0
		for _, p := range pts {
			total += p.Value
		}
		if strings.HasSuffix(name, "-rate") {
			total /= float64(len(pts))
		}
		rows = append(rows, map[string]any{"GroupedBys": []any{}, "Values": []any{map[string]any{"Key": key, "Type": "Double", "Value": fmtNum(total)}}})
	}
	out := map[string]any{"KpiName": name, "StartTime": start.Format(time.RFC3339), "EndTime": end.Format(time.RFC3339), "KpiResult": map[string]any{"Rows": rows}}
	for k, v := range ids {
		out[k] = v
	}
	return out, nil
}

func (s *Service) execMetrics(r *region, in map[string]any, run, activity string) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	jid := core.Str(in, "JourneyId")
	j, err := a.journey(jid)
	if err != nil {
		return nil, err
	}
	if activity != "" && core.Obj(core.Obj(j, "Activities"), activity) == nil {
		return nil, notFound("Activity %s not found in journey %s", activity, jid)
	}
	if run != "" {
		found := false
		for _, rr := range r.metrics.runs[jid] {
			found = found || core.Str(rr, "RunId") == run
		}
		if !found {
			return nil, notFound("Run %s not found in journey %s", run, jid)
		}
	}
	m := r.metrics.execution[jid+"/"+run+"/"+activity]
	if m == nil {
		m = map[string]any{}
	}
	out := map[string]any{"ApplicationId": a.obj["Id"], "JourneyId": jid, "LastEvaluatedTime": s.stamp(), "Metrics": m}
	if run != "" {
		out["RunId"] = run
	}
	if activity != "" {
		out["JourneyActivityId"] = activity
		typ := r.metrics.activityTy[jid][activity]
		if typ == "" {
			act := core.Obj(core.Obj(j, "Activities"), activity)
			for _, k := range journeyActivityKinds {
				if core.Obj(act, k) != nil {
					typ = activityMetricType[k]
				}
			}
		}
		out["ActivityType"] = typ
	}
	return out, nil
}

// activityMetricType names an activity kind the way execution metrics
// report it; the model documents MESSAGE for message-sending activities.
var activityMetricType = map[string]string{
	"ConditionalSplit": "CONDITIONAL_SPLIT", "Holdout": "HOLDOUT", "MultiCondition": "MULTI_CONDITIONAL_SPLIT", "RandomSplit": "RANDOM_SPLIT", "Wait": "WAIT",
	"EMAIL": "MESSAGE", "SMS": "MESSAGE", "PUSH": "MESSAGE", "CUSTOM": "MESSAGE", "ContactCenter": "MESSAGE",
}

func camel(kebab string) string {
	var b strings.Builder
	for _, p := range strings.Split(kebab, "-") {
		if p == "" {
			continue
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
