package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample() *Inventory {
	return &Inventory{
		SchemaVersion: SchemaVersion,
		Tool:          "p2c test",
		ScannedAt:     time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Regions: []Region{{
			Name: "us-east-1",
			Apps: []App{
				{ID: "b", Object: json.RawMessage(`{"Id":"b","tags":{"k":"v"}}`)},
				{ID: "a", Object: json.RawMessage(`{"Id":"a"}`), Segments: []Segment{
					{ID: "s2", Object: json.RawMessage(`{}`)}, {ID: "s1", Object: json.RawMessage(`{}`)}}},
			},
			Templates: []Template{
				{Name: "t", Type: "SMS", Object: json.RawMessage(`{"Body":"<b>hi</b> & bye"}`),
					Versions: []TemplateVersion{{Version: "10"}, {Version: "2"}}},
			},
		}},
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "inventory.json")
	if err := Write(path, sample()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	// HTML in raw objects must keep its bytes.
	if !bytes.Contains(data, []byte(`"<b>hi</b> & bye"`)) {
		t.Errorf("raw object was escaped:\n%s", data)
	}
	inv, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	r := inv.Regions[0]
	if r.Apps[0].ID != "a" || r.Apps[0].Segments[0].ID != "s1" {
		t.Errorf("not sorted: %+v", r.Apps)
	}
	if r.Templates[0].Versions[0].Version != "2" {
		t.Errorf("versions not sorted numerically: %+v", r.Templates[0].Versions)
	}
	// Deterministic: writing the read value again gives the same bytes.
	path2 := filepath.Join(dir, "again.json")
	if err := Write(path2, inv); err != nil {
		t.Fatal(err)
	}
	data2, _ := os.ReadFile(path2)
	if !bytes.Equal(data, data2) {
		t.Errorf("second write differs")
	}
	// No temp files left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("dir has %d entries", len(ents))
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, data, want string
		is               error
	}{
		{"truncated", string(good[:len(good)/2]), "truncated JSON: file ends at byte", nil},
		{"empty", "", "empty file", nil},
		{"garbage", `{"schemaVersion": 1, x}`, "invalid JSON at byte 22", nil},
		{"trailing", string(good) + "}", "unexpected data after the JSON document", nil},
		{"noversion", `{"tool":"x"}`, "no schemaVersion", nil},
		{"newer", `{"schemaVersion": 2}`, "schemaVersion 2, this p2c reads 1", ErrSchemaVersion},
		{"badversion", `{"schemaVersion": "one"}`, `schemaVersion "one"`, ErrSchemaVersion},
		{"badtype", `{"schemaVersion": 1, "regions": {}}`, `field "regions"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name+".json")
			os.WriteFile(p, []byte(c.data), 0o600)
			_, err := Read(p)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file and %q", err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "inventory.json")
	if err := Write(path, sample()); err != nil {
		t.Fatal(err)
	}
	bad := sample()
	bad.Regions[0].Apps[0].Object = json.RawMessage(`{not json`)
	if err := Write(path, bad); err == nil {
		t.Fatal("want an error for an invalid raw object")
	}
	if _, err := Read(path); err != nil {
		t.Errorf("old file damaged: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temp file left behind: %d entries", len(ents))
	}
}
