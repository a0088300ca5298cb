package live

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/p2c/p2c/internal/inventory"
)

// KPI names read for the last Options.KPIDays days. AWS publishes the
// valid names only in the developer guide ("standard metrics"); these are
// the delivery and engagement figures a migration report needs. A name the
// service does not know answers 400/404, which the scan records once per
// region as an "unavailable" fact and stops asking.
var (
	AppKPIs = []string{
		"email-open-rate", "successful-delivery-rate", "unique-deliveries",
		"txn-emails-sent", "txn-emails-delivered", "txn-sms-sent", "txn-sms-delivered",
	}
	CampaignKPIs = []string{"email-open-rate", "successful-delivery-rate", "unique-deliveries"}
	JourneyKPIs  = []string{"email-open-rate", "successful-delivery-rate", "unique-deliveries"}
)

// kpiWindow is the longest date range a KPI query accepts (31 days); the
// look-back is split into windows of 30 days.
const kpiWindow = 30 * 24 * time.Hour

type pinpointScan struct {
	s      *scanner
	c      *pinpoint.Client
	s3     *s3.Client
	region string
}

type ppOpt = func(*pinpoint.Options)

// raw makes one call and returns the raw response body. API errors are
// returned unrecorded; callers pass them to fail or handle them.
func (p *pinpointScan) raw(ctx context.Context, op string, fn func(context.Context, ppOpt) error) (json.RawMessage, error) {
	if p.s.skipped(p.region, svcPinpoint, op) {
		return nil, errSkipped
	}
	if err := p.s.acquire(ctx, p.region, svcPinpoint, op); err != nil {
		return nil, err
	}
	defer p.s.release()
	c := &capture{}
	if err := fn(ctx, func(o *pinpoint.Options) { o.APIOptions = append(o.APIOptions, c.addTo) }); err != nil {
		return nil, err
	}
	return compact(c.body), nil
}

// list pages through a list operation ("Item" + "NextToken" bodies); fn
// puts the token in whichever parameter the operation uses.
func (p *pinpointScan) list(ctx context.Context, op string, fn func(context.Context, *string, ppOpt) error) ([]json.RawMessage, error) {
	var all []json.RawMessage
	var tok *string
	for {
		body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error { return fn(ctx, tok, o) })
		if err != nil {
			return all, err
		}
		items, next, err := parsePage(body, "Item")
		if err != nil {
			return all, fmt.Errorf("%s: %w", op, err)
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if tok != nil && *tok == next {
			return all, fmt.Errorf("%s: the service repeated page token %q", op, next)
		}
		tok = aws.String(next)
	}
}

func (p *pinpointScan) fail(ctx context.Context, op, resource string, err error) error {
	return p.s.fail(ctx, p.region, svcPinpoint, op, resource, err)
}

// notConfigured handles an error that may mean "nothing set up here":
// a 404 becomes a not-configured fact.
func (p *pinpointScan) notConfigured(ctx context.Context, op, resource string, err error) error {
	if cls, code, msg := classify(err); cls == errNotFound {
		p.s.fact(inventory.Fact{Region: p.region, Service: svcPinpoint, Operation: op, Kind: inventory.FactNotConfigured, Resource: resource, Code: code, Message: msg})
		return nil
	}
	return p.fail(ctx, op, resource, err)
}

func objects(items []json.RawMessage, idField string) []inventory.Object {
	out := make([]inventory.Object, 0, len(items))
	for _, it := range items {
		out = append(out, inventory.Object{ID: field(it, idField), Object: it})
	}
	return out
}

// ---- templates and recommenders (region scoped) ----

