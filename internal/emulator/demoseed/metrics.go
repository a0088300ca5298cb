package demoseed

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// Analytics. No AWS call writes Pinpoint's figures, so the seed fills them
// with the emulator-only call "emulator SeedMetrics" (one per region).
//
// KPI window: the 90 days from 2026-08-01 to 2026-10-29, the last day
// before the end of support. Every KPI is seeded under its plain name
// (the emulator sums it, or averages a -rate, over the queried range) and
// under "<name>-grouped-by-date" (one row per day):
//
//	apps:      successful-delivery-rate, email-open-rate, unique-deliveries,
//	           txn-emails-sent, txn-emails-delivered, txn-sms-sent, txn-sms-delivered
//	campaigns: successful-delivery-rate, unique-deliveries, and
//	           email-open-rate for campaigns with an email template;
//	           rows only on days the campaign sent (every day for daily,
//	           hourly and event-triggered ones, the weekday or monthday for
//	           weekly and monthly ones, the send day for one-time ones)
//	journeys:  successful-delivery-rate, unique-deliveries, and
//	           email-open-rate for journeys with an email activity; every
//	           day the journey ran in the window
//
// Rates are fractions (0.9734), counts whole numbers.
//
// Campaign activities (GetCampaignActivities): one per run, the latest 30
// at most; event-triggered and in-app campaigns have one long-running
// activity; A/B campaigns one activity per treatment and run.
//
// Journey runs (GetJourneyRuns): one per week the journey ran, the last one
// RUNNING (ACTIVE), COMPLETED (PAUSED) or CANCELLED. Execution metrics:
// journey level and per activity across runs, per run, and per run and
// activity for the latest two runs. Journey-level field names follow the
// developer guide (ENDPOINT_ENTERED, ENDPOINT_ACTIVE, ENDPOINT_LEFT,
// CANCELLED, REENTRY_CAP_EXCEEDED, ACTIVE_ENDPOINT_REJECTED, ...);
// activity-level names are modelled on it and illustrative.
const (
	kpiFirstDay = "2026-08-01"
	kpiDays     = 90
)

var appKPIs = []string{"successful-delivery-rate", "email-open-rate", "unique-deliveries", "txn-emails-sent", "txn-emails-delivered", "txn-sms-sent", "txn-sms-delivered"}

// Daily volumes (deliveries) per app.
var appVolume = map[string]float64{appRetail: 38000, appRewards: 11000, appPay: 16000, appEU: 700}

// journeyStoppedOn is when paused journeys stopped sending.
var journeyStoppedOn = map[string]string{"jrn.shop.cart": "2026-10-05", "jrn.rewards.winback": "2026-10-12"}

func kpiDayList() []time.Time {
	first, _ := time.Parse("2006-01-02", kpiFirstDay)
	out := make([]time.Time, kpiDays)
	for i := range out {
		out[i] = first.AddDate(0, 0, i)
	}
	return out
}

// seasonal is a weekly rhythm plus the September sale bump.
func seasonal(d time.Time) float64 {
	f := map[time.Weekday]float64{time.Sunday: 0.8, time.Monday: 1.05, time.Tuesday: 1.1, time.Wednesday: 1.0, time.Thursday: 1.0, time.Friday: 0.95, time.Saturday: 0.75}[d.Weekday()]
	if d.Month() == time.September && d.Day() >= 7 && d.Day() <= 20 {
		f *= 1.3
	}
	return f
}

type metricsOut struct {
	kpis, activities, runs, journey L
}

