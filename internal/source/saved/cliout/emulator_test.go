package cliout

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
)

var regen = flag.Bool("regen", false, "seed an emulator with the aws CLI and rewrite testdata/emulator (CLI outputs and the live scan)")

const emuDir = "testdata/emulator"

// liveFile is the live scan of the emulator the outputs were read from.
const liveFile = "live.inventory.json"

// TestEmulatorOutputs loads outputs the real aws CLI printed against the
// emulator and checks that the fragment holds exactly the objects the
// live scanner read from the same emulator, with the same wire JSON.
func TestEmulatorOutputs(t *testing.T) {
	if *regen {
		regenerate(t)
	}
	files, _ := filepath.Glob(filepath.Join(emuDir, "*.output.json"))
	if len(files) == 0 {
		t.Fatalf("no CLI outputs in %s (run go test -run TestEmulatorOutputs -regen)", emuDir)
	}
	liveInv, err := inventory.Read(filepath.Join(emuDir, liveFile))
	if err != nil {
		t.Fatal(err)
	}
	// Every file alone: detected, loaded without a warning.
	var all []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !Detect(data) {
			t.Errorf("%s: Detect = false", f)
		}
		inv := load(t, filepath.Base(f), data)
		for _, w := range inv.Warnings {
			t.Errorf("%s: warning %+v", f, w)
		}
		checkWire(t, inv)
		all = append(all, data...)
	}
	// All of them in one file, as `aws ... >> dump.json` writes it.
	frag, err := Load("dump.json", all, readAt, Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range frag.Warnings {
		t.Errorf("dump.json: warning %+v", w)
	}
	compareWithLive(t, liveInv, frag)
	out, err := inventory.Marshal(frag)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "emulator__dump.fragment.json", out)
	if bytes.Contains(out, []byte("a@example.com")) {
		t.Error("an endpoint address reached the fragment")
	}
	if st := frag.Regions[0].Apps[1].EndpointStats; st == nil || st.Total != 1 || st.Users != 1 {
		t.Errorf("endpoint stats: %+v", st)
	}
}

// comparable turns wire JSON into a value that compares by meaning
// (member order and number formatting aside).
func comparable(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	if raw == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return v
}

