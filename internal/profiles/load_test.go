package profiles

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/emulator/emutest"
	"github.com/p2c/p2c/internal/target"
)

const loadDomainName = "p2c-load"

// loadEnv is an emulator holding a domain with the object type p2c's plan
// creates (the keys and creation flag the loader relies on).
type loadEnv struct {
	emu *emulator.Emulator
	url string
	c   *target.Client
}

func newLoadEnv(t testing.TB) *loadEnv {
	t.Helper()
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	env := &loadEnv{emu: e, url: srv.URL, c: target.NewClient(emutest.Config(srv.URL))}
	env.c.Sleep = func(time.Duration) {}
	env.setup(t)
	return env
}

func (e *loadEnv) setup(t testing.TB) {
	t.Helper()
	f := func(name string) map[string]any {
		return map[string]any{"Source": "_source." + name, "ContentType": "STRING"}
	}
	for _, c := range []struct {
		op string
		in map[string]any
	}{
		{"CreateDomain", map[string]any{"DomainName": loadDomainName, "DefaultExpirationDays": 1098}},
		{"PutProfileObjectType", map[string]any{"DomainName": loadDomainName, "ObjectTypeName": "PinpointEndpoint",
			"Description": "endpoints", "AllowProfileCreation": true,
			"Fields": map[string]any{"ProfileKey": f("ProfileKey"), "EndpointId": f("EndpointId"), "Metrics_visits": f("Metrics_visits")},
			"Keys": map[string]any{
				"PinpointProfileKey": []any{map[string]any{"StandardIdentifiers": []any{"PROFILE"}, "FieldNames": []any{"ProfileKey"}}},
				"PinpointEndpointId": []any{map[string]any{"StandardIdentifiers": []any{"UNIQUE"}, "FieldNames": []any{"EndpointId"}}},
			}}},
	} {
		if _, err := e.c.Call(context.Background(), "customer-profiles", "us-east-1", c.op, c.in); err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
	}
}

func (e *loadEnv) opts(dir string, from ...string) LoadOptions {
	return LoadOptions{From: from, JournalDir: filepath.Join(dir, "journal"), Region: "us-east-1", Domain: loadDomainName,
		Client: e.c, Method: MethodAPI, Rate: 100_000, PollInterval: 5 * time.Millisecond}
}

// testRecords makes n records: users with 1 to 4 endpoints (objects),
// endpoint-only profiles, some without any contact field, attribute values
// with the list escapes.
func testRecords(n int) []Record {
	recs := make([]Record, 0, n)
	for i := range n {
		key := fmt.Sprintf("user-%05d", i)
		if i%4 == 3 {
			key = fmt.Sprintf("ep-%05d", i)
		}
		neps := 1
		if !strings.HasPrefix(key, "ep-") {
			neps = 1 + i%4
		}
		r := Record{ProfileKey: key}
		for j := range neps {
			id := fmt.Sprintf("%s-e%d", key, j)
			r.EndpointIds = append(r.EndpointIds, id)
			r.Sources = append(r.Sources, fmt.Sprintf("export.json.gz:%d", i*4+j+1))
			r.Objects = append(r.Objects, map[string]string{"ProfileKey": key, "EndpointId": id, "ChannelType": "EMAIL",
				"EndpointStatus": "ACTIVE", "OptOut": "NONE", "EffectiveDate": "2024-05-01T10:00:00Z", "Metrics_visits": fmt.Sprint(i + j)})
		}
		attrs := map[string]string{"Channels": "EMAIL", "tier": []string{"gold", "silver", "bronze"}[i%3],
			"interests": `a\,b,c\\d`}
		if !strings.HasPrefix(key, "ep-") {
			attrs["UserId"] = key
		}
		r.Profile.Attributes = attrs
		if i%5 != 0 {
			r.Profile.EmailAddress = fmt.Sprintf("u%d@example.com", i)
		}
		if i%2 == 0 {
			r.Profile.MobilePhoneNumber = fmt.Sprintf("+1555%07d", i)
		}
		if i%3 == 0 {
			r.Profile.Address = &Address{City: "Lyon", Country: "FR", PostalCode: fmt.Sprint(69000 + i%10)}
		}
		recs = append(recs, r)
	}
	return recs
}