func (p *pinpointScan) templates(ctx context.Context) ([]inventory.Template, error) {
	const op = "ListTemplates"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.ListTemplates(ctx, &pinpoint.ListTemplatesInput{PageSize: aws.String(PageSize), NextToken: tok}, o)
		return err
	})
	if err != nil {
		return nil, p.fail(ctx, op, "", err)
	}
	out := make([]inventory.Template, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		out[i] = inventory.Template{
			Name: field(it, "TemplateName"), Type: field(it, "TemplateType"),
			ActiveVersion: field(it, "Version"), Summary: it,
		}
		g.Go(func() error { return p.template(gctx, &out[i]) })
	}
	return out, g.Wait()
}

// typedTemplate GETs one template; version "" is the active version.
func (p *pinpointScan) typedTemplate(ctx context.Context, name, typ, version string) (string, json.RawMessage, error) {
	var v *string
	if version != "" {
		v = aws.String(version)
	}
	var op string
	var fn func(context.Context, ppOpt) error
	switch strings.ToUpper(typ) {
	case "EMAIL":
		op = "GetEmailTemplate"
		fn = func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetEmailTemplate(ctx, &pinpoint.GetEmailTemplateInput{TemplateName: &name, Version: v}, o)
			return err
		}
	case "SMS":
		op = "GetSmsTemplate"
		fn = func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetSmsTemplate(ctx, &pinpoint.GetSmsTemplateInput{TemplateName: &name, Version: v}, o)
			return err
		}
	case "PUSH":
		op = "GetPushTemplate"
		fn = func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetPushTemplate(ctx, &pinpoint.GetPushTemplateInput{TemplateName: &name, Version: v}, o)
			return err
		}
	case "VOICE":
		op = "GetVoiceTemplate"
		fn = func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetVoiceTemplate(ctx, &pinpoint.GetVoiceTemplateInput{TemplateName: &name, Version: v}, o)
			return err
		}
	case "INAPP":
		op = "GetInAppTemplate"
		fn = func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetInAppTemplate(ctx, &pinpoint.GetInAppTemplateInput{TemplateName: &name, Version: v}, o)
			return err
		}
	default:
		return "", nil, fmt.Errorf("template %s: unknown template type %q", name, typ)
	}
	body, err := p.raw(ctx, op, fn)
	return op, body, err
}

func (p *pinpointScan) template(ctx context.Context, t *inventory.Template) error {
	res := "template/" + t.Name + "/" + t.Type
	op, body, err := p.typedTemplate(ctx, t.Name, t.Type, "")
	if err != nil {
		if op == "" {
			p.s.warn(p.region, "ListTemplates", res, err.Error())
			return nil
		}
		if err := p.fail(ctx, op, res, err); err != nil {
			return err
		}
	}
	t.Object = body
	if v := field(body, "Version"); v != "" {
		t.ActiveVersion = v
	}
	const vop = "ListTemplateVersions"
	items, err := p.list(ctx, vop, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.ListTemplateVersions(ctx, &pinpoint.ListTemplateVersionsInput{
			TemplateName: &t.Name, TemplateType: &t.Type, PageSize: aws.String(PageSize), NextToken: tok}, o)
		return err
	})
	if err != nil {
		return p.fail(ctx, vop, res, err)
	}
	t.Versions = make([]inventory.TemplateVersion, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		tv := &t.Versions[i]
		tv.Version, tv.Summary = field(it, "Version"), it
		if tv.Version == "" {
			continue
		}
		g.Go(func() error {
			op, body, err := p.typedTemplate(gctx, t.Name, t.Type, tv.Version)
			if err != nil {
				return p.fail(gctx, op, res+"/"+tv.Version, err)
			}
			tv.Object = body
			return nil
		})
	}
	return g.Wait()
}

func (p *pinpointScan) recommenders(ctx context.Context) ([]inventory.Object, error) {
	const op = "GetRecommenderConfigurations"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.GetRecommenderConfigurations(ctx, &pinpoint.GetRecommenderConfigurationsInput{PageSize: aws.String(PageSize), Token: tok}, o)
		return err
	})
	if err != nil {
		return nil, p.fail(ctx, op, "", err)
	}
	return objects(items, "Id"), nil
}

// ---- apps ----

