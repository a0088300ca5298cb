package saved_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	emupinpoint "github.com/p2c/p2c/internal/emulator/pinpoint"
	"github.com/p2c/p2c/internal/inventory"
	"github.com/p2c/p2c/internal/source/live"
	"github.com/p2c/p2c/internal/source/saved"
)

// The round trip: the account in testdata/roundtrip/seed.json is scanned
// live, then saved the way a team would have saved it before Pinpoint's
// end of support — aws CLI reads into files, the endpoint export files
// copied down with `aws s3 cp`, and the team's CloudFormation and
// Terraform beside them — and the saved folder is loaded and merged. Both
// inventories must hold the same resources with the same wire objects.
//
// Left out of the comparison, on purpose:
//   - sources, provenance, facts, warnings, scannedAt, tool: they say how
//     each side was read, which differs by design;
//   - KPIs: the live scan runs with KPIDays -1 and the CLI save reads none;
//   - journey runs and execution metrics (run, journey and activity
//     metrics): analytics the CLI save does not read, to keep it short;
//   - EndpointExport: the live scan records the job it ran, the saved side
//     records the files it read (status SAVED). The statistics computed from
//     them are compared.
const (
	roundTripRegion  = "us-east-1"
	roundTripAccount = "111122223333"
	exportPrefix     = "s3://exports/p2c"
)

// iacTime and savedTime are when the IaC files and the CLI outputs were
// written: the templates long before the CLI save, as in real life.
var (
	iacTime   = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	savedTime = time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC)
)

func TestSavedCopyMatchesLiveScan(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: this test runs the aws CLI about 50 times to save the account")
	}
	emutest.RequireCLI(t)
	start := time.Now()
	seed, err := emulator.LoadSeed(filepath.Join("testdata", "roundtrip", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	emu := emulator.New(emulator.Options{})
	if _, err := emu.Apply(seed); err != nil {
		t.Fatal(err)
	}
	if err := emu.S3.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	url := emutest.Serve(t, emu.Server)
	// The seed's import job completes on the first read after its delay;
	// past it, every read sees the same finished job.
	time.Sleep(2 * emupinpoint.JobDelay)

	ctx := context.Background()
	a, err := live.Scan(ctx, emutest.Config(url), live.Options{
		ExportEndpoints: exportPrefix, ExportRoleARN: "arn:aws:iam::" + roundTripAccount + ":role/export",
		ExportPoll: 20 * time.Millisecond, ExportTimeout: 10 * time.Second, MaxBackoff: 50 * time.Millisecond, KPIDays: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range a.Warnings {
		t.Errorf("live scan warning: %+v", w)
	}
	scanned := time.Now()

	dir := t.TempDir()
	s := newSaver(t, url, dir)
	s.saveAccount()
	s.copyExports()
	copyIaC(t, dir)
	t.Logf("saved the account with %d aws CLI calls in %s", s.calls, time.Since(scanned).Round(time.Millisecond))

	checkLiveSide(t, a)
	scanJobs := map[string]*inventory.EndpointExport{}
	for _, r := range a.Regions {
		for _, app := range r.Apps {
			scanJobs[app.ID] = app.EndpointExport
		}
	}
	// The result must not depend on the order the sources are merged in:
	// the IaC older than the CLI outputs (as written above), newer, and the
	// fragments handed to Merge in reverse.
	variants := []struct {
		name    string
		iacAt   time.Time
		reverse bool
	}{
		{"IaC older than the CLI outputs", iacTime, false},
		{"IaC newer than the CLI outputs", savedTime.Add(24 * time.Hour), false},
		{"fragments in reverse", iacTime, true},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			redate(t, filepath.Join(dir, "iac"), v.iacAt)
			res, err := saved.Load(ctx, []string{dir}, saved.Options{DefaultRegion: roundTripRegion, AccountID: roundTripAccount})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				t.Errorf("load warning: %+v", w)
			}
			for _, sk := range res.Skipped {
				// A read that answered NotFound (an app without event
				// stream) left its file empty, as `aws ... > file` does.
				if sk.Reason != "empty file" || !s.empty[sk.File] {
					t.Errorf("skipped %s: %s", sk.File, sk.Reason)
				}
			}
			frags := res.Fragments
			if v.reverse {
				slices.Reverse(frags)
			}
			b := inventory.Merge(frags)
			(&comparer{t: t, scanJobs: scanJobs}).inventories(a, b)
			checkSavedSide(t, b)
		})
	}
	t.Logf("seeded, scanned, saved, loaded and compared in %s", time.Since(start).Round(time.Millisecond))
}

