package profiles

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/klauspost/compress/gzip"

	"github.com/p2c/p2c/internal/emulator/core"
	"github.com/p2c/p2c/internal/emulator/emutest"
	emus3 "github.com/p2c/p2c/internal/emulator/s3"
	"github.com/p2c/p2c/internal/source/saved"
)

// ep is a small hand-made export line.
func ep(id, user, ch, addr, date string) string {
	u := ""
	if user != "" {
		u = `,"User":{"UserId":"` + user + `"}`
	}
	return `{"Id":"` + id + `","ChannelType":"` + ch + `","Address":"` + addr + `","EndpointStatus":"ACTIVE","OptOut":"NONE","EffectiveDate":"` + date + `"` + u + `}`
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func lines(ls ...string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

// outputs runs Transform and returns its output files by name.
func runTransform(t *testing.T, opts TransformOptions) (*Summary, map[string][]byte) {
	t.Helper()
	if opts.Out == "" {
		opts.Out = t.TempDir()
	}
	sum, err := Transform(context.Background(), opts)
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	return sum, readOut(t, opts.Out)
}

func readOut(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		if e.IsDir() {
			t.Errorf("output folder keeps %s", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func records(t *testing.T, gzData []byte) []Record {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gzData))
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("record: %v\n%s", err, sc.Bytes())
		}
		out = append(out, r)
	}
	return out
}

func rejects(t *testing.T, data []byte) []Reject {
	t.Helper()
	var out []Reject
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var r Reject
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("reject: %v\n%s", err, l)
		}
		out = append(out, r)
	}
	return out
}

// testExport writes a generated export split over a gzip and a plain
// file, with bad lines and duplicates mixed in.
func testExport(t *testing.T, dir string, n int) []string {
	t.Helper()
	var b bytes.Buffer
	if err := genExport(&b, n, 7); err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimSpace(b.String()), "\n")
	half := len(all) / 2
	first := append([]string{}, all[:half]...)
	second := append([]string{}, all[half:]...)
	// Bad lines, blank lines, and an id seen again later with another user.
	first = append(first, `{"Id":`, "", `not json`, `{"ChannelType":"EMAIL","Address":"x@example.com"}`,
		`{"Id":"bad-ch","ChannelType":"PIGEON","Address":"x"}`, `{"Id":"mixed","ChannelType":"email","Address":"Mixed@Example.COM","EndpointStatus":"active"}`)
	second = append(second, ep("ep-3", "someone-else", "EMAIL", "late@example.com", "2030-01-01T00:00:00Z"),
		ep("ep-5", "", "SMS", "+12065550100", "2000-01-01T00:00:00Z"))
	return []string{
		writeFile(t, filepath.Join(dir, "a.jsonl.gz"), gz(t, lines(first...))),
		writeFile(t, filepath.Join(dir, "b.jsonl"), lines(second...)),
	}
}

func TestTransformDeterministic(t *testing.T) {
	in := testExport(t, t.TempDir(), 3000)
	sum1, out1 := runTransform(t, TransformOptions{From: in, Workers: 1, MemoryBytes: 64 << 20})

	old := maxFanIn
	maxFanIn = 3 // many runs: exercise the intermediate merges
	defer func() { maxFanIn = old }()
	sum2, out2 := runTransform(t, TransformOptions{From: in, Workers: 4, MemoryBytes: 40 << 10})

	if len(out1) != 3 {
		t.Fatalf("outputs %v, want profiles, rejects and summary", mapsKeys(out1))
	}
	for name, b := range out1 {
		if !bytes.Equal(b, out2[name]) {
			t.Errorf("%s differs between Workers=1/64 MiB and Workers=4/40 KiB", name)
		}
	}
	if sum1.Lines != 3000+7 || sum2.Lines != sum1.Lines {
		t.Errorf("lines = %d, %d; want 3007", sum1.Lines, sum2.Lines)
	}
	if sum1.Rejected < 5 || sum1.Duplicates != 2 || sum1.Repaired < 1 {
		t.Errorf("summary: rejected %d duplicates %d repaired %d", sum1.Rejected, sum1.Duplicates, sum1.Repaired)
	}
	recs := records(t, out1[ProfilesFile])
	if int64(len(recs)) != sum1.Profiles || sum1.Merged != sum1.Endpoints-sum1.Profiles || sum1.Merged == 0 {
		t.Errorf("records %d, summary %+v", len(recs), sum1)
	}
	for i := 1; i < len(recs); i++ {
		if recs[i-1].ProfileKey >= recs[i].ProfileKey {
			t.Fatalf("records out of key order: %q then %q", recs[i-1].ProfileKey, recs[i].ProfileKey)
		}
	}
	rs := rejects(t, out1[RejectsFile])
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		if a.File > b.File || a.File == b.File && a.Line > b.Line {
			t.Fatalf("rejects out of line order: %s:%d then %s:%d", a.File, a.Line, b.File, b.Line)
		}
	}
	var s Summary
	if err := json.Unmarshal(out1[SummaryFile], &s); err != nil || s.Profiles != sum1.Profiles {
		t.Errorf("summary.json: %v %+v", err, s)
	}
}

func mapsKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestTransformDuplicates(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, filepath.Join(dir, "a.jsonl"), lines(
		ep("e1", "u1", "EMAIL", "one@example.com", "2024-01-01T00:00:00Z"),
		ep("e2", "u1", "EMAIL", "two@example.com", "2024-01-01T00:00:00Z"),
		ep("e2", "u1", "EMAIL", "two-b@example.com", "2024-01-01T00:00:00Z"),
		ep("e3", "", "EMAIL", "three@example.com", "2024-05-01T00:00:00Z"),
	))
	b := writeFile(t, filepath.Join(dir, "b.jsonl"), lines(
		ep("e1", "u2", "EMAIL", "one-later@example.com", "2024-02-01T00:00:00Z"),
		ep("e3", "", "EMAIL", "three-old@example.com", "2024-04-01T00:00:00Z"),
	))
	sum, out := runTransform(t, TransformOptions{From: []string{a, b}})
	recs := records(t, out[ProfilesFile])
	got := map[string][]string{}
	for _, r := range recs {
		got[r.ProfileKey] = r.EndpointIds
	}
	// e1 moves to u2 (later date, other file); e2's later line wins the
	// tie; e3's earlier line wins on date.
	want := map[string][]string{"u1": {"e2"}, "u2": {"e1"}, "e3": {"e3"}}
	if !equalMap(got, want) {
		t.Errorf("profiles %v, want %v", got, want)
	}
	for _, r := range recs {
		if r.ProfileKey == "u1" && r.Profile.EmailAddress != "two-b@example.com" {
			t.Errorf("u1 email %q, want the later line's", r.Profile.EmailAddress)
		}
		if r.ProfileKey == "e3" && r.Profile.EmailAddress != "three@example.com" {
			t.Errorf("e3 email %q, want the later date's", r.Profile.EmailAddress)
		}
	}
	var dups []string
	for _, r := range rejects(t, out[RejectsFile]) {
		if strings.HasPrefix(r.Reason, "duplicate endpoint id") {
			dups = append(dups, filepath.Base(r.File)+":"+itoa(int(r.Line))+" "+strings.ReplaceAll(r.Reason, dir+"/", ""))
		}
	}
	wantDups := []string{
		"a.jsonl:1 duplicate endpoint id: superseded by b.jsonl:1",
		"a.jsonl:2 duplicate endpoint id: superseded by a.jsonl:3",
		"b.jsonl:2 duplicate endpoint id: superseded by a.jsonl:4",
	}
	if !slices.Equal(dups, wantDups) {
		t.Errorf("duplicate rejects\n%q\nwant\n%q", dups, wantDups)
	}
	if sum.Duplicates != 3 || sum.Endpoints != 3 || sum.Profiles != 3 || sum.Rejected != 3 {
		t.Errorf("summary %+v", sum)
	}
}