func (p *pinpointScan) apps(ctx context.Context) ([]inventory.App, error) {
	const op = "GetApps"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.GetApps(ctx, &pinpoint.GetAppsInput{PageSize: aws.String(PageSize), Token: tok}, o)
		return err
	})
	if err != nil {
		return nil, p.fail(ctx, op, "", err)
	}
	out := make([]inventory.App, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		a := &out[i]
		a.ID, a.Name, a.Arn, a.Object = field(it, "Id"), field(it, "Name"), field(it, "Arn"), it
		var tags struct {
			Tags map[string]string `json:"tags"`
		}
		if json.Unmarshal(it, &tags) == nil && len(tags.Tags) > 0 {
			a.Tags = tags.Tags
		}
		g.Go(func() error { return p.app(gctx, a) })
	}
	return out, g.Wait()
}

func (p *pinpointScan) app(ctx context.Context, a *inventory.App) error {
	id := aws.String(a.ID)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if a.Arn == "" {
			return nil
		}
		const op = "ListTagsForResource"
		body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
			_, err := p.c.ListTagsForResource(ctx, &pinpoint.ListTagsForResourceInput{ResourceArn: &a.Arn}, o)
			return err
		})
		if err != nil {
			return p.fail(ctx, op, a.ID, err)
		}
		var tags struct {
			Tags map[string]string `json:"tags"`
		}
		if err := json.Unmarshal(body, &tags); err != nil {
			p.s.warn(p.region, op, a.ID, err.Error())
		} else if len(tags.Tags) > 0 {
			a.Tags = tags.Tags
		}
		return nil
	})
	g.Go(func() error {
		const op = "GetApplicationSettings"
		body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetApplicationSettings(ctx, &pinpoint.GetApplicationSettingsInput{ApplicationId: id}, o)
			return err
		})
		if err != nil {
			return p.fail(ctx, op, a.ID, err)
		}
		a.Settings = body
		return nil
	})
	g.Go(func() error {
		const op = "GetEventStream"
		body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetEventStream(ctx, &pinpoint.GetEventStreamInput{ApplicationId: id}, o)
			return err
		})
		if err != nil {
			return p.notConfigured(ctx, op, a.ID, err)
		}
		a.EventStream = body
		return nil
	})
	g.Go(func() error { return p.channels(ctx, a) })
	g.Go(func() error { return p.segments(ctx, a) })
	g.Go(func() error { return p.campaigns(ctx, a) })
	g.Go(func() error { return p.journeys(ctx, a) })
	// With an export, export jobs are listed once the scan's own job
	// exists, so the list always has it rather than depending on timing.
	var exportCreated chan struct{}
	if p.s3 != nil {
		exportCreated = make(chan struct{})
	}
	g.Go(func() (err error) {
		if exportCreated != nil {
			select {
			case <-exportCreated:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		a.ExportJobs, err = p.jobs(ctx, "GetExportJobs", a.ID, func(ctx context.Context, tok *string, o ppOpt) error {
			_, err := p.c.GetExportJobs(ctx, &pinpoint.GetExportJobsInput{ApplicationId: id, PageSize: aws.String(PageSize), Token: tok}, o)
			return err
		})
		return err
	})
	g.Go(func() (err error) {
		a.ImportJobs, err = p.jobs(ctx, "GetImportJobs", a.ID, func(ctx context.Context, tok *string, o ppOpt) error {
			_, err := p.c.GetImportJobs(ctx, &pinpoint.GetImportJobsInput{ApplicationId: id, PageSize: aws.String(PageSize), Token: tok}, o)
			return err
		})
		return err
	})
	g.Go(func() (err error) {
		a.KPIs, err = p.kpis(ctx, "GetApplicationDateRangeKpi", a.ID, AppKPIs,
			func(ctx context.Context, name string, start, end time.Time, tok *string, o ppOpt) error {
				_, err := p.c.GetApplicationDateRangeKpi(ctx, &pinpoint.GetApplicationDateRangeKpiInput{
					ApplicationId: id, KpiName: &name, StartTime: &start, EndTime: &end, NextToken: tok}, o)
				return err
			})
		return err
	})
	if p.s3 != nil {
		g.Go(func() error { return p.exportEndpoints(ctx, a, exportCreated) })
	}
	err := g.Wait()
	p.s.progressf("%s: app %s (%s): %d segments, %d campaigns, %d journeys",
		p.region, a.ID, a.Name, len(a.Segments), len(a.Campaigns), len(a.Journeys))
	return err
}

// jobs lists import or export jobs.
func (p *pinpointScan) jobs(ctx context.Context, op, resource string, fn func(context.Context, *string, ppOpt) error) ([]inventory.Object, error) {
	items, err := p.list(ctx, op, fn)
	if err != nil {
		return nil, p.fail(ctx, op, resource, err)
	}
	return objects(items, "Id"), nil
}

// channelGet is one typed channel GET.
type channelGet struct {
	kind, op string
	get      func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error
}

// channelGets covers every channel with a GET operation. In-app and custom
// channels have none.
var channelGets = []channelGet{
	{"ADM", "GetAdmChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetAdmChannel(ctx, &pinpoint.GetAdmChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"APNS", "GetApnsChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetApnsChannel(ctx, &pinpoint.GetApnsChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"APNS_SANDBOX", "GetApnsSandboxChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetApnsSandboxChannel(ctx, &pinpoint.GetApnsSandboxChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"APNS_VOIP", "GetApnsVoipChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetApnsVoipChannel(ctx, &pinpoint.GetApnsVoipChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"APNS_VOIP_SANDBOX", "GetApnsVoipSandboxChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetApnsVoipSandboxChannel(ctx, &pinpoint.GetApnsVoipSandboxChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"BAIDU", "GetBaiduChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetBaiduChannel(ctx, &pinpoint.GetBaiduChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"EMAIL", "GetEmailChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetEmailChannel(ctx, &pinpoint.GetEmailChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"GCM", "GetGcmChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetGcmChannel(ctx, &pinpoint.GetGcmChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"SMS", "GetSmsChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetSmsChannel(ctx, &pinpoint.GetSmsChannelInput{ApplicationId: id}, o)
		return err
	}},
	{"VOICE", "GetVoiceChannel", func(c *pinpoint.Client, ctx context.Context, id *string, o ppOpt) error {
		_, err := c.GetVoiceChannel(ctx, &pinpoint.GetVoiceChannelInput{ApplicationId: id}, o)
		return err
	}},
}

func (p *pinpointScan) channels(ctx context.Context, a *inventory.App) error {
	id := aws.String(a.ID)
	const op = "GetChannels"
	body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
		_, err := p.c.GetChannels(ctx, &pinpoint.GetChannelsInput{ApplicationId: id}, o)
		return err
	})
	if err != nil {
		if err := p.fail(ctx, op, a.ID, err); err != nil {
			return err
		}
	}
	a.ChannelSummary = body
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, ch := range channelGets {
		g.Go(func() error {
			body, err := p.raw(gctx, ch.op, func(ctx context.Context, o ppOpt) error { return ch.get(p.c, ctx, id, o) })
			if err != nil {
				return p.notConfigured(gctx, ch.op, a.ID+"/"+ch.kind, err)
			}
			mu.Lock()
			if a.Channels == nil {
				a.Channels = map[string]json.RawMessage{}
			}
			a.Channels[ch.kind] = body
			mu.Unlock()
			return nil
		})
	}
	return g.Wait()
}

// sortVersions orders raw objects by their integer "Version", oldest first.
func sortVersions(vs []json.RawMessage) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, _ := strconv.Atoi(field(vs[i], "Version"))
		b, _ := strconv.Atoi(field(vs[j], "Version"))
		return a < b
	})
}