// checkLiveSide makes sure the comparison is not vacuous: the live scan
// holds what the seed created.
func checkLiveSide(t *testing.T, a *inventory.Inventory) {
	t.Helper()
	if len(a.Regions) != 1 {
		t.Fatalf("live scan: %d regions", len(a.Regions))
	}
	r := a.Regions[0]
	count := map[string]int{"apps": len(r.Apps), "templates": len(r.Templates), "recommenders": len(r.Recommenders),
		"phone numbers": len(r.EUM.PhoneNumbers), "sender ids": len(r.EUM.SenderIDs), "pools": len(r.EUM.Pools),
		"configuration sets": len(r.EUM.ConfigurationSets), "opt-out lists": len(r.EUM.OptOutLists), "registrations": len(r.EUM.Registrations)}
	for _, app := range r.Apps {
		count["segments"] += len(app.Segments)
		count["campaigns"] += len(app.Campaigns)
		count["journeys"] += len(app.Journeys)
		count["channels"] += len(app.Channels)
		count["import jobs"] += len(app.ImportJobs)
		for _, sg := range app.Segments {
			count["segment versions"] += len(sg.Versions)
		}
		for _, c := range app.Campaigns {
			count["campaign versions"] += len(c.Versions)
		}
		if app.EndpointStats != nil {
			count["endpoints"] += int(app.EndpointStats.Total)
		}
		if len(app.EventStream) > 0 {
			count["event streams"]++
		}
	}
	for _, tm := range r.Templates {
		count["template versions"] += len(tm.Versions)
	}
	want := map[string]int{"apps": 2, "templates": 4, "recommenders": 1, "phone numbers": 1, "sender ids": 1, "pools": 1,
		"configuration sets": 1, "opt-out lists": 1, "registrations": 1, "segments": 4, "segment versions": 5, "campaigns": 1,
		"campaign versions": 2, "journeys": 1, "channels": 5, "import jobs": 1, "endpoints": 9, "event streams": 1, "template versions": 5}
	if !reflect.DeepEqual(count, want) {
		t.Fatalf("the live scan does not hold what the seed created:\n got  %v\n want %v", count, want)
	}
}

