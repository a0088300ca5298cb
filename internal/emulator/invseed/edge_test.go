package invseed

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/p2c/p2c/internal/emulator"
	"github.com/p2c/p2c/internal/inventory"
)

func raw(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEdgeCases covers what a scan of a long-lived account holds and a
// fresh emulator cannot make by itself: deleted template versions, text
// that looks like a seed reference, a journey state no transition reaches.
func TestEdgeCases(t *testing.T) {
	seg := M{"Id": "s1", "Name": "all", "SegmentType": "DIMENSIONAL", "Version": 1, "Dimensions": M{}}
	inv := &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, Regions: []inventory.Region{{
		Name: "eu-west-1",
		Templates: []inventory.Template{{Name: "receipt", Type: "SMS", ActiveVersion: "3", Versions: []inventory.TemplateVersion{
			{Version: "1", Object: raw(t, M{"Body": "v1", "Version": "1", "TemplateName": "receipt"})},
			{Version: "3", Object: raw(t, M{"Body": "Total ${price} or ${{Attributes.Total}}", "Version": "3"})},
		}}},
		Apps: []inventory.App{{ID: "a1", Name: "shop", Object: raw(t, M{"Id": "a1", "Name": "shop"}),
			Segments: []inventory.Segment{{ID: "s1", Name: "all", Object: raw(t, seg)}},
			Campaigns: []inventory.Campaign{{ID: "c1", Name: "c", Object: raw(t, M{"Id": "c1", "Name": "c", "SegmentId": "s1", "SegmentVersion": 1,
				"Schedule": M{"StartTime": "IMMEDIATE"}, "TemplateConfiguration": M{"SMSTemplate": M{"Name": "receipt", "Version": "3"}}})}},
			Journeys: []inventory.Journey{{ID: "j1", Name: "old", State: "CLOSED", Object: raw(t, M{"Id": "j1", "Name": "old", "State": "CLOSED",
				"StartActivity": "x", "Activities": M{"x": M{"SMS": M{"TemplateName": "receipt", "TemplateVersion": "3"}}}})}},
		}},
	}}}
	seed, notes, err := FromInventory(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"renumbered", "state CLOSED cannot be reached"} {
		if !containsNote(notes, want) {
			t.Errorf("no note says %s: %q", want, notes)
		}
	}
	e := emulator.New(emulator.Options{})
	if _, err := e.Apply(seed); err != nil {
		t.Fatalf("apply: %v", err)
	}
	text, _ := json.Marshal(seed)
	for _, want := range []string{`"Total $${price} or ${{Attributes.Total}}"`, `{"Name":"receipt","Version":"2"}`, `"TemplateVersion":"2"`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("seed lacks %s", want)
		}
	}
	for _, c := range seed.Calls {
		if c.Region != "eu-west-1" {
			t.Errorf("%s in region %q", c.Operation, c.Region)
		}
	}

	// Segment groups that name each other cannot be created in any order.
	a := &inv.Regions[0].Apps[0]
	a.Segments = []inventory.Segment{
		{ID: "s1", Object: raw(t, M{"Id": "s1", "Name": "x", "SegmentGroups": M{"Groups": L{M{"SourceSegments": L{M{"Id": "s2"}}}}}})},
		{ID: "s2", Object: raw(t, M{"Id": "s2", "Name": "y", "SegmentGroups": M{"Groups": L{M{"SourceSegments": L{M{"Id": "s1"}}}}}})},
	}
	if _, _, err := FromInventory(inv); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("segment cycle: %v", err)
	}
}