func (p *pinpointScan) segments(ctx context.Context, a *inventory.App) error {
	id := aws.String(a.ID)
	const op = "GetSegments"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.GetSegments(ctx, &pinpoint.GetSegmentsInput{ApplicationId: id, PageSize: aws.String(PageSize), Token: tok}, o)
		return err
	})
	if err != nil {
		return p.fail(ctx, op, a.ID, err)
	}
	a.Segments = make([]inventory.Segment, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		seg := &a.Segments[i]
		seg.ID, seg.Name, seg.Object = field(it, "Id"), field(it, "Name"), it
		seg.Version, _ = strconv.Atoi(field(it, "Version"))
		sid := aws.String(seg.ID)
		res := a.ID + "/segments/" + seg.ID
		g.Go(func() error {
			const op = "GetSegmentVersions"
			vs, err := p.list(gctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
				_, err := p.c.GetSegmentVersions(ctx, &pinpoint.GetSegmentVersionsInput{ApplicationId: id, SegmentId: sid, PageSize: aws.String(PageSize), Token: tok}, o)
				return err
			})
			if err != nil {
				return p.fail(gctx, op, res, err)
			}
			sortVersions(vs)
			seg.Versions = vs
			return nil
		})
		g.Go(func() (err error) {
			seg.ExportJobs, err = p.jobs(gctx, "GetSegmentExportJobs", res, func(ctx context.Context, tok *string, o ppOpt) error {
				_, err := p.c.GetSegmentExportJobs(ctx, &pinpoint.GetSegmentExportJobsInput{ApplicationId: id, SegmentId: sid, PageSize: aws.String(PageSize), Token: tok}, o)
				return err
			})
			return err
		})
		g.Go(func() (err error) {
			seg.ImportJobs, err = p.jobs(gctx, "GetSegmentImportJobs", res, func(ctx context.Context, tok *string, o ppOpt) error {
				_, err := p.c.GetSegmentImportJobs(ctx, &pinpoint.GetSegmentImportJobsInput{ApplicationId: id, SegmentId: sid, PageSize: aws.String(PageSize), Token: tok}, o)
				return err
			})
			return err
		})
	}
	return g.Wait()
}