func redate(t *testing.T, dir string, at time.Time) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(path, at, at)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkSavedSide checks what only the merged saved copy has: the IaC
// declarations merged by name into the CLI entries, nothing in conflict.
func checkSavedSide(t *testing.T, b *inventory.Inventory) {
	t.Helper()
	for _, c := range b.Conflicts {
		t.Errorf("the saved sources disagree on %s %s: %v", c.Kind, c.ID, c.Fields)
	}
	for _, u := range b.Unresolved {
		t.Errorf("unresolved value %s %s: %s", u.Resource, u.Path, u.Reason)
	}
	for _, sc := range b.Secrets {
		t.Errorf("a channel credential reached the saved side: %+v", sc)
	}
	kinds := func(ps []inventory.Provenance) []string {
		seen := map[string]bool{}
		for _, p := range ps {
			seen[p.Kind] = true
		}
		out := make([]string, 0, len(seen))
		for k := range seen {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	want := func(what string, got []string, w ...string) {
		t.Helper()
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: read from %v, want %v", what, got, w)
		}
	}
	for _, r := range b.Regions {
		for _, a := range r.Apps {
			switch a.Name {
			case "Northwind Shop":
				want("app Northwind Shop", kinds(a.Provenance), saved.KindCLIOutput, saved.KindCloudFormation, saved.KindEndpointExport, saved.KindTerraform)
			default:
				want("app "+a.Name, kinds(a.Provenance), saved.KindCLIOutput, saved.KindEndpointExport)
			}
		}
		for _, tm := range r.Templates {
			switch tm.Type + "/" + tm.Name {
			case "SMS/otp":
				want("template otp", kinds(tm.Provenance), saved.KindCLIOutput, saved.KindCloudFormation)
			case "EMAIL/receipt":
				want("template receipt", kinds(tm.Provenance), saved.KindCLIOutput, saved.KindTerraform)
			default:
				want("template "+tm.Name, kinds(tm.Provenance), saved.KindCLIOutput)
			}
		}
	}
}

// copyIaC puts the team's CloudFormation and Terraform into the saved
// folder, dated before the CLI save.
func copyIaC(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join("testdata", "roundtrip", "iac")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		dst := filepath.Join(dir, "iac", rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
		return os.Chtimes(dst, iacTime, iacTime)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ---- saving with the aws CLI ----

// saver saves an account with aws CLI reads, each output into a file,
// discovering ids from earlier outputs as a team's script would. Reads run
// as soon as what they need is known, at most four at once: each CLI run
// is a Python process of about half a second of CPU.
type saver struct {
	t   *testing.T
	url string
	dir string
	sem chan struct{}
	wg  sync.WaitGroup

	mu    sync.Mutex
	calls int
	errs  []error
	// empty holds the files a NotFound read left empty.
	empty map[string]bool
}

func newSaver(t *testing.T, url, dir string) *saver {
	return &saver{t: t, url: url, dir: dir, sem: make(chan struct{}, 4), empty: map[string]bool{}}
}

// read is one CLI read, its output file (relative to the saved folder) and
// what to read next once its output is known.
type read struct {
	file string
	args []string
	then func(out []byte) []read
}

func pp(file string, then func([]byte) []read, args ...string) read {
	return read{file: file, args: append([]string{"pinpoint"}, args...), then: then}
}

func sv(file string, then func([]byte) []read, args ...string) read {
	return read{file: file, args: append([]string{"pinpoint-sms-voice-v2"}, args...), then: then}
}

// run makes one read and appends its output to the file, as `>>` does. A
// read that answers NotFoundException leaves the file empty, as `>` does.
func (s *saver) run(file string, args ...string) ([]byte, error) {
	out, err := emutest.CLIRaw(s.t, s.url, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	path := filepath.Join(s.dir, file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, ferr := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if ferr != nil {
		return nil, ferr
	}
	defer f.Close()
	if err != nil {
		if bytes.Contains(out, []byte("NotFoundException")) {
			s.empty[path] = true
			return nil, nil
		}
		return nil, fmt.Errorf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	delete(s.empty, path)
	_, err = f.Write(out)
	return out, err
}

func (s *saver) start(r read) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.sem <- struct{}{}
		out, err := s.run(r.file, r.args...)
		<-s.sem
		if err != nil {
			s.mu.Lock()
			s.errs = append(s.errs, err)
			s.mu.Unlock()
			return
		}
		if r.then == nil || out == nil {
			return
		}
		for _, next := range r.then(out) {
			s.start(next)
		}
	}()
}

func (s *saver) wait() {
	s.wg.Wait()
	if len(s.errs) > 0 {
		s.t.Fatal(s.errs[0])
	}
}

// list returns the objects of a CLI output's list: path names the wrapper
// and list members ("ApplicationsResponse", "Item").
func list(out []byte, path ...string) []map[string]any {
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		return nil
	}
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	items, _ := v.([]any)
	res := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			res = append(res, m)
		}
	}
	return res
}

func strOf(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// channelCommands are the typed channel GETs by channel type.
var channelCommands = map[string]string{
	"ADM": "get-adm-channel", "APNS": "get-apns-channel", "APNS_SANDBOX": "get-apns-sandbox-channel",
	"APNS_VOIP": "get-apns-voip-channel", "APNS_VOIP_SANDBOX": "get-apns-voip-sandbox-channel", "BAIDU": "get-baidu-channel",
	"EMAIL": "get-email-channel", "GCM": "get-gcm-channel", "SMS": "get-sms-channel", "VOICE": "get-voice-channel",
}

// templateCommands are the typed template GETs by template type.
var templateCommands = map[string]string{
	"EMAIL": "get-email-template", "SMS": "get-sms-template", "PUSH": "get-push-template",
	"VOICE": "get-voice-template", "INAPP": "get-in-app-template",
}

// saveAccount reads everything the live scan reads (KPIs and journey
// analytics aside) into files under cli/.
func (s *saver) saveAccount() {
	s.start(pp("cli/get-apps.json", s.apps, "get-apps"))
	s.start(pp("cli/templates/list-templates.json", s.templates, "list-templates"))
	s.start(pp("cli/get-recommender-configurations.json", nil, "get-recommender-configurations"))
	keywords := func(id string) read {
		// Every identity's keywords go to one file, one output after the
		// other.
		return sv("cli/eum/describe-keywords.json", nil, "describe-keywords", "--origination-identity", id)
	}
	s.start(sv("cli/eum/describe-phone-numbers.json", func(out []byte) []read {
		var next []read
		for _, p := range list(out, "PhoneNumbers") {
			next = append(next, keywords(strOf(p, "PhoneNumberId")))
		}
		return next
	}, "describe-phone-numbers"))
	s.start(sv("cli/eum/describe-pools.json", func(out []byte) []read {
		var next []read
		for _, p := range list(out, "Pools") {
			id := strOf(p, "PoolId")
			next = append(next, keywords(id),
				sv("cli/eum/pool-"+id+"-identities.json", nil, "list-pool-origination-identities", "--pool-id", id))
		}
		return next
	}, "describe-pools"))
	s.start(sv("cli/eum/describe-opt-out-lists.json", func(out []byte) []read {
		var next []read
		for _, l := range list(out, "OptOutLists") {
			name := strOf(l, "OptOutListName")
			next = append(next, sv("cli/eum/opted-out-"+name+".json", nil, "describe-opted-out-numbers", "--opt-out-list-name", name))
		}
		return next
	}, "describe-opt-out-lists"))
	s.start(sv("cli/eum/describe-sender-ids.json", nil, "describe-sender-ids"))
	s.start(sv("cli/eum/describe-configuration-sets.json", nil, "describe-configuration-sets"))
	s.start(sv("cli/eum/describe-registrations.json", nil, "describe-registrations"))
	s.wait()
	// The CLI outputs were written before the cut-off; the IaC before them.
	err := filepath.WalkDir(filepath.Join(s.dir, "cli"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(path, savedTime, savedTime)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *saver) apps(out []byte) []read {
	var next []read
	for _, app := range list(out, "ApplicationsResponse", "Item") {
		id := strOf(app, "Id")
		d := "cli/apps/" + id + "/"
		a := []string{"--application-id", id}
		get := func(file string, then func([]byte) []read, cmd string, more ...string) read {
			return pp(d+file, then, append(append([]string{cmd}, a...), more...)...)
		}
		next = append(next,
			get("settings.json", nil, "get-application-settings"),
			get("event-stream.json", nil, "get-event-stream"),
			get("export-jobs.json", nil, "get-export-jobs"),
			get("import-jobs.json", nil, "get-import-jobs"),
			get("channels.json", func(out []byte) []read {
				var v struct {
					ChannelsResponse struct{ Channels map[string]any }
				}
				_ = json.Unmarshal(out, &v)
				var next []read
				for typ := range v.ChannelsResponse.Channels {
					if cmd := channelCommands[typ]; cmd != "" {
						next = append(next, get("channel-"+strings.ToLower(typ)+".json", nil, cmd))
					}
				}
				return next
			}, "get-channels"),
			get("segments.json", func(out []byte) []read {
				var next []read
				for _, seg := range list(out, "SegmentsResponse", "Item") {
					next = append(next, get("segment-versions.json", nil, "get-segment-versions", "--segment-id", strOf(seg, "Id")))
				}
				return next
			}, "get-segments"),
			get("campaigns.json", func(out []byte) []read {
				var next []read
				for _, c := range list(out, "CampaignsResponse", "Item") {
					cid := strOf(c, "Id")
					next = append(next,
						get("campaign-versions.json", nil, "get-campaign-versions", "--campaign-id", cid),
						get("campaign-activities.json", nil, "get-campaign-activities", "--campaign-id", cid))
				}
				return next
			}, "get-campaigns"),
			get("journeys.json", func(out []byte) []read {
				var next []read
				for _, j := range list(out, "JourneysResponse", "Item") {
					jid := strOf(j, "Id")
					next = append(next, get("journey-"+jid+".json", nil, "get-journey", "--journey-id", jid))
				}
				return next
			}, "list-journeys"),
		)
	}
	return next
}

func (s *saver) templates(out []byte) []read {
	var next []read
	for _, tm := range list(out, "TemplatesResponse", "Item") {
		name, typ := strOf(tm, "TemplateName"), strOf(tm, "TemplateType")
		cmd := templateCommands[typ]
		if cmd == "" {
			s.t.Errorf("template %s: unknown type %q", name, typ)
			continue
		}
		file := "cli/templates/" + strings.ToLower(typ) + "-" + name + ".json"
		next = append(next, pp(file, func(out []byte) []read {
			var next []read
			for _, v := range list(out, "TemplateVersionsResponse", "Item") {
				next = append(next, pp(file, nil, cmd, "--template-name", name, "--template-version", strOf(v, "Version")))
			}
			return next
		}, "list-template-versions", "--template-name", name, "--template-type", typ))
	}
	return next
}

// copyExports copies the endpoint export files the live scan's export
// jobs wrote, as a team copies them down before the bucket expires.
func (s *saver) copyExports() {
	dst := filepath.Join(s.dir, "endpoint-exports")
	out, err := emutest.CLIRaw(s.t, s.url, "s3", "cp", "--recursive", "--only-show-errors", exportPrefix+"/", dst)
	s.calls++
	if err != nil {
		s.t.Fatalf("aws s3 cp: %v\n%s", err, out)
	}
	n := 0
	_ = filepath.WalkDir(dst, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
			_ = os.Chtimes(path, savedTime, savedTime)
		}
		return nil
	})
	if n == 0 {
		s.t.Fatalf("aws s3 cp copied no export file from %s", exportPrefix)
	}
}

// ---- comparing ----

// comparer reports every difference between the live inventory (a) and
// the merged saved copy (b) as a path and both values.
type comparer struct {
	t *testing.T
	// scanJobs are the endpoint exports the live scan ran, by app: the
	// scan lists export jobs while its own job runs, so its list may miss
	// that job or show it unfinished. The saved copy, read afterwards,
	// holds it finished, as the scan's EndpointExport.Job recorded it.
	scanJobs map[string]*inventory.EndpointExport
}

func (c *comparer) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf(format, args...)
}

func (c *comparer) inventories(a, b *inventory.Inventory) {
	if a.Account != b.Account && b.Account != "" {
		c.errorf("account: live %q, saved %q", a.Account, b.Account)
	}
	keys := func(rs []inventory.Region) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Name)
		}
		return out
	}
	c.sameKeys("regions", keys(a.Regions), keys(b.Regions))
	for _, ra := range a.Regions {
		for _, rb := range b.Regions {
			if ra.Name == rb.Name {
				c.region(ra, rb)
			}
		}
	}
	c.refs("references", a.References, b.References)
	c.refs("dangling references", a.Dangling, b.Dangling)
}

