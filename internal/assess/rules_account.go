package assess

import (
	"fmt"
	"strings"

	"github.com/p2c/p2c/internal/inventory"
)

// Target prerequisites: one account workload per region. Each rule fires
// only when the region's inventory needs the prerequisite (no email, no SES
// finding), because a checklist of things nobody needs buries the ones
// that take weeks (number registrations, quota increases).

// Quotas of the target (connect-target.md 3.13, 4.7).
const (
	acctActiveCampaigns   = 50  // active campaigns per Connect instance
	acctTotalCampaigns    = 500 // campaigns per Connect instance
	acctCalculatedAttrs   = 50  // calculated attributes per domain, not adjustable
	acctEventTriggers     = 50  // event triggers per domain
	acctSegmentDefsReview = 100 // segment definitions per domain: quota not published, check above this
)

// acctUse is what the engagement resources of a scope (an app or a whole
// region) use on the target.
type acctUse struct {
	Campaigns, Journeys, Segments int
	Active                        int // running campaigns and ACTIVE/PAUSED journeys
	Email, SMS, Push              bool
	ContactCenter                 int // journey activities placing calls
	EventSources                  int // EVENT campaigns and event-started journeys
	Endpoints                     bool
	// CalcAttrs are the distinct recency windows and metric names segments
	// and journey splits test: each needs a calculated attribute.
	CalcAttrs map[string]bool
	// Channels lists the enabled channel types.
	Channels map[string]bool
}

// acctCampaignUses marks the channels a campaign (or treatment) sends on.
func acctCampaignUses(u *acctUse, m map[string]any) {
	if m == nil {
		return
	}
	if Has(m, "MessageConfiguration.EmailMessage") || Has(m, "TemplateConfiguration.EmailTemplate") {
		u.Email = true
	}
	if Has(m, "MessageConfiguration.SMSMessage") || Has(m, "TemplateConfiguration.SMSTemplate") {
		u.SMS = true
	}
	for _, k := range []string{"APNSMessage", "GCMMessage", "BaiduMessage", "ADMMessage", "DefaultMessage"} {
		if Has(m, "MessageConfiguration."+k) {
			u.Push = true
		}
	}
	if Has(m, "TemplateConfiguration.PushTemplate") {
		u.Push = true
	}
}

// acctDims records the calculated attributes a SegmentDimensions needs.
func acctDims(u *acctUse, d map[string]any) {
	if d == nil {
		return
	}
	if r := Obj(d, "Behavior.Recency"); r != nil {
		u.CalcAttrs["recency:"+Str(r, "Duration")] = true
	}
	for name := range Obj(d, "Metrics") {
		u.CalcAttrs["metric:"+name] = true
	}
}

// acctUsage adds one app to u.
func acctUsage(u *acctUse, app *inventory.App) {
	if u.CalcAttrs == nil {
		u.CalcAttrs, u.Channels = map[string]bool{}, map[string]bool{}
	}
	u.Campaigns += len(app.Campaigns)
	u.Journeys += len(app.Journeys)
	u.Segments += len(app.Segments)
	if app.EndpointStats != nil {
		u.Endpoints = true
	}
	for typ, raw := range app.Channels {
		if m := decode(raw); m != nil && Str(m, "Enabled") != "false" {
			u.Channels[typ] = true
		}
	}
	for _, sg := range app.Segments {
		m := decode(sg.Object)
		acctDims(u, Obj(m, "Dimensions"))
		for _, g := range List(m, "SegmentGroups.Groups") {
			gm, _ := g.(map[string]any)
			for _, d := range List(gm, "Dimensions") {
				dm, _ := d.(map[string]any)
				acctDims(u, dm)
			}
		}
	}
	for _, c := range app.Campaigns {
		m := decode(c.Object)
		acctCampaignUses(u, m)
		for _, t := range List(m, "AdditionalTreatments") {
			tm, _ := t.(map[string]any)
			acctCampaignUses(u, tm)
		}
		switch Str(m, "State.CampaignStatus") {
		case "COMPLETED", "DELETED", "INVALID", "PAUSED":
		default:
			u.Active++
		}
		if Str(m, "Schedule.Frequency") == "EVENT" {
			u.EventSources++
		}
	}
	for _, j := range app.Journeys {
		m := decode(j.Object)
		switch Str(m, "State") {
		case "ACTIVE", "PAUSED":
			u.Active++
		}
		if Has(m, "StartCondition.EventStartCondition") {
			u.EventSources++
		}
		for _, a := range jrnActivities(m) {
			switch a.Type {
			case "EMAIL":
				u.Email = true
			case "SMS":
				u.SMS = true
			case "PUSH":
				u.Push = true
			case "ContactCenter":
				u.ContactCenter++
			}
		}
		for _, c := range jrnConditions(m) {
			acctDims(u, Obj(c.Cond, "segmentDimensions"))
		}
	}
}