// wantProfile is the stored form of a record's profile.
func wantProfile(r Record) map[string]any {
	m := map[string]any{}
	for k, v := range map[string]string{"EmailAddress": r.Profile.EmailAddress, "MobilePhoneNumber": r.Profile.MobilePhoneNumber, "PhoneNumber": r.Profile.PhoneNumber} {
		if v != "" {
			m[k] = v
		}
	}
	if a := r.Profile.Address; a != nil {
		am := map[string]any{}
		for k, v := range map[string]string{"City": a.City, "Country": a.Country, "PostalCode": a.PostalCode, "State": a.State} {
			if v != "" {
				am[k] = v
			}
		}
		m["Address"] = am
	}
	if len(r.Profile.Attributes) > 0 {
		am := map[string]any{}
		for k, v := range r.Profile.Attributes {
			am[k] = v
		}
		m["Attributes"] = am
	}
	return m
}

// domainState is the domain's profiles by key (ProfileId left out), with
// the objects of each. A key held by two profiles fails the test.
func (e *loadEnv) domainState(t testing.TB) (map[string]map[string]any, map[string]int) {
	t.Helper()
	state, objs := map[string]map[string]any{}, map[string]int{}
	for _, p := range e.emu.Profiles.Profiles("us-east-1", loadDomainName) {
		keys := p.Keys["PinpointProfileKey"]
		if len(keys) != 1 {
			t.Fatalf("profile %s has profile keys %v, want exactly one", p.ProfileId, keys)
		}
		if state[keys[0]] != nil {
			t.Fatalf("profile key %s is held by two profiles", keys[0])
		}
		m := p.Profile
		delete(m, "ProfileId")
		state[keys[0]] = m
		objs[keys[0]] = p.Objects["PinpointEndpoint"]
	}
	return state, objs
}

// checkDomain asserts that the domain holds exactly the records' profiles,
// field by field, with their objects when withObjects.
func (e *loadEnv) checkDomain(t testing.TB, recs []Record, withObjects bool) {
	t.Helper()
	state, objs := e.domainState(t)
	if len(state) != len(recs) {
		t.Fatalf("domain holds %d profiles, want %d", len(state), len(recs))
	}
	for _, r := range recs {
		got := state[r.ProfileKey]
		if got == nil {
			t.Fatalf("no profile for key %s", r.ProfileKey)
		}
		if want := wantProfile(r); !reflect.DeepEqual(got, want) {
			t.Fatalf("profile %s:\n got %v\nwant %v", r.ProfileKey, got, want)
		}
		want := len(r.Objects)
		if !withObjects {
			want = 0
		}
		if objs[r.ProfileKey] != want {
			t.Fatalf("profile %s has %d objects, want %d", r.ProfileKey, objs[r.ProfileKey], want)
		}
	}
}

func writeTestRecords(t testing.TB, path string, recs []Record) {
	t.Helper()
	if err := WriteRecords(path, recs); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t testing.TB, opts LoadOptions) *LoadSummary {
	t.Helper()
	sum, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if sum.Failed != 0 {
		t.Fatalf("load: %d failed: %+v", sum.Failed, sum.Failures[:min(len(sum.Failures), 5)])
	}
	return sum
}