func equalMap(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestTransformShards(t *testing.T) {
	in := testExport(t, t.TempDir(), 1500)
	whole, out := runTransform(t, TransformOptions{From: in})
	keys := map[string]bool{}
	for _, r := range records(t, out[ProfilesFile]) {
		keys[r.ProfileKey] = true
	}
	wantRejects := len(rejects(t, out[RejectsFile]))
	seen := map[string]int{}
	var profiles, rejected int64
	nrej := 0
	dir := t.TempDir()
	for i := 1; i <= 3; i++ {
		sh := Shard{I: i, N: 3}
		sum, out := runTransform(t, TransformOptions{From: in, Shard: sh, Out: dir})
		profiles += sum.Profiles
		rejected += sum.Rejected
		for _, r := range records(t, out[sh.FileName(ProfilesFile)]) {
			seen[r.ProfileKey]++
			if !sh.Has(r.ProfileKey) {
				t.Errorf("shard %d holds %q", i, r.ProfileKey)
			}
		}
		nrej += len(rejects(t, out[sh.FileName(RejectsFile)]))
	}
	for k, n := range seen {
		if n != 1 || !keys[k] {
			t.Errorf("key %q in %d shards (in the whole: %v)", k, n, keys[k])
		}
	}
	if len(seen) != len(keys) || profiles != whole.Profiles || rejected != whole.Rejected || nrej != wantRejects {
		t.Errorf("shards: %d keys %d profiles %d rejected %d rejects; whole: %d %d %d %d",
			len(seen), profiles, rejected, nrej, len(keys), whole.Profiles, whole.Rejected, wantRejects)
	}
}

func TestTransformInputs(t *testing.T) {
	dir := t.TempDir()
	// A multi-member gzip file (as concatenated exports are), a nested
	// folder, blank lines, CRLF, an empty file and a line over 1 MiB.
	multi := append(gz(t, lines(ep("m1", "", "EMAIL", "m1@example.com", "2024-01-01T00:00:00Z"))),
		gz(t, lines("", ep("m2", "", "EMAIL", "m2@example.com", "2024-01-01T00:00:00Z")))...)
	writeFile(t, filepath.Join(dir, "in", "1-multi.gz"), multi)
	writeFile(t, filepath.Join(dir, "in", "2-sub", "x.jsonl"), []byte(ep("p1", "", "EMAIL", "p1@example.com", "2024-01-01T00:00:00Z")+"\r\n\r\n"+
		`{"Id":"long","ChannelType":"EMAIL","Address":"`+strings.Repeat("a", maxLine)+`"}`+"\n"+
		ep("p2", "", "EMAIL", "p2@example.com", "2024-01-01T00:00:00Z")))
	writeFile(t, filepath.Join(dir, "in", "3-empty.jsonl"), nil)
	var progress bytes.Buffer
	sum, out := runTransform(t, TransformOptions{From: []string{filepath.Join(dir, "in")}, Progress: &progress})
	var ids []string
	for _, r := range records(t, out[ProfilesFile]) {
		ids = append(ids, r.EndpointIds...)
	}
	if !slices.Equal(ids, []string{"m1", "m2", "p1", "p2"}) {
		t.Errorf("endpoints %v", ids)
	}
	rs := rejects(t, out[RejectsFile])
	if len(rs) != 1 || rs[0].Line != 3 || !strings.Contains(rs[0].Reason, "longer than") || len(rs[0].Input) > maxInput+8 {
		t.Errorf("rejects %+v", rs)
	}
	if len(sum.Inputs) != 3 || sum.Inputs[0].Lines != 2 || sum.Inputs[1].Lines != 3 || sum.Inputs[2].Lines != 0 {
		t.Errorf("inputs %+v", sum.Inputs)
	}
	if n := strings.Count(progress.String(), "\n"); n != 4 {
		t.Errorf("progress has %d lines, want one per input and a final one:\n%s", n, progress.String())
	}
	st, err := os.Stat(filepath.Join(dir, "in"))
	if err != nil || st.Mode().Perm() == 0 {
		t.Fatal(err)
	}

	// A file that is not an export stops the transform and is named.
	bad := writeFile(t, filepath.Join(dir, "bad", "notes.txt"), []byte("hello\n"))
	_, err = Transform(context.Background(), TransformOptions{From: []string{filepath.Dir(bad)}, Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("err = %v, want one naming %s", err, bad)
	}
}

func TestTransformOutputModes(t *testing.T) {
	in := writeFile(t, filepath.Join(t.TempDir(), "a.jsonl"), lines(ep("e1", "", "EMAIL", "a@example.com", "2024-01-01T00:00:00Z")))
	out := filepath.Join(t.TempDir(), "out")
	runTransform(t, TransformOptions{From: []string{in}, Out: out})
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("out mode %v %v", st.Mode(), err)
	}
	for _, n := range []string{ProfilesFile, RejectsFile, SummaryFile} {
		st, err := os.Stat(filepath.Join(out, n))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", n, err, st)
		}
	}
}