func (c *comparer) region(a, b inventory.Region) {
	p := a.Name
	appsA, appsB := map[string]inventory.App{}, map[string]inventory.App{}
	for _, x := range a.Apps {
		appsA[x.ID] = x
	}
	for _, x := range b.Apps {
		appsB[x.ID] = x
	}
	c.sameKeys(p+" apps", mapKeys(appsA), mapKeys(appsB))
	for id, x := range appsA {
		if y, ok := appsB[id]; ok {
			c.app(p+"/app "+x.Name+" ("+id+")", x, y)
		}
	}

	tmplA, tmplB := map[string]inventory.Template{}, map[string]inventory.Template{}
	for _, x := range a.Templates {
		tmplA[x.Type+"/"+x.Name] = x
	}
	for _, x := range b.Templates {
		tmplB[x.Type+"/"+x.Name] = x
	}
	c.sameKeys(p+" templates", mapKeys(tmplA), mapKeys(tmplB))
	for k, x := range tmplA {
		if y, ok := tmplB[k]; ok {
			c.template(p+"/template "+k, x, y)
		}
	}
	c.objects(p+"/recommenders", a.Recommenders, b.Recommenders)

	e, f := a.EUM, b.EUM
	c.objects(p+"/eum/phoneNumbers", e.PhoneNumbers, f.PhoneNumbers)
	c.objects(p+"/eum/senderIds", e.SenderIDs, f.SenderIDs)
	c.objects(p+"/eum/configurationSets", e.ConfigurationSets, f.ConfigurationSets)
	c.objects(p+"/eum/registrations", e.Registrations, f.Registrations)
	poolsA, poolsB := map[string]inventory.Pool{}, map[string]inventory.Pool{}
	for _, x := range e.Pools {
		poolsA[x.ID] = x
	}
	for _, x := range f.Pools {
		poolsB[x.ID] = x
	}
	c.sameKeys(p+"/eum/pools", mapKeys(poolsA), mapKeys(poolsB))
	for id, x := range poolsA {
		y := poolsB[id]
		c.raw(p+"/eum/pool "+id, x.Object, y.Object)
		c.set(p+"/eum/pool "+id+"/originationIdentities", x.OriginationIdentities, y.OriginationIdentities)
	}
	listsA, listsB := map[string]inventory.OptOutList{}, map[string]inventory.OptOutList{}
	for _, x := range e.OptOutLists {
		listsA[x.Name] = x
	}
	for _, x := range f.OptOutLists {
		listsB[x.Name] = x
	}
	c.sameKeys(p+"/eum/optOutLists", mapKeys(listsA), mapKeys(listsB))
	for name, x := range listsA {
		y := listsB[name]
		c.raw(p+"/eum/optOutList "+name, x.Object, y.Object)
		c.set(p+"/eum/optOutList "+name+"/optedOutNumbers", x.OptedOutNumbers, y.OptedOutNumbers)
	}
	kwA, kwB := map[string][]json.RawMessage{}, map[string][]json.RawMessage{}
	for _, k := range e.Keywords {
		kwA[k.OriginationIdentity] = append(kwA[k.OriginationIdentity], k.Keywords...)
	}
	for _, k := range f.Keywords {
		kwB[k.OriginationIdentity] = append(kwB[k.OriginationIdentity], k.Keywords...)
	}
	c.sameKeys(p+"/eum/keywords", mapKeys(kwA), mapKeys(kwB))
	for id, x := range kwA {
		c.set(p+"/eum/keywords of "+id, x, kwB[id])
	}
	if len(a.PinpointEmail) != 0 || len(b.PinpointEmail) != 0 {
		c.errorf("%s/pinpointEmail: live %d, saved %d; the account declares none", p, len(a.PinpointEmail), len(b.PinpointEmail))
	}
}

