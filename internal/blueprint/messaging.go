package blueprint

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"

	"github.com/p2c/p2c/internal/assess"
	"github.com/p2c/p2c/internal/inventory"
)

// Stage 90: SES configuration sets and event destinations, and End User
// Messaging event destinations replacing the Pinpoint event stream
// (connect-target.md 7.1, 8). Stage 100: EUM phone numbers imported into
// Connect and Connect email addresses (6.2, 6.3). Originators (numbers,
// sender IDs, pools, opt-out lists, registrations) are only ever read:
// an event destination is the one thing added to an existing EUM
// configuration set.

// Step kinds of these stages.
const (
	KindSESConfigurationSet = "ses-configuration-set"
	KindSESEventDestination = "ses-event-destination"
	KindEUMConfigurationSet = "eum-configuration-set"
	KindEUMEventDestination = "eum-event-destination"
	KindPhoneNumberImport   = "phone-number-import"
	KindEmailAddress        = "email-address"
)

// msgSESEventTypes are every SES event type: the Pinpoint event stream
// carried all email events.
var msgSESEventTypes = []string{"SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"}

// msgNumbersPerInstance is Connect's default "phone numbers per instance"
// quota; p2c suggests importing at most that many.
const msgNumbersPerInstance = 5

func init() {
	registerStage(Stage{Name: "destinations", Order: 90, Build: buildDestinations})
	registerStage(Stage{Name: "originations", Order: 100, Build: buildOriginations})
}

// msgStream is where one app's events go after the migration.
type msgStream struct {
	app          *inventory.App
	source       string // the Pinpoint stream ARN
	dest, role   string // value or placeholder
	sns          bool   // dest is an SNS topic
	waits        []string
	findings     []string
	transformLog []string
}

func buildDestinations(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		apps := msgApps(r)
		var streamApps []*msgStream
		for _, app := range apps {
			st := msgEventStream(b, r.Name, app)
			if ch := profDecode(app.Channels["EMAIL"]); ch != nil && assess.Str(ch, "Enabled") != "false" {
				msgSES(b, r.Name, app, ch, st)
			}
			if st != nil && (msgEnabled(app, "SMS") || msgEnabled(app, "VOICE")) {
				streamApps = append(streamApps, st)
			}
		}
		msgEUM(b, r, streamApps)
	}
	return nil
}