func (p *pinpointScan) campaigns(ctx context.Context, a *inventory.App) error {
	id := aws.String(a.ID)
	const op = "GetCampaigns"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.GetCampaigns(ctx, &pinpoint.GetCampaignsInput{ApplicationId: id, PageSize: aws.String(PageSize), Token: tok}, o)
		return err
	})
	if err != nil {
		return p.fail(ctx, op, a.ID, err)
	}
	a.Campaigns = make([]inventory.Campaign, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		c := &a.Campaigns[i]
		c.ID, c.Name, c.Object = field(it, "Id"), field(it, "Name"), it
		c.Version, _ = strconv.Atoi(field(it, "Version"))
		cid := aws.String(c.ID)
		res := a.ID + "/campaigns/" + c.ID
		g.Go(func() error {
			const op = "GetCampaignVersions"
			vs, err := p.list(gctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
				_, err := p.c.GetCampaignVersions(ctx, &pinpoint.GetCampaignVersionsInput{ApplicationId: id, CampaignId: cid, PageSize: aws.String(PageSize), Token: tok}, o)
				return err
			})
			if err != nil {
				return p.fail(gctx, op, res, err)
			}
			sortVersions(vs)
			c.Versions = vs
			return nil
		})
		g.Go(func() (err error) {
			c.Activities, err = p.jobs(gctx, "GetCampaignActivities", res, func(ctx context.Context, tok *string, o ppOpt) error {
				_, err := p.c.GetCampaignActivities(ctx, &pinpoint.GetCampaignActivitiesInput{ApplicationId: id, CampaignId: cid, PageSize: aws.String(PageSize), Token: tok}, o)
				return err
			})
			return err
		})
		g.Go(func() (err error) {
			c.KPIs, err = p.kpis(gctx, "GetCampaignDateRangeKpi", res, CampaignKPIs,
				func(ctx context.Context, name string, start, end time.Time, tok *string, o ppOpt) error {
					_, err := p.c.GetCampaignDateRangeKpi(ctx, &pinpoint.GetCampaignDateRangeKpiInput{
						ApplicationId: id, CampaignId: cid, KpiName: &name, StartTime: &start, EndTime: &end, NextToken: tok}, o)
					return err
				})
			return err
		})
	}
	return g.Wait()
}