// acctRegion sums the usage of every app of the subject's region.
func acctRegion(s *Subject) acctUse {
	u := acctUse{CalcAttrs: map[string]bool{}, Channels: map[string]bool{}}
	if s.Region == nil {
		return u
	}
	for i := range s.Region.Apps {
		acctUsage(&u, &s.Region.Apps[i])
	}
	return u
}

// acctPerApp returns the largest per-app count and the region total of a
// measure, with the app holding the largest.
func acctPerApp(s *Subject, measure func(u acctUse) int) (max int, maxApp string, total int) {
	if s.Region == nil {
		return 0, "", 0
	}
	all := acctUse{CalcAttrs: map[string]bool{}, Channels: map[string]bool{}}
	for i := range s.Region.Apps {
		app := &s.Region.Apps[i]
		var u acctUse
		acctUsage(&u, app)
		acctUsage(&all, app)
		if n := measure(u); n > max {
			max, maxApp = n, app.Name
			if maxApp == "" {
				maxApp = app.ID
			}
		}
	}
	return max, maxApp, measure(all)
}

// acctQuotaHit builds a per-domain quota finding: certain when one app
// exceeds the quota, conditional when only the region's apps together do.
// limit says what quota is exceeded ("the quota of 50").
func acctQuotaHit(s *Subject, quota int, limit, what string, measure func(u acctUse) int) (Hit, bool) {
	max, app, total := acctPerApp(s, measure)
	switch {
	case max > quota:
		return Hit{Message: fmt.Sprintf("App %s alone needs %d %s in its Customer Profiles domain, more than %s.", app, max, what, limit)}, true
	case total > quota && len(s.Region.Apps) > 1:
		return Hit{Message: fmt.Sprintf("The region's apps together need %d %s, more than %s if they share one Customer Profiles domain.", total, what, limit)}, true
	}
	return Hit{}, false
}

func acctEngagement(u acctUse) bool { return u.Campaigns+u.Journeys+u.Segments > 0 }

func acctCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// acctEUMNumbers counts the region's End User Messaging phone numbers.
func acctEUMNumbers(s *Subject) int {
	if s.Region == nil {
		return 0
	}
	return len(s.Region.EUM.PhoneNumbers)
}

