package saved

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/inventory"
)

const corpusDir = "../../../../shared/corpus/pinpoint"

func corpus(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the Pinpoint corpus is not at %s (it lives in the shared folder beside the repository): %v", corpusDir, err)
	}
	return corpusDir
}

// TestCorpusEveryFileAccountedFor: every corpus file is read into a
// fragment, or skipped with a stated reason, or (documentation written as
// pseudo-JSON) named in a warning with its line.
func TestCorpusEveryFileAccountedFor(t *testing.T) {
	dir := corpus(t)
	res, err := Load(context.Background(), []string{dir}, Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	accounted := map[string]string{}
	for _, s := range res.Skipped {
		if s.Reason == "" {
			t.Errorf("%s skipped without a reason", s.File)
		}
		accounted[s.File] = "skipped: " + s.Reason
	}
	for _, f := range res.Fragments {
		for _, src := range f.Sources {
			for _, name := range strings.Split(src.Detail, ", ") {
				accounted[name] = "read as " + src.Kind
			}
		}
		for _, r := range f.Regions {
			for _, a := range r.Apps {
				for _, p := range a.Provenance {
					accounted[p.Source] = "read as " + p.Kind
				}
			}
			for _, tpl := range r.Templates {
				for _, p := range tpl.Provenance {
					accounted[p.Source] = "read as " + p.Kind
				}
			}
		}
	}
	pseudo := regexp.MustCompile(`\.pseudojson$`)
	for _, w := range res.Warnings {
		if w.File != "" && pseudo.MatchString(w.File) && strings.Contains(w.Message, "malformed JSON: line ") {
			accounted[w.File] = "warned: " + w.Message
		}
	}
	var missing []string
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(path, "LICENSES") || strings.HasSuffix(path, "SOURCES.md") {
			return nil
		}
		if _, ok := accounted[path]; !ok {
			missing = append(missing, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("corpus file neither read nor skipped with a reason: %s", m)
	}
	if res.Files == 0 {
		t.Fatal("no files read")
	}
}

var (
	cfnTypeRE = regexp.MustCompile(`(?m)Type:\s*"?(AWS::Pinpoint(?:Email)?::\w+)`)
	cfnJSONRE = regexp.MustCompile(`"Type"\s*:\s*"(AWS::Pinpoint(?:Email)?::\w+)"`)
	tfTypeRE  = regexp.MustCompile(`(?m)^resource\s+"(aws_pinpoint\w*)"\s+"(\w+)"`)
)

// TestCorpusEveryIaCResourceInInventory cross-checks the loaders with a
// plain text search of the corpus: every AWS::Pinpoint::* and aws_pinpoint_*
// resource declared appears, with its provenance, in the merged inventory.
func TestCorpusEveryIaCResourceInInventory(t *testing.T) {
	dir := corpus(t)
	want := map[string]int{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || e.IsDir() {
			continue
		}
		for _, m := range cfnTypeRE.FindAllStringSubmatch(string(data), -1) {
			want[m[1]]++
		}
		for _, m := range cfnJSONRE.FindAllStringSubmatch(string(data), -1) {
			want[m[1]]++
		}
		for _, m := range tfTypeRE.FindAllStringSubmatch(string(data), -1) {
			want[m[1]]++
		}
	}
	if len(want) == 0 {
		t.Fatal("the corpus declares no IaC resources?")
	}
	res, err := Load(context.Background(), []string{dir}, Options{DefaultRegion: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	inv := inventory.Merge(res.Fragments)
	got := map[string]map[string]bool{} // type -> addresses seen
	note := func(ps []inventory.Provenance) {
		for _, p := range ps {
			if p.Kind == KindCloudFormation || p.Kind == KindTerraform {
				if got[p.Operation] == nil {
					got[p.Operation] = map[string]bool{}
				}
				got[p.Operation][p.Source+"#"+p.Address] = true
			}
		}
	}
	for _, r := range inv.Regions {
		for _, a := range r.Apps {
			note(a.Provenance)
			for _, s := range a.Segments {
				note(s.Provenance)
			}
			for _, c := range a.Campaigns {
				note(c.Provenance)
			}
		}
		for _, tpl := range r.Templates {
			note(tpl.Provenance)
		}
		for _, o := range r.PinpointEmail {
			note(o.Provenance)
		}
		for _, o := range r.EUM.PhoneNumbers {
			note(o.Provenance)
		}
		for _, o := range r.EUM.OptOutLists {
			note(o.Provenance)
		}
		for _, o := range r.EUM.ConfigurationSets {
			note(o.Provenance)
		}
	}
	for typ, n := range want {
		t.Logf("%s: %d declared, %d in the inventory", typ, n, len(got[typ]))
		if len(got[typ]) < n {
			t.Errorf("%s: %d declared in the corpus, %d in the inventory (%v)", typ, n, len(got[typ]), got[typ])
		}
	}
}