func TestLoadAPI(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(300)
	// Two files: a folder of a transform's shard outputs.
	writeTestRecords(t, filepath.Join(dir, "profiles.shard-1-of-2.jsonl.gz"), recs[:170])
	writeTestRecords(t, filepath.Join(dir, "profiles.shard-2-of-2.jsonl.gz"), recs[170:])
	sum := mustLoad(t, env.opts(dir, dir))
	objects := 0
	for _, r := range recs {
		objects += len(r.Objects)
	}
	if sum.Records != 300 || sum.Loaded != 300 || sum.Objects != int64(objects) || sum.Skipped != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.Calls["PutProfileObject"] != int64(objects) || sum.Calls["SearchProfiles"] != 300 || sum.Calls["UpdateProfile"] != 300 {
		t.Fatalf("calls %v", sum.Calls)
	}
	env.checkDomain(t, recs, true)
	before, _ := env.domainState(t)

	// Resumed: everything is behind the checkpoint.
	again := mustLoad(t, env.opts(dir, dir))
	if again.Skipped != 300 || again.Loaded != 0 || len(again.Calls) != 2 { // GetDomain, GetProfileObjectType
		t.Fatalf("re-run summary %+v", again)
	}
	// A fresh journal redoes every record: upserts, no duplicate.
	opts := env.opts(dir, dir)
	opts.JournalDir = filepath.Join(dir, "journal2")
	if s := mustLoad(t, opts); s.Loaded != 300 {
		t.Fatalf("fresh-journal run %+v", s)
	}
	env.checkDomain(t, recs, true)
	if after, _ := env.domainState(t); !reflect.DeepEqual(before, after) {
		t.Fatal("re-running the load changed the domain")
	}

	// The journal is for this domain only.
	opts = env.opts(dir, dir)
	opts.Domain = "other"
	if _, err := Load(context.Background(), opts); err == nil || !strings.Contains(err.Error(), `"p2c-load"`) || !strings.Contains(err.Error(), `"other"`) {
		t.Fatalf("journal of another domain: %v", err)
	}
}

func TestLoadUpload(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(300)
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	opts := env.opts(dir, dir)
	opts.Method, opts.ChunkRecords = MethodUpload, 120
	sum := mustLoad(t, opts)
	if len(sum.UploadJobs) != 3 || sum.Loaded != 300 || sum.Note == "" {
		t.Fatalf("summary %+v", sum)
	}
	for _, u := range sum.UploadJobs {
		if u.Status != "SUCCEEDED" || u.JobId == "" {
			t.Fatalf("job %+v", u)
		}
	}
	env.checkDomain(t, recs, false)
	// Resumed: every chunk's job succeeded.
	again := mustLoad(t, opts)
	if again.Skipped != 300 || again.Calls["CreateUploadJob"] != 0 {
		t.Fatalf("re-run %+v", again)
	}
	// The API method over the upload's profiles finds them by key.
	api := env.opts(dir, dir)
	api.JournalDir = filepath.Join(dir, "journal-api")
	mustLoad(t, api)
	env.checkDomain(t, recs, true)
}

func TestLoadShards(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(200)
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	var other int64
	for i := 1; i <= 2; i++ {
		opts := env.opts(dir, dir)
		opts.Shard = Shard{I: i, N: 2}
		s := mustLoad(t, opts)
		if s.Loaded == 0 || s.Loaded+s.OtherShard != 200 {
			t.Fatalf("shard %d: %+v", i, s)
		}
		other += s.OtherShard
		if _, err := os.Stat(filepath.Join(dir, "journal", fmt.Sprintf("load.shard-%d-of-2.db", i))); err != nil {
			t.Fatal(err)
		}
	}
	if other != 200 {
		t.Fatalf("other-shard records %d, want 200", other)
	}
	env.checkDomain(t, recs, true)
}