func init() {
	register(
		&Rule{
			ID: "PRQ-CONNECT-INSTANCE", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Connect instance with outbound campaigns",
			Doc: "Campaigns, journeys and segments need an Amazon Connect instance in the region with outbound campaigns enabled " +
				"(instance onboarding for campaigns). Fires when the region has any of them.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !acctEngagement(u) {
					return nil
				}
				var parts []string
				for _, p := range []struct {
					n         int
					one, many string
				}{{u.Campaigns, "campaign", "campaigns"}, {u.Journeys, "journey", "journeys"}, {u.Segments, "segment", "segments"}} {
					if p.n > 0 {
						parts = append(parts, acctCount(p.n, p.one, p.many))
					}
				}
				verb := "need"
				if u.Campaigns+u.Journeys+u.Segments == 1 {
					verb = "needs"
				}
				return []Hit{{Field: "campaigns, journeys, segments",
					Message: fmt.Sprintf("The region's %s %s an Amazon Connect instance with outbound campaigns enabled in %s.", strings.Join(parts, ", "), verb, s.Workload.Region),
					Action:  "Create or choose the Connect instance for " + s.Workload.Region + " and enable outbound campaigns on it.",
					Where:   "Amazon Connect console: Instances > instance > Outbound campaigns"}}
			},
		},
		&Rule{
			ID: "PRQ-PROFILES-DOMAIN", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Customer Profiles domain on the instance",
			Doc: "Profiles, segment definitions and campaign sources live in a Customer Profiles domain that must be enabled on the " +
				"Connect instance. The association has no API: it is done in the console.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !acctEngagement(u) && !u.Endpoints {
					return nil
				}
				return []Hit{{Field: "apps",
					Message: fmt.Sprintf("Profiles, segments and campaign sources of the region's %s need a Customer Profiles domain enabled on the Connect instance, which only the console can do.", acctCount(len(s.Region.Apps), "app", "apps")),
					Action:  "Enable Customer Profiles on the Connect instance and pick or create the domain (decide one domain per app or one shared).",
					Where:   "Amazon Connect console: instance > Customer profiles"}}
			},
		},
		&Rule{
			ID: "PRQ-MESSAGE-TEMPLATES-KB", Kind: KindAccount, Class: Trans,
			Title: "Message templates knowledge base",
			Doc: "Connect message templates live in a Q in Connect knowledge base of type MESSAGE_TEMPLATES associated to the " +
				"instance (Q_MESSAGE_TEMPLATES integration and the campaigns qConnect integration). p2c creates and associates it " +
				"by API when email or SMS campaigns or journeys exist.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !u.Email && !u.SMS {
					return nil
				}
				return []Hit{{Field: "TemplateConfiguration",
					Message: "Email and SMS campaigns and journeys in " + s.Workload.Region + " need a MESSAGE_TEMPLATES knowledge base associated to the Connect instance; p2c creates it.",
					Where:   "Amazon Connect console: instance > Message templates"}}
			},
		},
		&Rule{
			ID: "PRQ-NUMBER-IMPORT", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Phone numbers registered and imported into Connect",
			Doc: "SMS campaigns and journeys and contact center calls send from a Connect phone number: an End User Messaging number " +
				"that is registered (10DLC, toll-free, short code or sender registration: days to months) and imported into the " +
				"instance (ImportPhoneNumber, same region).",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !u.SMS && u.ContactCenter == 0 {
					return nil
				}
				n := acctEUMNumbers(s)
				have := fmt.Sprintf("the inventory holds %s in End User Messaging", acctCount(n, "phone number", "phone numbers"))
				if n == 0 {
					have = "the inventory holds no End User Messaging phone number, so one must be requested first"
				}
				return []Hit{{Field: "SMS, ContactCenter",
					Message: fmt.Sprintf("SMS or call steps in %s need a registered phone number imported into Connect; %s.", s.Workload.Region, have),
					Action:  "Complete the number's registration in End User Messaging, then import it into the Connect instance.",
					Where:   "End User Messaging SMS console: Registrations; Amazon Connect admin website: Phone numbers > Import"}}
			},
		},
		&Rule{
			ID: "PRQ-SES-PRODUCTION", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "SES identity verified and out of the sandbox",
			Doc: "Email sent by Connect campaigns or by SES needs a verified SES identity (DKIM DNS records) and production access " +
				"(leaving the SES sandbox is a review request per region) in the target account.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !u.Email && !u.Channels["EMAIL"] {
					return nil
				}
				return []Hit{{Field: "EMAIL",
					Message: "Email in " + s.Workload.Region + " needs a verified SES identity and SES production access in the target account and region.",
					Action:  "Verify the sending domain in SES (DKIM records) and request production access for " + s.Workload.Region + ".",
					Where:   "SES console: Identities; Account dashboard > Request production access"}}
			},
		},
		&Rule{
			ID: "PRQ-SMS-SPEND", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "SMS sandbox and spending limit",
			Doc: "New End User Messaging SMS accounts are in a sandbox with a USD 1 monthly spend limit and only verified destinations; " +
				"production access and a higher spend limit are Support cases per region.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if !u.SMS && !u.Channels["SMS"] {
					return nil
				}
				return []Hit{{Field: "SMS",
					Message: "SMS in " + s.Workload.Region + " needs the target account out of the End User Messaging SMS sandbox with a spend limit that covers the volume.",
					Action:  "Open Support cases for SMS production access and a monthly spend limit increase in " + s.Workload.Region + ".",
					Where:   "AWS Support case: Service limit increase, AWS End User Messaging SMS"}}
			},
		},
		&Rule{
			ID: "PRQ-CALL-QUOTA", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Campaign call quota defaults to 0",
			Doc: "Telephony campaigns cannot place a call until the quota \"Concurrent campaign active calls per instance\" is raised " +
				"from its default of 0. Fires for contact center journey activities and enabled voice channels.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if u.ContactCenter == 0 && !u.Channels["VOICE"] {
					return nil
				}
				return []Hit{{Field: "ContactCenter, VOICE",
					Message: "Calls in " + s.Workload.Region + " need the quota \"Concurrent campaign active calls per instance\", which is 0 until raised.",
					Action:  "Request an increase of \"Concurrent campaign active calls per instance\" for the Connect instance.",
					Where:   "Service Quotas console: Amazon Connect (or an AWS Support case)"}}
			},
		},
		&Rule{
			ID: "PRQ-CAMPAIGN-COUNT", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Campaigns per instance",
			Doc: "A Connect instance runs at most 50 active campaigns and holds at most 500. Fires when the region's running campaigns " +
				"and active journeys, or all of them, would exceed those quotas.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				var hits []Hit
				if u.Active > acctActiveCampaigns {
					hits = append(hits, Hit{Field: "State", Detail: "active",
						Message: fmt.Sprintf("%d campaigns and journeys run in %s, over the quota of %d active campaigns per Connect instance.", u.Active, s.Workload.Region, acctActiveCampaigns),
						Action:  "Request an increase of \"Active campaigns per instance\", or retire finished campaigns before migrating.",
						Where:   "Service Quotas console: Amazon Connect"})
				}
				if n := u.Campaigns + u.Journeys; n > acctTotalCampaigns {
					hits = append(hits, Hit{Field: "campaigns, journeys", Detail: "total",
						Message: fmt.Sprintf("%s holds %d campaigns and journeys, over the quota of %d campaigns per Connect instance.", s.Workload.Region, n, acctTotalCampaigns),
						Action:  "Request an increase of \"Campaigns per instance\", or migrate only the campaigns that still run.",
						Where:   "Service Quotas console: Amazon Connect"})
				}
				return hits
			},
		},
		&Rule{
			ID: "PRQ-EVENT-PREAUTH", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Event-driven campaigns need pre-authorization",
			Doc: "Event-triggered outbound campaigns (event-driven mass notifications) need an AWS Support pre-authorization. " +
				"Fires when EVENT campaigns or event-started journeys exist.",
			Check: func(s *Subject) []Hit {
				u := acctRegion(s)
				if u.EventSources == 0 {
					return nil
				}
				return []Hit{{Field: "Schedule.Frequency, StartCondition.EventStartCondition",
					Message: fmt.Sprintf("The region's event-triggered campaigns and journeys (%d) need an AWS Support pre-authorization before Connect runs them.", u.EventSources),
					Action:  "Open an AWS Support case to pre-authorize event-triggered outbound campaigns on the instance.",
					Where:   "AWS Support case: Amazon Connect outbound campaigns"}}
			},
		},
		&Rule{
			ID: "PRQ-EVENT-TRIGGERS", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Event triggers per domain",
			Doc:   "Each EVENT campaign or event-started journey needs a Customer Profiles event trigger; a domain holds 50 by default.",
			Check: func(s *Subject) []Hit {
				h, ok := acctQuotaHit(s, acctEventTriggers, fmt.Sprintf("the quota of %d", acctEventTriggers), "event triggers", func(u acctUse) int { return u.EventSources })
				if !ok {
					return nil
				}
				h.Field, h.Action, h.Where = "Schedule.Frequency", "Request an increase of \"Event triggers per domain\" for Customer Profiles.", "Service Quotas console: Amazon Connect Customer Profiles"
				return []Hit{h}
			},
		},
		&Rule{
			ID: "PRQ-CALCULATED-ATTRIBUTES", Kind: KindAccount, Class: Redesign, Phase: "prerequisites",
			Title: "Calculated attributes per domain",
			Doc: "Recency and metrics dimensions become Customer Profiles calculated attributes (one per recency window and per " +
				"metric); a domain holds at most 50 and the quota cannot be raised.",
			Check: func(s *Subject) []Hit {
				h, ok := acctQuotaHit(s, acctCalculatedAttrs, fmt.Sprintf("the fixed quota of %d", acctCalculatedAttrs), "calculated attributes for recency and metrics dimensions", func(u acctUse) int { return len(u.CalcAttrs) })
				if !ok {
					return nil
				}
				h.Field = "Dimensions.Behavior.Recency, Dimensions.Metrics"
				h.Action = "Decide which metrics to drop or precompute into plain profile attributes, or split the apps over several domains; the quota is fixed."
				return []Hit{h}
			},
		},
		&Rule{
			ID: "PRQ-SEGMENT-DEFINITIONS", Kind: KindAccount, Class: Manual, Phase: "prerequisites",
			Title: "Segment definitions per domain",
			Doc: "Every segment becomes a segment definition. The per-domain quota is not published; above 100 segments in one " +
				"domain p2c asks for a check before the build.",
			Check: func(s *Subject) []Hit {
				h, ok := acctQuotaHit(s, acctSegmentDefsReview, fmt.Sprintf("%d, above which the unpublished quota must be checked", acctSegmentDefsReview), "segment definitions", func(u acctUse) int { return u.Segments })
				if !ok {
					return nil
				}
				h.Field = "segments"
				h.Action = "Check the \"Segment definitions per domain\" quota of Customer Profiles and request an increase if needed."
				h.Where = "Service Quotas console: Amazon Connect Customer Profiles"
				return []Hit{h}
			},
		},
	)
}