func (c *comparer) app(p string, a, b inventory.App) {
	if a.Name != b.Name || a.Arn != b.Arn {
		c.errorf("%s: name/arn live %q %q, saved %q %q", p, a.Name, a.Arn, b.Name, b.Arn)
	}
	c.value(p+"/tags", a.Tags, b.Tags)
	c.raw(p+"/object", a.Object, b.Object)
	c.raw(p+"/settings", a.Settings, b.Settings)
	c.raw(p+"/eventStream", a.EventStream, b.EventStream)
	c.raw(p+"/channelSummary", a.ChannelSummary, b.ChannelSummary)
	c.sameKeys(p+" channels", mapKeys(a.Channels), mapKeys(b.Channels))
	for typ, x := range a.Channels {
		if y, ok := b.Channels[typ]; ok {
			c.raw(p+"/channel "+typ, x, y)
		}
	}

	segA, segB := map[string]inventory.Segment{}, map[string]inventory.Segment{}
	for _, x := range a.Segments {
		segA[x.ID] = x
	}
	for _, x := range b.Segments {
		segB[x.ID] = x
	}
	c.sameKeys(p+" segments", mapKeys(segA), mapKeys(segB))
	for id, x := range segA {
		y, ok := segB[id]
		if !ok {
			continue
		}
		sp := p + "/segment " + x.Name + " (" + id + ")"
		if x.Name != y.Name || x.Version != y.Version {
			c.errorf("%s: name/version live %q %d, saved %q %d", sp, x.Name, x.Version, y.Name, y.Version)
		}
		c.raw(sp+"/object", x.Object, y.Object)
		c.rawList(sp+"/versions", x.Versions, y.Versions)
		c.objects(sp+"/exportJobs", x.ExportJobs, y.ExportJobs)
		c.objects(sp+"/importJobs", x.ImportJobs, y.ImportJobs)
	}

	campA, campB := map[string]inventory.Campaign{}, map[string]inventory.Campaign{}
	for _, x := range a.Campaigns {
		campA[x.ID] = x
	}
	for _, x := range b.Campaigns {
		campB[x.ID] = x
	}
	c.sameKeys(p+" campaigns", mapKeys(campA), mapKeys(campB))
	for id, x := range campA {
		y, ok := campB[id]
		if !ok {
			continue
		}
		cp := p + "/campaign " + x.Name + " (" + id + ")"
		if x.Name != y.Name || x.Version != y.Version {
			c.errorf("%s: name/version live %q %d, saved %q %d", cp, x.Name, x.Version, y.Name, y.Version)
		}
		c.raw(cp+"/object", x.Object, y.Object)
		c.rawList(cp+"/versions", x.Versions, y.Versions)
		c.objects(cp+"/activities", x.Activities, y.Activities)
	}

	jA, jB := map[string]inventory.Journey{}, map[string]inventory.Journey{}
	for _, x := range a.Journeys {
		jA[x.ID] = x
	}
	for _, x := range b.Journeys {
		jB[x.ID] = x
	}
	c.sameKeys(p+" journeys", mapKeys(jA), mapKeys(jB))
	for id, x := range jA {
		y, ok := jB[id]
		if !ok {
			continue
		}
		jp := p + "/journey " + x.Name + " (" + id + ")"
		if x.Name != y.Name || x.State != y.State {
			c.errorf("%s: name/state live %q %q, saved %q %q", jp, x.Name, x.State, y.Name, y.State)
		}
		c.raw(jp+"/object", x.Object, y.Object)
	}

	// The scan's own export job, as the scan saw it finish.
	exportJobs := append([]inventory.Object(nil), a.ExportJobs...)
	if ex := c.scanJobs[a.ID]; ex != nil && ex.JobID != "" {
		found := false
		for i := range exportJobs {
			if exportJobs[i].ID == ex.JobID {
				exportJobs[i].Object, found = ex.Job, true
			}
		}
		if !found {
			exportJobs = append(exportJobs, inventory.Object{ID: ex.JobID, Object: ex.Job})
		}
	}
	c.objects(p+"/exportJobs", exportJobs, b.ExportJobs)
	c.objects(p+"/importJobs", a.ImportJobs, b.ImportJobs)
	if a.EndpointStats == nil {
		c.errorf("%s: the live scan has no endpoint statistics", p)
	}
	c.value(p+"/endpointStats", a.EndpointStats, b.EndpointStats)
}