// TestTransformResumeOptions: a temp folder left by a run with other
// options is started over, with a note.
func TestTransformResumeOptions(t *testing.T) {
	in := testExport(t, t.TempDir(), 200)
	out := t.TempDir()
	_, want := runTransform(t, TransformOptions{From: in, Out: t.TempDir()})
	work := filepath.Join(out, ".work")
	m := manifest{Version: manifestVersion, Options: "other", Commits: []commit{{Inputs: []doneInput{{input: input{Name: in[0]}}}, Runs: []string{"run-0000001"}}}}
	b, _ := json.Marshal(m)
	writeFile(t, filepath.Join(work, manifestName), b)
	writeFile(t, filepath.Join(work, "run-0000001"), []byte("garbage"))
	var progress bytes.Buffer
	_, got := runTransform(t, TransformOptions{From: in, Out: out, Progress: &progress})
	if !strings.Contains(progress.String(), "starting over") {
		t.Errorf("no note:\n%s", progress.String())
	}
	for name := range want {
		if !bytes.Equal(want[name], got[name]) {
			t.Errorf("%s differs", name)
		}
	}
}

func TestTransformS3(t *testing.T) {
	obj := emus3.New()
	if err := obj.CreateBucket("exports"); err != nil {
		t.Fatal(err)
	}
	put := func(key string, data []byte) {
		if err := obj.PutObject("exports", key, data); err != nil {
			t.Fatal(err)
		}
	}
	put("app/2/part-2.gz", gz(t, lines(ep("s2", "u", "SMS", "+12065550101", "2024-01-01T00:00:00Z"))))
	put("app/1/part-1", lines(ep("s1", "u", "EMAIL", "s1@example.com", "2024-01-01T00:00:00Z")))
	put("other/x", []byte("not an export"))
	url := emutest.Serve(t, core.NewServer(core.Options{}, obj))
	client := awss3.NewFromConfig(emutest.Config(url), func(o *awss3.Options) { o.UsePathStyle = true })
	sum, out := runTransform(t, TransformOptions{From: []string{"s3://exports/app/"}, S3: saved.S3Store{Client: client}})
	recs := records(t, out[ProfilesFile])
	if len(recs) != 1 || !slices.Equal(recs[0].EndpointIds, []string{"s1", "s2"}) {
		t.Fatalf("records %+v", recs)
	}
	if !slices.Equal(recs[0].Sources, []string{"s3://exports/app/1/part-1:1", "s3://exports/app/2/part-2.gz:1"}) {
		t.Errorf("sources %v", recs[0].Sources)
	}
	if len(sum.Inputs) != 2 || sum.Inputs[0].Name != "s3://exports/app/1/part-1" {
		t.Errorf("inputs %+v", sum.Inputs)
	}
}

// TestTransformGroupCap: a key over maxGroup endpoints keeps the first
// maxGroup and rejects the rest with a reason.
func TestTransformGroupCap(t *testing.T) {
	old := maxGroup
	maxGroup = 3
	defer func() { maxGroup = old }()
	var ls []string
	for i := range 5 {
		ls = append(ls, ep("c"+itoa(i), "shared", "EMAIL", "c"+itoa(i)+"@example.com", "2024-01-01T00:00:00Z"))
	}
	in := writeFile(t, filepath.Join(t.TempDir(), "a.jsonl"), lines(ls...))
	sum, out := runTransform(t, TransformOptions{From: []string{in}})
	recs := records(t, out[ProfilesFile])
	if len(recs) != 1 || len(recs[0].EndpointIds) != 3 {
		t.Fatalf("records %+v", recs)
	}
	rs := rejects(t, out[RejectsFile])
	if len(rs) != 2 || !strings.Contains(rs[0].Reason, "more than 3 endpoints") || sum.Rejected != 2 {
		t.Errorf("rejects %+v", rs)
	}
}

var _ = io.EOF