func compareWithLive(t *testing.T, lv, fr *inventory.Inventory) {
	if len(lv.Regions) != 1 || len(fr.Regions) != 1 || lv.Regions[0].Name != fr.Regions[0].Name {
		t.Fatalf("regions: live %d, fragment %d", len(lv.Regions), len(fr.Regions))
	}
	L, F := lv.Regions[0], fr.Regions[0]
	same := func(what string, want, got json.RawMessage) {
		t.Helper()
		if w, g := comparable(t, want), comparable(t, got); !reflect.DeepEqual(w, g) {
			t.Errorf("%s differs:\n live:     %s\n fragment: %s", what, want, got)
		}
	}
	ids := func(what string, live, frag []string) {
		t.Helper()
		sort.Strings(live)
		sort.Strings(frag)
		if !reflect.DeepEqual(live, frag) {
			t.Errorf("%s: live %v, fragment %v", what, live, frag)
		}
	}
	var la, fa []string
	for _, a := range L.Apps {
		la = append(la, a.ID)
	}
	for _, a := range F.Apps {
		fa = append(fa, a.ID)
	}
	ids("apps", la, fa)
	for _, l := range L.Apps {
		var f *inventory.App
		for i := range F.Apps {
			if F.Apps[i].ID == l.ID {
				f = &F.Apps[i]
			}
		}
		if f == nil {
			continue
		}
		p := "app " + l.ID
		same(p, l.Object, f.Object)
		same(p+" settings", l.Settings, f.Settings)
		same(p+" event stream", l.EventStream, f.EventStream)
		same(p+" channels", l.ChannelSummary, f.ChannelSummary)
		if !reflect.DeepEqual(l.Tags, f.Tags) || l.Name != f.Name || l.Arn != f.Arn {
			t.Errorf("%s: name/arn/tags differ", p)
		}
		var lc, fc []string
		for k, v := range l.Channels {
			lc = append(lc, k)
			same(p+" channel "+k, v, f.Channels[k])
		}
		for k := range f.Channels {
			fc = append(fc, k)
		}
		ids(p+" channels", lc, fc)
		var ls, fs []string
		for _, s := range l.Segments {
			ls = append(ls, s.ID)
			for _, g := range f.Segments {
				if g.ID != s.ID {
					continue
				}
				same(p+" segment "+s.ID, s.Object, g.Object)
				if len(s.Versions) != len(g.Versions) || s.Version != g.Version || s.Name != g.Name {
					t.Errorf("%s segment %s: %d versions live, %d in the fragment", p, s.ID, len(s.Versions), len(g.Versions))
					continue
				}
				for i := range s.Versions {
					same(fmt.Sprintf("%s segment %s version %d", p, s.ID, i), s.Versions[i], g.Versions[i])
				}
			}
		}
		for _, s := range f.Segments {
			fs = append(fs, s.ID)
		}
		ids(p+" segments", ls, fs)
		var lcm, fcm []string
		for _, c := range l.Campaigns {
			lcm = append(lcm, c.ID)
			for _, g := range f.Campaigns {
				if g.ID != c.ID {
					continue
				}
				same(p+" campaign "+c.ID, c.Object, g.Object)
				if len(c.Versions) != len(g.Versions) || c.Version != g.Version {
					t.Errorf("%s campaign %s: %d versions live, %d in the fragment", p, c.ID, len(c.Versions), len(g.Versions))
					continue
				}
				for i := range c.Versions {
					same(fmt.Sprintf("%s campaign %s version %d", p, c.ID, i), c.Versions[i], g.Versions[i])
				}
			}
		}
		for _, c := range f.Campaigns {
			fcm = append(fcm, c.ID)
		}
		ids(p+" campaigns", lcm, fcm)
		var lj, fj []string
		for _, j := range l.Journeys {
			lj = append(lj, j.ID)
			for _, g := range f.Journeys {
				if g.ID == j.ID {
					same(p+" journey "+j.ID, j.Object, g.Object)
				}
			}
		}
		for _, j := range f.Journeys {
			fj = append(fj, j.ID)
		}
		ids(p+" journeys", lj, fj)
		sameObjects(t, p+" export jobs", l.ExportJobs, f.ExportJobs)
		sameObjects(t, p+" import jobs", l.ImportJobs, f.ImportJobs)
	}
	var lt, ft []string
	for _, tm := range L.Templates {
		lt = append(lt, tm.Name+"/"+tm.Type)
		for _, g := range F.Templates {
			if g.Name != tm.Name || g.Type != tm.Type {
				continue
			}
			p := "template " + tm.Name + "/" + tm.Type
			same(p+" summary", tm.Summary, g.Summary)
			same(p+" object", tm.Object, g.Object)
			if tm.ActiveVersion != g.ActiveVersion || len(tm.Versions) != len(g.Versions) {
				t.Errorf("%s: active %s/%s, versions %d/%d", p, tm.ActiveVersion, g.ActiveVersion, len(tm.Versions), len(g.Versions))
				continue
			}
			for i := range tm.Versions {
				same(p+" version summary "+tm.Versions[i].Version, tm.Versions[i].Summary, g.Versions[i].Summary)
				same(p+" version object "+tm.Versions[i].Version, tm.Versions[i].Object, g.Versions[i].Object)
			}
		}
	}
	for _, tm := range F.Templates {
		ft = append(ft, tm.Name+"/"+tm.Type)
	}
	ids("templates", lt, ft)
	sameObjects(t, "recommenders", L.Recommenders, F.Recommenders)
	le, fe := L.EUM, F.EUM
	sameObjects(t, "phone numbers", le.PhoneNumbers, fe.PhoneNumbers)
	sameObjects(t, "sender ids", le.SenderIDs, fe.SenderIDs)
	sameObjects(t, "configuration sets", le.ConfigurationSets, fe.ConfigurationSets)
	sameObjects(t, "registrations", le.Registrations, fe.Registrations)
	if len(le.Pools) != len(fe.Pools) {
		t.Errorf("pools: live %d, fragment %d", len(le.Pools), len(fe.Pools))
	}
	for i := range le.Pools {
		if i < len(fe.Pools) {
			if le.Pools[i].ID != fe.Pools[i].ID {
				t.Errorf("pool %s vs %s", le.Pools[i].ID, fe.Pools[i].ID)
			}
			same("pool "+le.Pools[i].ID, le.Pools[i].Object, fe.Pools[i].Object)
			sameList(t, "pool identities", le.Pools[i].OriginationIdentities, fe.Pools[i].OriginationIdentities)
		}
	}
	if len(le.OptOutLists) != len(fe.OptOutLists) {
		t.Errorf("opt-out lists: live %d, fragment %d", len(le.OptOutLists), len(fe.OptOutLists))
	}
	for i := range le.OptOutLists {
		if i < len(fe.OptOutLists) {
			same("opt-out list "+le.OptOutLists[i].Name, le.OptOutLists[i].Object, fe.OptOutLists[i].Object)
			sameList(t, "opted-out numbers", le.OptOutLists[i].OptedOutNumbers, fe.OptOutLists[i].OptedOutNumbers)
		}
	}
	if len(le.Keywords) != len(fe.Keywords) {
		t.Errorf("keyword sets: live %d, fragment %d", len(le.Keywords), len(fe.Keywords))
	}
	for i := range le.Keywords {
		if i < len(fe.Keywords) {
			sameList(t, "keywords of "+le.Keywords[i].OriginationIdentity, le.Keywords[i].Keywords, fe.Keywords[i].Keywords)
		}
	}
}