func (c *comparer) template(p string, a, b inventory.Template) {
	if a.ActiveVersion != b.ActiveVersion {
		c.errorf("%s: active version live %q, saved %q", p, a.ActiveVersion, b.ActiveVersion)
	}
	c.raw(p+"/summary", a.Summary, b.Summary)
	c.raw(p+"/object", a.Object, b.Object)
	va, vb := map[string]inventory.TemplateVersion{}, map[string]inventory.TemplateVersion{}
	var order []string
	for _, v := range a.Versions {
		va[v.Version] = v
		order = append(order, v.Version)
	}
	for _, v := range b.Versions {
		vb[v.Version] = v
	}
	c.sameKeys(p+" versions", mapKeys(va), mapKeys(vb))
	for _, k := range order {
		if y, ok := vb[k]; ok {
			c.raw(p+"/version "+k+"/summary", va[k].Summary, y.Summary)
			c.raw(p+"/version "+k+"/object", va[k].Object, y.Object)
		}
	}
}

// objects compares id-keyed objects.
func (c *comparer) objects(p string, a, b []inventory.Object) {
	c.t.Helper()
	ma, mb := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for _, x := range a {
		ma[x.ID] = x.Object
	}
	for _, x := range b {
		mb[x.ID] = x.Object
	}
	c.sameKeys(p, mapKeys(ma), mapKeys(mb))
	for id, x := range ma {
		if y, ok := mb[id]; ok {
			c.raw(p+"/"+id, x, y)
		}
	}
}