func (p *pinpointScan) journeys(ctx context.Context, a *inventory.App) error {
	id := aws.String(a.ID)
	const op = "ListJourneys"
	items, err := p.list(ctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
		_, err := p.c.ListJourneys(ctx, &pinpoint.ListJourneysInput{ApplicationId: id, PageSize: aws.String(PageSize), Token: tok}, o)
		return err
	})
	if err != nil {
		return p.fail(ctx, op, a.ID, err)
	}
	a.Journeys = make([]inventory.Journey, len(items))
	g, gctx := errgroup.WithContext(ctx)
	for i, it := range items {
		j := &a.Journeys[i]
		j.ID, j.Name, j.State, j.Object = field(it, "Id"), field(it, "Name"), field(it, "State"), it
		g.Go(func() error { return p.journey(gctx, a.ID, j) })
	}
	return g.Wait()
}

func (p *pinpointScan) journey(ctx context.Context, appID string, j *inventory.Journey) error {
	id, jid := aws.String(appID), aws.String(j.ID)
	res := appID + "/journeys/" + j.ID
	// The list item should be complete, but GetJourney is the documented
	// source of a journey's definition.
	const op = "GetJourney"
	body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
		_, err := p.c.GetJourney(ctx, &pinpoint.GetJourneyInput{ApplicationId: id, JourneyId: jid}, o)
		return err
	})
	if err != nil {
		if err := p.fail(ctx, op, res, err); err != nil {
			return err
		}
	} else {
		j.Object = body
		j.State = field(body, "State")
	}
	var act struct{ Activities map[string]json.RawMessage }
	_ = json.Unmarshal(j.Object, &act)

	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		const op = "GetJourneyRuns"
		items, err := p.list(gctx, op, func(ctx context.Context, tok *string, o ppOpt) error {
			_, err := p.c.GetJourneyRuns(ctx, &pinpoint.GetJourneyRunsInput{ApplicationId: id, JourneyId: jid, PageSize: aws.String(PageSize), Token: tok}, o)
			return err
		})
		if err != nil {
			return p.fail(gctx, op, res, err)
		}
		j.Runs = objects(items, "RunId")
		// Per-run metrics; per-run per-activity metrics are left out (runs
		// times activities calls for little migration value).
		rg, rctx := errgroup.WithContext(gctx)
		for _, r := range j.Runs {
			if r.ID == "" {
				continue
			}
			rg.Go(func() error {
				const op = "GetJourneyRunExecutionMetrics"
				body, err := p.raw(rctx, op, func(ctx context.Context, o ppOpt) error {
					_, err := p.c.GetJourneyRunExecutionMetrics(ctx, &pinpoint.GetJourneyRunExecutionMetricsInput{ApplicationId: id, JourneyId: jid, RunId: aws.String(r.ID)}, o)
					return err
				})
				if err != nil {
					return p.fail(rctx, op, res+"/runs/"+r.ID, err)
				}
				mu.Lock()
				if j.RunMetrics == nil {
					j.RunMetrics = map[string]json.RawMessage{}
				}
				j.RunMetrics[r.ID] = body
				mu.Unlock()
				return nil
			})
		}
		return rg.Wait()
	})
	g.Go(func() error {
		const op = "GetJourneyExecutionMetrics"
		body, err := p.raw(gctx, op, func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetJourneyExecutionMetrics(ctx, &pinpoint.GetJourneyExecutionMetricsInput{ApplicationId: id, JourneyId: jid}, o)
			return err
		})
		if err != nil {
			return p.fail(gctx, op, res, err)
		}
		j.ExecutionMetrics = body
		return nil
	})
	for actID := range act.Activities {
		g.Go(func() error {
			const op = "GetJourneyExecutionActivityMetrics"
			body, err := p.raw(gctx, op, func(ctx context.Context, o ppOpt) error {
				_, err := p.c.GetJourneyExecutionActivityMetrics(ctx, &pinpoint.GetJourneyExecutionActivityMetricsInput{
					ApplicationId: id, JourneyId: jid, JourneyActivityId: aws.String(actID)}, o)
				return err
			})
			if err != nil {
				return p.fail(gctx, op, res+"/activities/"+actID, err)
			}
			mu.Lock()
			if j.ActivityMetrics == nil {
				j.ActivityMetrics = map[string]json.RawMessage{}
			}
			j.ActivityMetrics[actID] = body
			mu.Unlock()
			return nil
		})
	}
	g.Go(func() (err error) {
		j.KPIs, err = p.kpis(gctx, "GetJourneyDateRangeKpi", res, JourneyKPIs,
			func(ctx context.Context, name string, start, end time.Time, tok *string, o ppOpt) error {
				_, err := p.c.GetJourneyDateRangeKpi(ctx, &pinpoint.GetJourneyDateRangeKpiInput{
					ApplicationId: id, JourneyId: jid, KpiName: &name, StartTime: &start, EndTime: &end, NextToken: tok}, o)
				return err
			})
		return err
	})
	return g.Wait()
}

