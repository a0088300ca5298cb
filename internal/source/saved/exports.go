package saved

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

// maxLineWarnings caps the line-level warnings of one export file; the
// rest are counted.
const maxLineWarnings = 20

// exportAcc accumulates one app's endpoint statistics across files.
type exportAcc struct {
	app     string
	region  string
	files   []string
	newest  time.Time
	builder *inventory.StatsBuilder
}

// exportFile streams newline-delimited endpoint JSON into per-app
// statistics. Lines that are not endpoint objects are warnings with their
// line number; the rest of the file is still read.
func (l *loader) exportFile(name string, modTime time.Time, r io.Reader) error {
	sc := bufio.NewScanner(r)
	// An endpoint is at most 15 KB; leave room for odd files.
	sc.Buffer(make([]byte, 0, 256<<10), 8<<20)
	line, bad := 0, 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		app, region, ok := endpointApp(b)
		if !ok {
			bad++
			if bad <= maxLineWarnings {
				l.warn(name, line, "not an endpoint object: %s", excerpt(b))
			}
			continue
		}
		acc := l.exportAcc(app, region, name, modTime)
		if err := acc.builder.Add(b); err != nil {
			bad++
			if bad <= maxLineWarnings {
				l.warn(name, line, "%v", err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = "a line longer than 8 MB"
		}
		l.warn(name, line+1, "export file stops being readable here: %s (the %d lines before it are counted)", msg, line)
	}
	if bad > maxLineWarnings {
		l.warn(name, 0, "%d more lines were not endpoint objects", bad-maxLineWarnings)
	}
	return nil
}

// endpointApp reads the application id (and region, when an ARN-like hint
// exists: exports carry none) of one endpoint line.
func endpointApp(b []byte) (app, region string, ok bool) {
	if b[0] != '{' || !json.Valid(b) {
		return "", "", false
	}
	var probe struct {
		ApplicationId string
		ChannelType   string
	}
	if json.Unmarshal(b, &probe) != nil || probe.ChannelType == "" {
		return "", "", false
	}
	if probe.ApplicationId == "" {
		probe.ApplicationId = "unknown-app"
	}
	return probe.ApplicationId, "", true
}

func excerpt(b []byte) string {
	s := string(b)
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	// Never echo what may be an address: keep only the shape.
	var out strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			out.WriteByte('9')
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			out.WriteByte('x')
		default:
			out.WriteRune(r)
		}
	}
	return fmt.Sprintf("%q", out.String())
}

// exportAcc returns the statistics accumulator of an app, noting the file
// as one of its sources.
func (l *loader) exportAcc(app, region, file string, modTime time.Time) *exportAcc {
	acc := l.exports[app]
	if acc == nil {
		acc = &exportAcc{app: app, region: region, builder: inventory.NewStatsBuilder()}
		l.exports[app] = acc
	}
	if len(acc.files) == 0 || acc.files[len(acc.files)-1] != file {
		acc.files = append(acc.files, file)
	}
	if modTime.After(acc.newest) {
		acc.newest = modTime
	}
	if acc.region == "" {
		acc.region = region
	}
	return acc
}

// finishExports turns the accumulated statistics into one fragment per app.
func (l *loader) finishExports() error {
	apps := make([]string, 0, len(l.exports))
	for app := range l.exports {
		apps = append(apps, app)
	}
	sort.Strings(apps)
	for _, app := range apps {
		acc := l.exports[app]
		st, err := acc.builder.Result()
		if err != nil {
			return fmt.Errorf("endpoint statistics of app %s: %w", app, err)
		}
		region := acc.region
		if region == "" {
			region = l.opts.DefaultRegion
		}
		src := strings.Join(acc.files, ", ")
		frag := &inventory.Inventory{
			SchemaVersion: inventory.SchemaVersion,
			ScannedAt:     acc.newest,
			Sources:       []inventory.Source{{Kind: KindEndpointExport, ID: acc.files[0], Detail: src, ReadAt: acc.newest}},
			Regions: []inventory.Region{{Name: region, Apps: []inventory.App{{
				ID:             app,
				EndpointStats:  st,
				EndpointExport: &inventory.EndpointExport{S3URLPrefix: commonPrefix(acc.files), Status: "SAVED", Objects: acc.files},
				Provenance:     []inventory.Provenance{{Source: acc.files[0], Kind: KindEndpointExport, ReadAt: acc.newest}},
			}}}},
		}
		l.res.Fragments = append(l.res.Fragments, frag)
	}
	return nil
}

func commonPrefix(names []string) string {
	if len(names) == 0 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