// rawList compares ordered lists (versions, oldest first).
func (c *comparer) rawList(p string, a, b []json.RawMessage) {
	c.t.Helper()
	if len(a) != len(b) {
		c.errorf("%s: live %d entries, saved %d", p, len(a), len(b))
		return
	}
	for i := range a {
		c.raw(fmt.Sprintf("%s[%d]", p, i), a[i], b[i])
	}
}

// set compares unordered lists of wire objects.
func (c *comparer) set(p string, a, b []json.RawMessage) {
	c.t.Helper()
	canon := func(rs []json.RawMessage) []string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			bs, _ := json.Marshal(decode(r))
			out = append(out, string(bs))
		}
		sort.Strings(out)
		return out
	}
	ca, cb := canon(a), canon(b)
	if !reflect.DeepEqual(ca, cb) {
		c.errorf("%s:\n  live:  %s\n  saved: %s", p, ca, cb)
	}
}

func (c *comparer) refs(p string, a, b []inventory.Reference) {
	c.t.Helper()
	canon := func(rs []inventory.Reference) []string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			bs, _ := json.Marshal(r)
			out = append(out, string(bs))
		}
		sort.Strings(out)
		return out
	}
	ca, cb := canon(a), canon(b)
	onlyA, onlyB := minus(ca, cb), minus(cb, ca)
	for _, r := range onlyA {
		c.errorf("%s: only live: %s", p, r)
	}
	for _, r := range onlyB {
		c.errorf("%s: only saved: %s", p, r)
	}
}