// kpiWindows splits the look-back into ranges the KPI APIs accept, oldest
// first. The end is truncated to the hour so that scans close in time ask
// the same questions.
func kpiWindows(now time.Time, days int) [][2]time.Time {
	end := now.UTC().Truncate(time.Hour)
	start := end.Add(-time.Duration(days) * 24 * time.Hour)
	var out [][2]time.Time
	for t := start; t.Before(end); t = t.Add(kpiWindow) {
		e := t.Add(kpiWindow)
		if e.After(end) {
			e = end
		}
		out = append(out, [2]time.Time{t, e})
	}
	return out
}

// kpis reads each named KPI over the look-back windows.
func (p *pinpointScan) kpis(ctx context.Context, op, resource string, names []string,
	fn func(ctx context.Context, name string, start, end time.Time, tok *string, o ppOpt) error,
) ([]inventory.KPI, error) {
	if p.s.opts.KPIDays < 0 {
		return nil, nil
	}
	var out []inventory.KPI
	for _, name := range names {
		skipOp := op + "/" + name
		if p.s.skipped(p.region, svcPinpoint, skipOp) {
			continue
		}
	windows:
		for _, w := range kpiWindows(p.s.now, p.s.opts.KPIDays) {
			k := inventory.KPI{Name: name, Start: w[0], End: w[1]}
			var tok *string
			for {
				body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error { return fn(ctx, name, w[0], w[1], tok, o) })
				if err != nil {
					if cls, code, msg := classify(err); cls == errBadRequest || cls == errNotFound {
						// An unknown KPI name: say so once per region and stop asking.
						p.s.markSkip(p.region, svcPinpoint, skipOp)
						p.s.fact(inventory.Fact{Region: p.region, Service: svcPinpoint, Operation: op, Kind: inventory.FactUnavailable, Resource: "kpi/" + name, Code: code, Message: msg})
						break windows
					}
					if err := p.fail(ctx, op, resource+"/kpis/"+name, err); err != nil {
						return out, err
					}
					break windows
				}
				k.Pages = append(k.Pages, body)
				next := field(body, "NextToken")
				if next == "" || (tok != nil && *tok == next) {
					break
				}
				tok = aws.String(next)
			}
			out = append(out, k)
		}
	}
	return out, nil
}