// Real quotas, 20% server errors: same end state, no duplicate.
func TestLoadFaults(t *testing.T) {
	env := newLoadEnv(t)
	env.emu.SetOptions(emulator.Options{Quotas: true, ErrorRate: 0.2})
	dir := t.TempDir()
	recs := testRecords(150)
	for i := range recs {
		recs[i].Objects = recs[i].Objects[:1] // 1.5 s of PutProfileObject quota
	}
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	opts := env.opts(dir, dir)
	opts.Rate = 100
	var sum *LoadSummary
	// A record whose call fails 8 times running (0.2^8 per call) is
	// listed; the next run retries it.
	for run := 0; run < 3; run++ {
		s, err := Load(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		sum = s
		if s.Failed == 0 {
			break
		}
	}
	if sum.Failed != 0 {
		t.Fatalf("failures remain: %+v", sum.Failures)
	}
	env.checkDomain(t, recs, true)
}

// Asked for more than the quota, the controller backs off and every record
// still lands once.
func TestLoadThrottled(t *testing.T) {
	env := newLoadEnv(t)
	env.emu.SetOptions(emulator.Options{Quotas: true})
	dir := t.TempDir()
	recs := testRecords(220) // the first 100 fit in the quota's burst
	for i := range recs {
		recs[i].Objects = recs[i].Objects[:1]
	}
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	opts := env.opts(dir, dir)
	opts.Rate = 400
	sum := mustLoad(t, opts)
	if sum.Throttled["PutProfileObject"] == 0 {
		t.Fatalf("no throttling at 3x the quota: %+v", sum)
	}
	env.checkDomain(t, recs, true)
}

func TestLoadBadLines(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(5)
	path := filepath.Join(dir, "profiles.jsonl.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	fmt.Fprintln(zw, `{"ProfileKey":"user-00000","EndpointIds":["user-00000-e0"],"Profile":{"Attributes":{"tier":"gold"}}}`)
	fmt.Fprintln(zw, `{"ProfileKey": "truncated`)
	fmt.Fprintln(zw, ``)
	fmt.Fprintln(zw, `[1,2]`)
	zw.Close()
	f.Close()
	sum, err := Load(context.Background(), env.opts(dir, path))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Loaded != 1 || sum.Failed != 2 || len(sum.Failures) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	sort.Slice(sum.Failures, func(i, j int) bool { return sum.Failures[i].Line < sum.Failures[j].Line })
	if f := sum.Failures[0]; f.Line != 2 || f.File != path || !strings.Contains(f.Error, "not a profile record") {
		t.Fatalf("failure %+v", f)
	}
	if sum.Failures[1].Line != 4 {
		t.Fatalf("failure %+v", sum.Failures[1])
	}
	// The failures stay listed in the journal and are tried again.
	again, err := Load(context.Background(), env.opts(dir, path))
	if err != nil || again.Failed != 2 || again.Skipped != 1 {
		t.Fatalf("re-run: %v %+v", err, again)
	}
	_ = recs
}

func TestLoadPreflight(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), testRecords(1))
	opts := env.opts(dir, dir)
	opts.Domain = "missing"
	if _, err := Load(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "p2c apply") {
		t.Fatalf("missing domain: %v", err)
	}
	opts = env.opts(dir, dir)
	opts.JournalDir = filepath.Join(dir, "j2")
	opts.ObjectType = "Other"
	if _, err := Load(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "object type Other") {
		t.Fatalf("missing object type: %v", err)
	}
}

// The aws CLI reads a loaded profile back: the wire format is the real one.
func TestLoadCLIReadBack(t *testing.T) {
	emutest.RequireCLI(t)
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(8)
	writeTestRecords(t, filepath.Join(dir, "profiles.jsonl.gz"), recs)
	mustLoad(t, env.opts(dir, dir))
	r := recs[6]
	out, _ := emutest.CLI(t, env.url, "customer-profiles", "search-profiles", "--domain-name", loadDomainName,
		"--key-name", "PinpointProfileKey", "--values", r.ProfileKey).(map[string]any)
	items, _ := out["Items"].([]any)
	if len(items) != 1 {
		t.Fatalf("search-profiles: %v", out)
	}
	p := items[0].(map[string]any)
	attrs, _ := p["Attributes"].(map[string]any)
	if p["EmailAddress"] != r.Profile.EmailAddress || p["MobilePhoneNumber"] != r.Profile.MobilePhoneNumber ||
		attrs["interests"] != `a\,b,c\\d` || attrs["UserId"] != r.ProfileKey {
		t.Fatalf("profile read back by the aws CLI: %v", p)
	}
}