func (b *builder) metrics() {
	g := gen{b}
	days := kpiDayList()
	out := map[string]*metricsOut{Region: {}, EURegion: {}}
	region := func(r string) *metricsOut {
		if r == "" {
			r = Region
		}
		return out[r]
	}
	noise := func(spread float64) float64 { return 1 + (b.rng.Float64()*2-1)*spread }
	point := func(o *metricsOut, resource, name string, d time.Time, v float64) {
		for _, n := range []string{name, name + "-grouped-by-date"} {
			o.kpis = append(o.kpis, M{"resourceId": "${" + resource + "}", "kpiName": n, "date": d.Format("2006-01-02"), "value": v})
		}
	}
	rate := func(lo, hi float64) float64 { return math.Round((lo+b.rng.Float64()*(hi-lo))*10000) / 10000 }

	// Apps.
	for _, a := range []struct{ save, region string }{{appRetail, Region}, {appRewards, Region}, {appPay, Region}, {appEU, EURegion}} {
		o := out[a.region]
		for _, d := range days {
			vol := math.Round(appVolume[a.save] * seasonal(d) * noise(0.1))
			txnEmail := math.Round(vol * 0.18 * noise(0.1))
			txnSMS := math.Round(vol * map[string]float64{appRetail: 0.05, appRewards: 0.08, appPay: 0.6, appEU: 0}[a.save] * noise(0.1))
			for _, k := range appKPIs {
				var v float64
				switch k {
				case "successful-delivery-rate":
					v = rate(0.94, 0.99)
				case "email-open-rate":
					v = rate(0.18, 0.34)
				case "unique-deliveries":
					v = vol
				case "txn-emails-sent":
					v = txnEmail
				case "txn-emails-delivered":
					v = math.Round(txnEmail * rate(0.96, 0.995))
				case "txn-sms-sent":
					v = txnSMS
				case "txn-sms-delivered":
					v = math.Round(txnSMS * rate(0.93, 0.99))
				}
				point(o, a.save, k, d, v)
			}
		}
	}

	// Campaigns.
	for _, c := range b.camps {
		o := region(c.region)
		var sendDays []time.Time
		for _, d := range days {
			if c.sends(d) {
				sendDays = append(sendDays, d)
			}
		}
		size := 1500 + float64(g.intn(9000))
		for _, d := range sendDays {
			n := math.Round(size * seasonal(d) * noise(0.15))
			if c.frequency == "EVENT" || c.frequency == "IN_APP_EVENT" {
				n = math.Round(n / 12)
			}
			point(o, c.save, "unique-deliveries", d, n)
			point(o, c.save, "successful-delivery-rate", d, rate(0.92, 0.99))
			if c.email {
				point(o, c.save, "email-open-rate", d, rate(0.14, 0.38))
			}
		}
		o.activities = append(o.activities, b.campaignActivities(g, c, sendDays, size)...)
	}

	// Journeys.
	for _, j := range b.jrns {
		o := out[Region]
		var active []time.Time
		for _, d := range days {
			day := d.Format("2006-01-02")
			if j.state == "DRAFT" || day < j.start || (j.end != "" && day > j.end) || (journeyStoppedOn[j.save] != "" && day >= journeyStoppedOn[j.save]) {
				continue
			}
			active = append(active, d)
		}
		size := 300 + float64(g.intn(1500))
		for _, d := range active {
			point(o, j.save, "unique-deliveries", d, math.Round(size*seasonal(d)*noise(0.2)))
			point(o, j.save, "successful-delivery-rate", d, rate(0.93, 0.99))
			if j.email {
				point(o, j.save, "email-open-rate", d, rate(0.2, 0.45))
			}
		}
		if j.state == "DRAFT" {
			continue
		}
		b.journeyRuns(g, o, j)
	}

	for _, r := range []string{Region, EURegion} {
		o := out[r]
		in := M{"kpis": o.kpis}
		if len(o.activities) > 0 {
			in["campaignActivities"] = o.activities
		}
		if len(o.runs) > 0 {
			in["journeyRuns"] = o.runs
		}
		if len(o.journey) > 0 {
			in["journeyMetrics"] = o.journey
		}
		reg := ""
		if r != Region {
			reg = r
		}
		b.add(reg, "emulator", "SeedMetrics", in, nil)
	}
}

// sends reports whether the campaign sent on day d.
func (c campMeta) sends(d time.Time) bool {
	day := d.Format("2006-01-02")
	if c.start == "" || day < c.start || (c.end != "" && day > c.end) {
		return false
	}
	if c.pausedOn != "" && day >= c.pausedOn {
		return false
	}
	start, _ := time.Parse("2006-01-02", c.start)
	switch c.frequency {
	case "ONCE":
		return day == c.start
	case "WEEKLY":
		return int(d.Sub(start).Hours()/24)%7 == 0
	case "MONTHLY":
		return d.Day() == start.Day()
	}
	return true // HOURLY, DAILY, EVENT, IN_APP_EVENT
}