func (c *comparer) sameKeys(p string, a, b []string) {
	c.t.Helper()
	sort.Strings(a)
	sort.Strings(b)
	if only := minus(a, b); len(only) > 0 {
		c.errorf("%s: only in the live scan: %v", p, only)
	}
	if only := minus(b, a); len(only) > 0 {
		c.errorf("%s: only in the saved copy: %v", p, only)
	}
}

// value compares two Go values by their JSON.
func (c *comparer) value(p string, a, b any) {
	c.t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	c.raw(p, ja, jb)
}

// raw compares two wire objects by meaning (member order and number
// spelling aside) and reports each differing member path.
func (c *comparer) raw(p string, a, b json.RawMessage) {
	c.t.Helper()
	var diffs []string
	diff(p, decode(a), decode(b), &diffs)
	for _, d := range diffs {
		c.errorf("%s", d)
	}
}

func decode(r json.RawMessage) any {
	if len(r) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(r, &v); err != nil {
		return "<not JSON: " + string(r) + ">"
	}
	return v
}

func diff(p string, a, b any, out *[]string) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		for _, k := range mapKeys(keys) {
			xv, inA := x[k]
			yv, inB := y[k]
			switch {
			case !inA:
				*out = append(*out, fmt.Sprintf("%s.%s: only in the saved copy: %s", p, k, short(yv)))
			case !inB:
				*out = append(*out, fmt.Sprintf("%s.%s: only in the live scan: %s", p, k, short(xv)))
			default:
				diff(p+"."+k, xv, yv, out)
			}
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			break
		}
		for i := range x {
			diff(fmt.Sprintf("%s[%d]", p, i), x[i], y[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, fmt.Sprintf("%s:\n  live:  %s\n  saved: %s", p, short(a), short(b)))
	}
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// minus returns the members of sorted a that are not in sorted b.
func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}