// An upload job the journal holds as CREATED (the run stopped before the
// PUT or the start) is sent and started; one held as IN_PROGRESS is
// polled, not sent again.
func TestLoadUploadResume(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(40)
	path := filepath.Join(dir, "profiles.jsonl.gz")
	writeTestRecords(t, path, recs)
	opts := env.opts(dir, dir)
	opts.Method, opts.ChunkRecords = MethodUpload, 20

	// First chunk: a job created but never sent. Second: a job sent and
	// started by the run that stopped.
	l := &loader{opts: opts, client: env.c, ctls: map[string]*rateController{}, sum: &LoadSummary{Calls: map[string]int64{}, Throttled: map[string]int64{}}}
	l.opts.HTTP = http.DefaultClient
	j, err := openLoadJournal(opts.JournalDir, Shard{})
	if err != nil {
		t.Fatal(err)
	}
	l.j = j
	ctx := context.Background()
	abs, _ := filepath.Abs(path)
	mk := func(from int64, start bool) string {
		c := &chunk{path: abs, from: from, to: from + 19, attrs: map[string]bool{}}
		f, err := os.CreateTemp(dir, "spool")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		c.spool, c.bw = f, bufio.NewWriter(f)
		c.enc = json.NewEncoder(c.bw)
		for _, r := range recs[from-1 : from+19] {
			c.records++
			for k := range r.Profile.Attributes {
				c.attrs[k] = true
			}
			c.enc.Encode(r)
		}
		fields, _ := l.uploadFields(c)
		out, err := l.call(ctx, "CreateUploadJob", map[string]any{"DomainName": loadDomainName, "DisplayName": displayName(c),
			"Fields": fields, "UniqueKey": ProfileKeyName, "DataExpiry": uploadExpiryDays})
		if err != nil {
			t.Fatal(err)
		}
		id := out["JobId"].(string)
		st := "CREATED"
		if start {
			if err := l.sendCSV(ctx, c, id); err != nil {
				t.Fatal(err)
			}
			if _, err := l.call(ctx, "StartUploadJob", map[string]any{"DomainName": loadDomainName, "JobId": id}); err != nil {
				t.Fatal(err)
			}
			st = "IN_PROGRESS"
		}
		if err := j.saveUpload(ctx, UploadJob{File: abs, FromLine: from, ToLine: from + 19, JobId: id, Status: st}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	id1, id2 := mk(1, false), mk(21, true)
	j.Close()

	sum := mustLoad(t, opts)
	if sum.Calls["CreateUploadJob"] != 0 || sum.Calls["StartUploadJob"] != 1 || sum.Calls["GetUploadJobPath"] != 1 {
		t.Fatalf("calls %v", sum.Calls)
	}
	if len(sum.UploadJobs) != 2 || sum.UploadJobs[0].JobId != id1 || sum.UploadJobs[1].JobId != id2 {
		t.Fatalf("jobs %+v", sum.UploadJobs)
	}
	env.checkDomain(t, recs, false)
}

// A load shard given the folder of a transform sharded the same way reads
// only its own file.
func TestLoadShardReadsOwnFile(t *testing.T) {
	env := newLoadEnv(t)
	dir := t.TempDir()
	recs := testRecords(60)
	var parts [2][]Record
	for _, r := range recs {
		for i := range parts {
			if (Shard{I: i + 1, N: 2}).Has(r.ProfileKey) {
				parts[i] = append(parts[i], r)
			}
		}
	}
	for i, p := range parts {
		writeTestRecords(t, filepath.Join(dir, Shard{I: i + 1, N: 2}.FileName(ProfilesFile)), p)
	}
	opts := env.opts(dir, dir)
	opts.Shard = Shard{I: 1, N: 2}
	s := mustLoad(t, opts)
	if s.Records != int64(len(parts[0])) || s.OtherShard != 0 || s.Loaded != int64(len(parts[0])) {
		t.Fatalf("shard 1 read %d records (%d of other shards), loaded %d; want only its %d", s.Records, s.OtherShard, s.Loaded, len(parts[0]))
	}
	env.checkDomain(t, parts[0], true)
}