func (b *builder) campaignActivities(g gen, c campMeta, sendDays []time.Time, size float64) L {
	var acts L
	activity := func(start time.Time, dur time.Duration, treatment int, state string, total float64) {
		ok := math.Round(total * (0.93 + b.rng.Float64()*0.06))
		a := M{"ApplicationId": "${" + c.app + "}", "CampaignId": "${" + c.save + "}", "Id": g.hex(32),
			"ScheduledStart": start.Format(time.RFC3339), "Start": start.Add(2 * time.Minute).Format("2006-01-02T15:04:05.000Z"),
			"State":              state,
			"TotalEndpointCount": total, "SuccessfulEndpointCount": ok, "TreatmentId": fmt.Sprint(treatment),
			"TimezonesTotalCount": 1, "TimezonesCompletedCount": 1,
			"ExecutionMetrics": M{
				"ENDPOINT_PRODUCED":        fmt.Sprint(int(total * 1.08)),
				"ENDPOINT_OPT_OUT":         fmt.Sprint(int(total * 0.03)),
				"ENDPOINT_INACTIVE":        fmt.Sprint(int(total * 0.04)),
				"ENDPOINT_MISSING_ADDRESS": fmt.Sprint(int(total * 0.005)),
				"DUPLICATE_ENDPOINT":       fmt.Sprint(int(total * 0.002)),
				"SUCCESS":                  fmt.Sprint(int(ok)),
			}}
		if state == "COMPLETED" {
			a["End"] = start.Add(dur).Format("2006-01-02T15:04:05.000Z")
			a["Result"] = "SUCCESS"
		}
		acts = append(acts, M{"campaignId": "${" + c.save + "}", "activity": a})
	}
	switch c.frequency {
	case "EVENT", "IN_APP_EVENT":
		if len(sendDays) == 0 {
			return nil
		}
		start, _ := time.Parse("2006-01-02", c.start)
		activity(start, 0, 0, "RUNNING", math.Round(size*float64(len(sendDays))/12))
		return acts
	}
	if len(sendDays) > 30 {
		sendDays = sendDays[len(sendDays)-30:]
	}
	for _, d := range sendDays {
		hours := []int{15}
		if c.frequency == "HOURLY" {
			hours = nil
			for h := 14; h < 24; h++ {
				hours = append(hours, h)
			}
		}
		for _, h := range hours {
			at := d.Add(time.Duration(h) * time.Hour)
			for t := 0; t <= c.treatments; t++ {
				share := 1.0
				if c.treatments > 0 {
					share = []float64{0.45, 0.35, 0.15, 0.05}[min(t, 3)]
				}
				activity(at, 40*time.Minute, t, "COMPLETED", math.Round(size*share*seasonal(d)))
			}
		}
	}
	return acts
}

// journeyRuns adds a journey's runs and execution metrics.
func (b *builder) journeyRuns(g gen, o *metricsOut, j jrnMeta) {
	start, _ := time.Parse("2006-01-02", j.start)
	last, _ := time.Parse("2006-01-02", "2026-10-29")
	if j.end != "" {
		if e, _ := time.Parse("2006-01-02", j.end); e.Before(last) {
			last = e
		}
	}
	if s := journeyStoppedOn[j.save]; s != "" {
		last, _ = time.Parse("2006-01-02", s)
	}
	// Weekly runs, the latest 13 at most.
	var runStarts []time.Time
	for t := start; !t.After(last); t = t.AddDate(0, 0, 7) {
		runStarts = append(runStarts, t)
	}
	if len(runStarts) > 13 {
		runStarts = runStarts[len(runStarts)-13:]
	}
	entered := 0
	var runIDs []string
	for i, t := range runStarts {
		id := g.hex(32)
		runIDs = append(runIDs, id)
		status := "COMPLETED"
		if i == len(runStarts)-1 {
			status = map[string]string{"ACTIVE": "RUNNING", "PAUSED": "COMPLETED", "CANCELLED": "CANCELLED"}[j.state]
		}
		upd := t.Add(6 * 24 * time.Hour)
		if upd.After(last) {
			upd = last
		}
		o.runs = append(o.runs, M{"journeyId": "${" + j.save + "}", "run": M{"RunId": id, "Status": status,
			"CreationTime": t.Format("2006-01-02T15:04:05.000Z"), "LastUpdateTime": upd.Add(9 * time.Hour).Format("2006-01-02T15:04:05.000Z")}})
		n := 200 + g.intn(2000)
		entered += n
		o.journey = append(o.journey, M{"journeyId": "${" + j.save + "}", "runId": id, "metrics": journeyLevel(n, status == "RUNNING")})
	}
	o.journey = append(o.journey, M{"journeyId": "${" + j.save + "}", "metrics": journeyLevel(entered, j.state == "ACTIVE")})

	// Per activity, across runs and for the latest two runs.
	for _, a := range j.activities {
		o.journey = append(o.journey, M{"journeyId": "${" + j.save + "}", "activityId": a.id, "activityType": activityType(a.kind),
			"metrics": b.activityMetrics(a.kind, entered)})
		for _, id := range runIDs[max(0, len(runIDs)-2):] {
			o.journey = append(o.journey, M{"journeyId": "${" + j.save + "}", "runId": id, "activityId": a.id, "activityType": activityType(a.kind),
				"metrics": b.activityMetrics(a.kind, entered/len(runIDs))})
		}
	}
}