// msgApps returns a region's apps by id.
func msgApps(r *inventory.Region) []*inventory.App {
	out := make([]*inventory.App, 0, len(r.Apps))
	for i := range r.Apps {
		out = append(out, &r.Apps[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func msgEnabled(app *inventory.App, typ string) bool {
	ch := profDecode(app.Channels[typ])
	return ch != nil && assess.Str(ch, "Enabled") != "false"
}

// msgEventStream resolves where an app's event stream goes after the
// migration, asking when the Pinpoint stream cannot be a destination
// (Kinesis data streams) and for the role SES and EUM assume. nil when the
// app has no event stream.
func msgEventStream(b *Builder, region string, app *inventory.App) *msgStream {
	es := profDecode(app.EventStream)
	if es == nil {
		return nil
	}
	arn := assess.Str(es, "DestinationStreamArn")
	st := &msgStream{app: app, source: arn}
	st.findings = profFindingIDs(b, assess.WorkloadID(region, app.ID, assess.KindEventStream, "eventstream"), "EVS-CONSUMERS", "EVS-SCHEMA", "EVS-FIREHOSE")
	if strings.Contains(arn, ":deliverystream/") {
		st.dest = arn
		st.transformLog = append(st.transformLog, "Writes to the Firehose delivery stream the Pinpoint event stream wrote to; the records are in the new service's event format, not Pinpoint's (EVS-SCHEMA).")
	} else {
		key := region + ".event-destination." + app.ID
		b.Ask(Question{Key: key, Kind: KindARN,
			Context: fmt.Sprintf("App %s streams its events to %s, a Kinesis data stream. SES and End User Messaging event destinations cannot write to a Kinesis data stream: "+
				"give a Firehose delivery stream ARN (it can deliver where the stream's consumers read) or an SNS topic ARN for its email, SMS and voice events.", profAppLabel(app), arn),
			Why: "p2c cannot create the stream or its consumers; a Firehose delivery stream is the closest replacement."})
		st.dest, st.waits = profDecisionValue(b, key)
		st.transformLog = append(st.transformLog, "The Pinpoint event stream wrote to a Kinesis data stream, which SES and End User Messaging cannot write to: events go to the destination decided in "+key+".")
	}
	st.sns = strings.Contains(st.dest, ":sns:")
	if !st.sns {
		key := region + ".event-role." + app.ID
		b.Ask(Question{Key: key, Kind: KindARN, Suggested: assess.Str(es, "RoleArn"),
			Context: fmt.Sprintf("The IAM role SES and End User Messaging assume to write app %s's events to Firehose.", profAppLabel(app)),
			Why:     "The role the Pinpoint event stream used already may write to the stream; its trust policy must also allow ses.amazonaws.com and sms-voice.amazonaws.com."})
		var w []string
		st.role, w = profDecisionValue(b, key)
		st.waits = append(st.waits, w...)
	}
	return st
}

// msgDestination is the destination member of an event destination.
func msgDestination(st *msgStream) (string, map[string]any) {
	if st.sns {
		return "SnsDestination", map[string]any{"TopicArn": st.dest}
	}
	return "KinesisFirehoseDestination", map[string]any{"IamRoleArn": st.role, "DeliveryStreamArn": st.dest}
}

// msgEventDestinationName names the destination p2c adds for an app.
func msgEventDestinationName(app *inventory.App) string {
	return profSafeName("p2c-events-"+app.ID, 64)
}

// msgSES plans the SES side of an enabled email channel: its
// configuration set (kept when it names one) and, when the app had an
// event stream, the event destination that carries email events.
func msgSES(b *Builder, region string, app *inventory.App, ch map[string]any, st *msgStream) {
	chWorkload := assess.WorkloadID(region, app.ID, assess.KindChannel, "EMAIL")
	src := Source{Kind: inventory.KindChannel, Region: region, App: app.ID, ID: "EMAIL"}
	cs := assess.Str(ch, "ConfigurationSet")
	var csID string
	switch {
	case cs != "":
		csID = StepID(KindSESConfigurationSet, region, "", cs)
		if prev := b.Step(csID); prev != nil {
			// Another app sends through the same set.
			prev.Sources = append(prev.Sources, src)
			break
		}
		b.Add(Step{ID: csID, Region: region, Kind: KindSESConfigurationSet, Name: cs, Action: NoOp,
			Service: "sesv2", Operation: "GetConfigurationSet", Spec: Spec(map[string]any{"ConfigurationSetName": cs}),
			Sources: []Source{src}, Findings: profFindingIDs(b, chWorkload, "CHN-EMAIL-CONFIG-SET"),
			Transformations: []string{"The email channel already sends through this SES configuration set; SES sending keeps it unchanged (p2c confirms it exists)."},
			Rollback:        Rollback{Policy: RollbackRetain, Reason: "the configuration set existed before the migration and SES sending depends on it"}})
	case st != nil:
		// Without a set, email events have nowhere to go once the
		// Pinpoint event stream stops.
		cs = profSafeName("p2c-"+profAppSlug(app), 64)
		csID = StepID(KindSESConfigurationSet, region, app.ID, cs)
		b.Add(Step{ID: csID, Region: region, App: app.ID, AppName: app.Name, Kind: KindSESConfigurationSet, Name: cs,
			Service: "sesv2", Operation: "CreateConfigurationSet",
			Spec:    Spec(map[string]any{"ConfigurationSetName": cs, "Tags": []any{map[string]string{"Key": "p2c:source", "Value": "pinpoint"}}}),
			Sources: []Source{src},
			Transformations: []string{"The email channel named no configuration set; p2c creates one to carry the email events the Pinpoint event stream carried. " +
				"SES applies it to sends that name it; p2c does not change the identity's default configuration set."}})
	default:
		return
	}
	if st == nil {
		return
	}
	member, dest := msgDestination(st)
	name := msgEventDestinationName(app)
	b.Add(Step{ID: StepID(KindSESEventDestination, region, app.ID, cs), Region: region, App: app.ID, AppName: app.Name,
		Kind: KindSESEventDestination, Name: name, Service: "sesv2", Operation: "CreateConfigurationSetEventDestination",
		Spec: Spec(map[string]any{"ConfigurationSetName": cs, "EventDestinationName": name,
			"EventDestination": map[string]any{"Enabled": true, "MatchingEventTypes": msgSESEventTypes, member: dest}}),
		DependsOn: []string{csID},
		Sources:   []Source{src, {Kind: inventory.KindEventStream, Region: region, App: app.ID, ID: st.source}},
		Findings:  st.findings, WaitsOn: st.waits,
		Transformations: append([]string{"Replaces the Pinpoint event stream for email events: every SES event type goes to the destination."}, st.transformLog...)})
}

// msgEUM plans End User Messaging event destinations for the SMS and
// voice events the apps' event streams carried. A configuration set does
// not say which app sends through it, so with several such apps a person
// picks one per set.
func msgEUM(b *Builder, r *inventory.Region, streams []*msgStream) {
	if len(streams) == 0 {
		return
	}
	region := r.Name
	byApp := map[string]*msgStream{}
	var ids []string
	for _, st := range streams {
		byApp[st.app.ID] = st
		ids = append(ids, st.app.ID)
	}
	if len(r.EUM.ConfigurationSets) == 0 {
		// Nothing to attach to: one set per app, used by senders that name it.
		for _, st := range streams {
			cs := profSafeName("p2c-"+profAppSlug(st.app), 64)
			csID := StepID(KindEUMConfigurationSet, region, st.app.ID, cs)
			b.Add(Step{ID: csID, Region: region, App: st.app.ID, AppName: st.app.Name, Kind: KindEUMConfigurationSet, Name: cs,
				Service: "pinpoint-sms-voice-v2", Operation: "CreateConfigurationSet",
				Spec:    Spec(map[string]any{"ConfigurationSetName": cs, "Tags": []any{map[string]string{"Key": "p2c:source", "Value": "pinpoint"}}}),
				Sources: []Source{{Kind: inventory.KindEventStream, Region: region, App: st.app.ID, ID: st.source}},
				Transformations: []string{"The region has no End User Messaging configuration set; p2c creates one to carry the SMS and voice events the Pinpoint event stream carried. " +
					"Messages carry events only when their sender names the set."}})
			msgEUMDestination(b, region, cs, csID, st, nil)
		}
		return
	}
	sets := append([]inventory.Object(nil), r.EUM.ConfigurationSets...)
	sort.Slice(sets, func(i, j int) bool { return sets[i].ID < sets[j].ID })
	for _, set := range sets {
		st := streams[0]
		var waits []string
		if len(streams) > 1 {
			key := region + ".eum-event-app." + set.ID
			ans := b.Ask(Question{Key: key, Kind: KindChoice, Choices: append(append([]string(nil), ids...), "none"), Suggested: ids[0],
				Context: fmt.Sprintf("Several apps in %s streamed SMS and voice events (%s). End User Messaging configuration set %s does not say which app's messages use it: "+
					"pick the app whose event destination it gets, or none.", region, strings.Join(ids, ", "), set.ID),
				Why: "The first app by id; check which sender passes this configuration set."})
			if ans == "none" {
				continue
			}
			if byApp[ans] != nil {
				st = byApp[ans]
			} else {
				waits = []string{key}
			}
		}
		obj := profDecode(set.Object)
		member, dest := msgDestination(st)
		if msgHasDestination(obj, member, dest) {
			continue // already delivers there
		}
		msgEUMDestination(b, region, set.ID, "", st, waits)
	}
}

// msgHasDestination reports whether a configuration set already has an
// event destination writing to the same place.
func msgHasDestination(set map[string]any, member string, dest map[string]any) bool {
	want, _ := dest["DeliveryStreamArn"].(string)
	if member == "SnsDestination" {
		want, _ = dest["TopicArn"].(string)
	}
	for _, d := range assess.List(set, "EventDestinations") {
		dm, _ := d.(map[string]any)
		if assess.Str(dm, member+".DeliveryStreamArn") == want || assess.Str(dm, member+".TopicArn") == want {
			return true
		}
	}
	return false
}

func msgEUMDestination(b *Builder, region, cs, csStep string, st *msgStream, waits []string) {
	member, dest := msgDestination(st)
	name := msgEventDestinationName(st.app)
	s := Step{ID: StepID(KindEUMEventDestination, region, st.app.ID, cs), Region: region, App: st.app.ID, AppName: st.app.Name,
		Kind: KindEUMEventDestination, Name: name, Service: "pinpoint-sms-voice-v2", Operation: "CreateEventDestination",
		Spec: Spec(map[string]any{"ConfigurationSetName": cs, "EventDestinationName": name, "MatchingEventTypes": []string{"ALL"}, member: dest}),
		Sources: []Source{{Kind: "eum-configuration-set", Region: region, ID: cs},
			{Kind: inventory.KindEventStream, Region: region, App: st.app.ID, ID: st.source}},
		Findings: st.findings, WaitsOn: append(append([]string(nil), st.waits...), waits...),
		Transformations: append([]string{"Replaces the Pinpoint event stream for SMS and voice events; only an event destination is added, the configuration set's " +
			"default sender, message type and protect configuration stay unchanged."}, st.transformLog...)}
	if csStep != "" {
		s.DependsOn = []string{csStep}
	}
	b.Add(s)
}

func buildOriginations(b *Builder) error {
	for _, r := range sortedRegions(b.In.Inventory) {
		apps := profApps(r)
		if len(apps) == 0 {
			continue
		}
		perApp := b.targets[r.Name+"/"+apps[0].ID] != nil
		msgNumbers(b, r, apps, perApp)
		if perApp {
			for _, app := range apps {
				msgEmailAddress(b, r.Name, []*inventory.App{app}, app.ID)
			}
		} else {
			msgEmailAddress(b, r.Name, apps, "")
		}
	}
	return nil
}

// msgNumbers asks, per End User Messaging number that can send SMS or
// place calls, whether Connect imports it, when the region's campaigns or
// journeys send SMS or place calls (PRQ-NUMBER-IMPORT).
func msgNumbers(b *Builder, r *inventory.Region, apps []*inventory.App, perApp bool) {
	region := r.Name
	account := assess.WorkloadID(region, "", assess.KindAccount, "target")
	prq := profFindingIDs(b, account, "PRQ-NUMBER-IMPORT")
	if len(prq) == 0 {
		return
	}
	for _, a := range apps {
		prq = append(prq, profFindingIDs(b, assess.WorkloadID(region, a.ID, assess.KindChannel, "SMS"), "CHN-SMS-REGISTRATION", "CHN-SMS-ORIGINATOR")...)
	}
	sort.Strings(prq)
	nums := append([]inventory.Object(nil), r.EUM.PhoneNumbers...)
	sort.Slice(nums, func(i, j int) bool { return nums[i].ID < nums[j].ID })
	suggestedYes := 0
	for _, n := range nums {
		m := profDecode(n.Object)
		caps := assess.List(m, "NumberCapabilities")
		canSMS, canVoice := false, false
		for _, c := range caps {
			canSMS = canSMS || c == "SMS"
			canVoice = canVoice || c == "VOICE"
		}
		if !canSMS && !canVoice {
			continue
		}
		status, typ, arn := assess.Str(m, "Status"), assess.Str(m, "NumberType"), assess.Str(m, "PhoneNumberArn")
		if arn == "" || status == "DELETED" {
			continue
		}
		key := region + ".import-number." + n.ID
		suggest, why := "no", ""
		switch {
		case typ == "SIMULATOR":
			why = "A simulator number only sends to simulator destinations."
		case status != "ACTIVE":
			why = fmt.Sprintf("The number is %s, not ACTIVE: import it once its registration completes.", status)
		case suggestedYes >= msgNumbersPerInstance:
			why = fmt.Sprintf("An instance holds %d phone numbers by default; earlier numbers are suggested first.", msgNumbersPerInstance)
		default:
			suggest, why = "yes", "An active number that can send SMS or place calls, the originators Connect campaigns need."
			suggestedYes++
		}
		choices := []string{"yes", "no"}
		if perApp {
			choices = []string{"no"}
			for _, a := range apps {
				choices = append(choices, a.ID)
			}
			if suggest == "yes" {
				suggest = apps[0].ID
				for _, a := range apps {
					if msgEnabled(a, "SMS") {
						suggest = a.ID
						break
					}
				}
			}
		}
		ctx := fmt.Sprintf("Whether Amazon Connect imports End User Messaging number %s (%s, %s) so campaigns can send from it. The number stays in End User Messaging "+
			"with its registration, pool, keywords and opt-out list; importing cannot be undone by p2c.", n.ID, typ, strings.Join(msgStrings(caps), "/"))
		if perApp {
			ctx += " With one domain per app, answer the app whose Connect instance imports it, or no."
		}
		ans := b.Ask(Question{Key: key, Kind: KindChoice, Choices: choices, Suggested: suggest, Why: why, Context: ctx})
		if ans == "no" {
			continue
		}
		app := ""
		if perApp && ans != "" {
			app = ans
		}
		inst, waits := connectInstanceFor(b, region, app)
		if perApp && ans == "" {
			inst, waits = profPlaceholder(region+".connect-instance."+apps[0].ID+"|id"), []string{region + ".connect-instance." + apps[0].ID}
		}
		if ans == "" {
			waits = append(waits, key)
		}
		tr := []string{"The number stays an End User Messaging resource: registration, pool, keywords, opt-out list and sender settings are unchanged; Connect gets a reference to it."}
		if status != "ACTIVE" {
			tr = append(tr, fmt.Sprintf("The number is %s: the import succeeds only once it is ACTIVE.", status))
		}
		b.Add(Step{ID: StepID(KindPhoneNumberImport, region, "", n.ID), Region: region, Kind: KindPhoneNumberImport, Name: n.ID,
			Service: "connect", Operation: "ImportPhoneNumber",
			Spec: Spec(map[string]any{"InstanceId": inst, "SourcePhoneNumberArn": arn,
				"PhoneNumberDescription": "Imported by p2c from End User Messaging for migrated Pinpoint campaigns"}),
			Sources:  []Source{{Kind: "eum-phone-number", Region: region, ID: n.ID}},
			Findings: prq, WaitsOn: waits, Transformations: tr,
			Rollback: Rollback{Policy: RollbackRetain, Reason: "releasing an imported number from Connect breaks sending and counts against the number claim limits; p2c never releases numbers"}})
	}
}

func msgStrings(list []any) []string {
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// msgEmailAddress asks for the Connect email address campaigns send from,
// when the apps' campaigns or journeys send email (CHN-EMAIL-ADDRESS).
func msgEmailAddress(b *Builder, region string, apps []*inventory.App, app string) {
	var findings []string
	var from string
	for _, a := range apps {
		w := assess.WorkloadID(region, a.ID, assess.KindChannel, "EMAIL")
		f := profFindingIDs(b, w, "CHN-EMAIL-ADDRESS", "CHN-EMAIL-IDENTITY")
		if len(profFindingIDs(b, w, "CHN-EMAIL-ADDRESS")) == 0 {
			continue
		}
		findings = append(findings, f...)
		if from == "" {
			from = assess.Str(profDecode(a.Channels["EMAIL"]), "FromAddress")
		}
	}
	if len(findings) == 0 {
		return
	}
	findings = append(findings, profFindingIDs(b, assess.WorkloadID(region, "", assess.KindAccount, "target"), "PRQ-SES-PRODUCTION")...)
	sort.Strings(findings)
	addr, display := from, ""
	if a, err := mail.ParseAddress(from); err == nil {
		addr, display = a.Address, a.Name
	}
	suffix, scope := "", "the campaigns and journeys of "+region
	if app != "" {
		suffix, scope = "."+app, "the campaigns and journeys of app "+profAppLabel(apps[0])
	}
	key := region + ".email-address" + suffix
	ans := b.Ask(Question{Key: key, Kind: KindEmail, Suggested: addr,
		Context: fmt.Sprintf("The Connect email address %s send from. Its domain must be a verified SES identity associated with the Connect instance (console).", scope),
		Why:     "The address the Pinpoint email channel sent from, so recipients see the same sender."})
	email, waits := profDecisionValue(b, key)
	inst, iw := connectInstanceFor(b, region, app)
	spec := map[string]any{"InstanceId": inst, "EmailAddress": email, "Description": "Sending address of migrated Pinpoint campaigns (p2c)"}
	tr := []string{"Connect sends campaign email from a Connect email address instead of the channel's FromAddress; the SES identity is unchanged."}
	if display != "" && ans == addr {
		spec["DisplayName"] = display
		tr = append(tr, "The display name comes from the channel's FromAddress.")
	}
	var sources []Source
	for _, a := range apps {
		sources = append(sources, Source{Kind: inventory.KindChannel, Region: region, App: a.ID, ID: "EMAIL"})
	}
	s := Step{ID: StepID(KindEmailAddress, region, app, "sender"), Region: region, App: app, Kind: KindEmailAddress, Name: "sender",
		Service: "connect", Operation: "CreateEmailAddress", Spec: Spec(spec), Sources: sources, Findings: findings,
		WaitsOn: append(waits, iw...), Transformations: tr}
	if app != "" {
		s.AppName = apps[0].Name
	}
	b.Add(s)
}