func sameObjects(t *testing.T, what string, live, frag []inventory.Object) {
	t.Helper()
	if len(live) != len(frag) {
		t.Errorf("%s: live %d, fragment %d", what, len(live), len(frag))
		return
	}
	for i := range live {
		if live[i].ID != frag[i].ID || !reflect.DeepEqual(comparable(t, live[i].Object), comparable(t, frag[i].Object)) {
			t.Errorf("%s %s differs:\n live:     %s\n fragment: %s", what, live[i].ID, live[i].Object, frag[i].Object)
		}
	}
}

func sameList(t *testing.T, what string, live, frag []json.RawMessage) {
	t.Helper()
	key := func(rs []json.RawMessage) []string {
		var out []string
		for _, r := range rs {
			b, _ := json.Marshal(comparable(t, r))
			out = append(out, string(b))
		}
		sort.Strings(out)
		return out
	}
	if !reflect.DeepEqual(key(live), key(frag)) {
		t.Errorf("%s differ:\n live:     %s\n fragment: %s", what, key(live), key(frag))
	}
}

// regenerate seeds a fresh emulator with the aws CLI, saves the outputs of
// the read commands and the live scan of the same emulator.
func regenerate(t *testing.T) {
	emutest.RequireCLI(t)
	emu := emulator.New(emulator.Options{})
	url := emutest.Serve(t, emu.Server)
	cli := func(args ...string) map[string]any {
		t.Helper()
		out, _ := emutest.CLI(t, url, args...).(map[string]any)
		return out
	}
	in := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	str := func(v any, path ...string) string {
		for _, p := range path {
			m, _ := v.(map[string]any)
			v = m[p]
		}
		s, _ := v.(string)
		return s
	}
	type M = map[string]any
	const pp, sv = "pinpoint", "pinpoint-sms-voice-v2"

	app := str(cli(pp, "create-app", "--create-application-request", in(M{"Name": "Northwind Shop", "tags": M{"team": "growth"}})), "ApplicationResponse", "Id")
	a := []string{"--application-id", app}
	cli(pp, "create-app", "--create-application-request", in(M{"Name": "Empty project"}))
	seg := str(cli(append([]string{pp, "create-segment"}, append(a, "--write-segment-request", in(M{"Name": "email users",
		"Dimensions": M{"Demographic": M{"Channel": M{"DimensionType": "INCLUSIVE", "Values": []string{"EMAIL"}}}}}))...)...), "SegmentResponse", "Id")
	cli(append([]string{pp, "update-segment"}, append(a, "--segment-id", seg, "--write-segment-request", in(M{"Name": "email users v2",
		"Dimensions": M{"Demographic": M{"Channel": M{"DimensionType": "INCLUSIVE", "Values": []string{"EMAIL", "SMS"}}}}}))...)...)
	cli(append([]string{pp, "create-segment"}, append(a, "--write-segment-request", in(M{"Name": "vip",
		"SegmentGroups": M{"Include": "ALL", "Groups": []M{{"Type": "ANY", "SourceType": "ANY", "Dimensions": []M{{"UserAttributes": M{"tier": M{"AttributeType": "INCLUSIVE", "Values": []string{"gold"}}}}}}}}}))...)...)
	cli(pp, "create-email-template", "--template-name", "welcome", "--email-template-request", in(M{"Subject": "Welcome", "HtmlPart": "<p>Hi {{User.UserAttributes.FirstName}}</p>"}))
	cli(pp, "update-email-template", "--template-name", "welcome", "--create-new-version", "--email-template-request", in(M{"Subject": "Welcome!", "HtmlPart": "<p>Hello {{User.UserAttributes.FirstName}}</p>"}))
	cli(pp, "create-sms-template", "--template-name", "otp", "--sms-template-request", in(M{"Body": "Your code is {{Attributes.code}}"}))
	camp := str(cli(append([]string{pp, "create-campaign"}, append(a, "--write-campaign-request", in(M{"Name": "launch", "SegmentId": seg,
		"Schedule":              M{"StartTime": "IMMEDIATE"},
		"TemplateConfiguration": M{"EmailTemplate": M{"Name": "welcome"}}}))...)...), "CampaignResponse", "Id")
	cli(append([]string{pp, "update-campaign"}, append(a, "--campaign-id", camp, "--write-campaign-request", in(M{"Name": "launch v2", "SegmentId": seg,
		"Schedule": M{"StartTime": "IMMEDIATE"}, "TemplateConfiguration": M{"EmailTemplate": M{"Name": "welcome"}}}))...)...)
	journey := str(cli(append([]string{pp, "create-journey"}, append(a, "--write-journey-request", in(M{"Name": "onboarding",
		"StartCondition": M{"SegmentStartCondition": M{"SegmentId": seg}},
		"StartActivity":  "wait",
		"Activities": M{
			"wait":  M{"Wait": M{"WaitTime": M{"WaitFor": "P1D"}, "NextActivity": "split"}, "Description": "one day"},
			"split": M{"ConditionalSplit": M{"Condition": M{"Conditions": []M{{"SegmentCondition": M{"SegmentId": seg}}}}}},
			"multi": M{"MultiCondition": M{"Branches": []M{{"Condition": M{"SegmentDimensions": M{"Demographic": M{"Platform": M{"Values": []string{"ios"}}}}}}}}},
			"mail":  M{"EMAIL": M{"TemplateName": "welcome"}},
		}}))...)...), "JourneyResponse", "Id")
	cli(append([]string{pp, "update-email-channel"}, append(a, "--email-channel-request", in(M{"FromAddress": "hello@example.com",
		"Identity": "arn:aws:ses:us-east-1:111122223333:identity/example.com", "Enabled": true}))...)...)
	cli(append([]string{pp, "update-sms-channel"}, append(a, "--sms-channel-request", in(M{"Enabled": true, "SenderId": "Northwind"}))...)...)
	cli(append([]string{pp, "update-application-settings"}, append(a, "--write-application-settings-request", in(M{
		"Limits": M{"Daily": 3, "MessagesPerSecond": 50}, "QuietTime": M{"Start": "22:00", "End": "07:00"}}))...)...)
	cli(append([]string{pp, "put-event-stream"}, append(a, "--write-event-stream", in(M{
		"DestinationStreamArn": "arn:aws:kinesis:us-east-1:111122223333:stream/events", "RoleArn": "arn:aws:iam::111122223333:role/events"}))...)...)
	cli(append([]string{pp, "update-endpoint"}, append(a, "--endpoint-id", "ep-1", "--endpoint-request", in(M{"ChannelType": "EMAIL", "Address": "a@example.com",
		"User": M{"UserId": "u-1", "UserAttributes": M{"FirstName": []string{"Ada"}}}}))...)...)
	cli("s3api", "create-bucket", "--bucket", "exports")
	cli(append([]string{pp, "create-export-job"}, append(a, "--export-job-request", in(M{"RoleArn": "arn:aws:iam::111122223333:role/export", "S3UrlPrefix": "s3://exports/x"}))...)...)

	optOut := str(cli(sv, "create-opt-out-list", "--opt-out-list-name", "marketing"), "OptOutListName")
	cli(sv, "put-opted-out-number", "--opt-out-list-name", optOut, "--opted-out-number", "+12065550142")
	phone := str(cli(sv, "request-phone-number", "--iso-country-code", "US", "--message-type", "TRANSACTIONAL", "--number-capabilities", "SMS",
		"--number-type", "TOLL_FREE", "--opt-out-list-name", optOut), "PhoneNumberId")
	pool := str(cli(sv, "create-pool", "--origination-identity", phone, "--iso-country-code", "US", "--message-type", "TRANSACTIONAL"), "PoolId")
	cli(sv, "put-keyword", "--origination-identity", pool, "--keyword", "JOIN", "--keyword-message", "Welcome", "--keyword-action", "AUTOMATIC_RESPONSE")
	cli(sv, "create-configuration-set", "--configuration-set-name", "otp-events")

	if err := os.RemoveAll(emuDir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(emuDir, 0o755); err != nil {
		t.Fatal(err)
	}
	save := func(file string, args ...string) []byte {
		t.Helper()
		out, err := emutest.CLIRaw(t, url, args...)
		if err != nil {
			t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		path := filepath.Join(emuDir, file+".output.json")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	var apps struct {
		ApplicationsResponse struct{ Item []struct{ Id string } }
	}
	if err := json.Unmarshal(save("get-apps", pp, "get-apps"), &apps); err != nil {
		t.Fatal(err)
	}
	// Several commands into one file, as `>>` does, for every app.
	for _, it := range apps.ApplicationsResponse.Item {
		a := []string{"--application-id", it.Id}
		save("get-app", append([]string{pp, "get-app"}, a...)...)
		save("get-application-settings", append([]string{pp, "get-application-settings"}, a...)...)
		save("get-channels", append([]string{pp, "get-channels"}, a...)...)
		save("get-segments", append([]string{pp, "get-segments"}, a...)...)
		save("get-campaigns", append([]string{pp, "get-campaigns"}, a...)...)
		save("list-journeys", append([]string{pp, "list-journeys"}, a...)...)
		save("get-export-jobs", append([]string{pp, "get-export-jobs"}, a...)...)
		save("get-import-jobs", append([]string{pp, "get-import-jobs"}, a...)...)
	}
	save("get-email-channel", pp, "get-email-channel", "--application-id", app)
	save("get-sms-channel", pp, "get-sms-channel", "--application-id", app)
	save("get-event-stream", pp, "get-event-stream", "--application-id", app)
	var segs struct {
		SegmentsResponse struct{ Item []struct{ Id string } }
	}
	_ = json.Unmarshal(save("get-segments-again", pp, "get-segments", "--application-id", app), &segs)
	for _, s := range segs.SegmentsResponse.Item {
		save("get-segment-versions", pp, "get-segment-versions", "--application-id", app, "--segment-id", s.Id)
	}
	save("get-campaign-versions", pp, "get-campaign-versions", "--application-id", app, "--campaign-id", camp)
	save("get-journey", pp, "get-journey", "--application-id", app, "--journey-id", journey)
	save("list-templates", pp, "list-templates")
	for _, tm := range []struct{ name, typ, get string }{{"welcome", "EMAIL", "get-email-template"}, {"otp", "SMS", "get-sms-template"}} {
		save(tm.get, pp, tm.get, "--template-name", tm.name)
		var vs struct {
			TemplateVersionsResponse struct{ Item []struct{ Version string } }
		}
		_ = json.Unmarshal(save("list-template-versions", pp, "list-template-versions", "--template-name", tm.name, "--template-type", tm.typ), &vs)
		for _, v := range vs.TemplateVersionsResponse.Item {
			save(tm.get+"-versions", pp, tm.get, "--template-name", tm.name, "--template-version", v.Version)
		}
	}
	save("get-endpoint", pp, "get-endpoint", "--application-id", app, "--endpoint-id", "ep-1")
	save("get-user-endpoints", pp, "get-user-endpoints", "--application-id", app, "--user-id", "u-1")
	save("describe-phone-numbers", sv, "describe-phone-numbers")
	save("describe-pools", sv, "describe-pools")
	save("list-pool-origination-identities", sv, "list-pool-origination-identities", "--pool-id", pool)
	save("describe-opt-out-lists", sv, "describe-opt-out-lists")
	save("describe-opted-out-numbers", sv, "describe-opted-out-numbers", "--opt-out-list-name", optOut)
	save("describe-keywords", sv, "describe-keywords", "--origination-identity", phone)
	save("describe-keywords", sv, "describe-keywords", "--origination-identity", pool)
	save("describe-configuration-sets", sv, "describe-configuration-sets")
	save("describe-sender-ids", sv, "describe-sender-ids")
	save("describe-registrations", sv, "describe-registrations")

	inv, err := live.Scan(context.Background(), emutest.Config(url), live.Options{KPIDays: -1, MaxBackoff: 50 * time.Millisecond,
		Now: func() time.Time { return readAt }})
	if err != nil {
		t.Fatal(err)
	}
	b, err := inventory.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(emuDir, liveFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("a@example.com")) {
		t.Fatal("the live scan stored an endpoint address")
	}
}