func journeyLevel(entered int, running bool) M {
	active := 0
	if running {
		active = entered / 5
	}
	cancelled := 0
	left := entered - active - cancelled
	return M{
		"ENDPOINT_PRODUCED":        fmt.Sprint(entered + entered/10),
		"ENDPOINT_ENTERED":         fmt.Sprint(entered),
		"ENDPOINT_ACTIVE":          fmt.Sprint(active),
		"ENDPOINT_LEFT":            fmt.Sprint(left),
		"CANCELLED":                fmt.Sprint(cancelled),
		"REENTRY_CAP_EXCEEDED":     fmt.Sprint(entered / 40),
		"ACTIVE_ENDPOINT_REJECTED": fmt.Sprint(entered / 60),
		"ENDPOINT_OPT_OUT":         fmt.Sprint(entered / 33),
	}
}

// activityType is the ActivityType the execution-metrics API reports.
func activityType(kind string) string {
	return map[string]string{"EMAIL": "MESSAGE", "SMS": "MESSAGE", "PUSH": "MESSAGE", "CUSTOM": "MESSAGE", "Wait": "WAIT",
		"ConditionalSplit": "CONDITIONAL_SPLIT", "MultiCondition": "MULTI_CONDITIONAL_SPLIT", "RandomSplit": "RANDOM_SPLIT",
		"Holdout": "HOLDOUT", "ContactCenter": "CONTACT_CENTER"}[kind]
}

func (b *builder) activityMetrics(kind string, n int) M {
	part := func(f float64) string { return fmt.Sprint(int(float64(n) * f)) }
	switch kind {
	case "EMAIL", "SMS", "PUSH", "CUSTOM":
		return M{"SUCCESS": part(0.9), "DAILY_CAP": part(0.02), "QUIET_TIME": part(0.03), "TIMEFRAME_CAP": part(0.01), "TOTAL_CAP": part(0.005), "ENDPOINT_OPT_OUT": part(0.02), "ENDPOINT_MISSING_ADDRESS": part(0.005)}
	case "Wait":
		return M{"ENTERED": part(1), "WAIT_COMPLETED": part(0.97)}
	case "ConditionalSplit":
		return M{"BRANCH_TRUE": part(0.35), "BRANCH_FALSE": part(0.65)}
	case "MultiCondition":
		return M{"BRANCH_0": part(0.2), "BRANCH_1": part(0.4), "BRANCH_2": part(0.1), "BRANCH_ELSE": part(0.3)}
	case "RandomSplit":
		return M{"BRANCH_0": part(0.5), "BRANCH_1": part(0.5)}
	case "Holdout":
		return M{"HOLDOUT": part(0.05), "PASSED": part(0.95)}
	case "ContactCenter":
		return M{"SUCCESS": part(0.6), "AGENT_UNAVAILABLE": part(0.1), "OUTSIDE_OPEN_HOURS": part(0.3)}
	}
	return M{}
}

func sortedKeys(m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
