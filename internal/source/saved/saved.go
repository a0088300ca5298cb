package saved

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/inventory"
)

// Source kinds, as recorded in inventory.Source.Kind.
const (
	KindCLIOutput      = "cli-output"
	KindCloudFormation = "cloudformation"
	KindTerraform      = "terraform"
	KindEndpointExport = "endpoint-export"
	KindInventory      = "inventory"
)

// MaxFileSize bounds what is read whole; saved CLI outputs and templates
// are far smaller. Endpoint exports are streamed and have no bound.
const MaxFileSize = 256 << 20

// Options control loading.
type Options struct {
	// DefaultRegion is the region of resources whose content names none.
	DefaultRegion string
	// AccountID resolves AWS::AccountId in CloudFormation when known.
	AccountID string
	// S3 reads s3:// paths; nil makes them an error.
	S3 ObjectStore
	// TFVars are values for Terraform variables without defaults.
	TFVars map[string]string
}

// ObjectStore is the part of S3 that loading needs.
type ObjectStore interface {
	List(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error)
	Open(ctx context.Context, bucket, key string) (io.ReadCloser, error)
}

// ObjectInfo describes one S3 object.
type ObjectInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Skipped is a file that holds nothing to inventory, with the reason.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Result is what loading produced.
type Result struct {
	// Fragments holds one inventory fragment per contributing file (a
	// Terraform module is one fragment for its folder).
	Fragments []*inventory.Inventory
	// Skipped files hold nothing to inventory.
	Skipped []Skipped
	// Warnings name the file and line of every problem; the files' other
	// content is still loaded.
	Warnings []inventory.Warning
	// Files counts the files looked at.
	Files int
}

// Load reads every path (file, folder, or s3://bucket/prefix) and turns
// what it finds into fragments. It fails only when a path cannot be read at
// all; a bad file is a warning and the others are still read.
func Load(ctx context.Context, paths []string, opts Options) (*Result, error) {
	l := &loader{opts: opts, res: &Result{}, exports: map[string]*exportAcc{}, tf: map[string][]tfFile{}}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		if strings.HasPrefix(p, "s3://") {
			err = l.s3Prefix(ctx, p)
		} else {
			err = l.localPath(p)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := l.finishTerraform(); err != nil {
		return nil, err
	}
	if err := l.finishExports(); err != nil {
		return nil, err
	}
	sort.SliceStable(l.res.Skipped, func(i, j int) bool { return l.res.Skipped[i].File < l.res.Skipped[j].File })
	return l.res, nil
}

type loader struct {
	opts Options
	res  *Result
	// exports accumulates endpoint statistics per app across every export
	// file given (one export job writes several).
	exports map[string]*exportAcc
	// tf gathers Terraform files per folder: a module spans files.
	tf map[string][]tfFile
}

type tfFile struct {
	name    string
	data    []byte
	modTime time.Time
}

func (l *loader) warn(file string, line int, format string, args ...any) {
	l.res.Warnings = append(l.res.Warnings, inventory.Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) skip(file, reason string) {
	l.res.Skipped = append(l.res.Skipped, Skipped{File: file, Reason: reason})
}

func (l *loader) localPath(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("--from %s: %w", p, err)
	}
	if !info.IsDir() {
		return l.localFile(p, info)
	}
	return filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			l.warn(path, 0, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() {
			if path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git, .terraform
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			l.warn(path, 0, "cannot read: %v", err)
			return nil
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		return l.localFile(path, info)
	})
}

func (l *loader) localFile(path string, info fs.FileInfo) error {
	f, err := os.Open(path)
	if err != nil {
		l.warn(path, 0, "cannot read: %v", err)
		return nil
	}
	defer f.Close()
	l.res.Files++
	return l.stream(path, info.ModTime(), f)
}

// stream looks at the start of a file to decide what it is. Endpoint
// exports (plain or gzip) are streamed; everything else is read whole.
func (l *loader) stream(name string, modTime time.Time, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	var body io.Reader = br
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			l.warn(name, 0, "not a readable gzip file: %v", err)
			return nil
		}
		defer zr.Close()
		body = zr
	}
	inner := bufio.NewReaderSize(body, 1<<20)
	peek, _ := inner.Peek(64 << 10)
	if looksLikeEndpoints(peek) {
		return l.exportFile(name, modTime, inner)
	}
	data, err := io.ReadAll(io.LimitReader(inner, MaxFileSize+1))
	if err != nil {
		l.warn(name, 0, "cannot read: %v", err)
		return nil
	}
	if len(data) > MaxFileSize {
		l.skip(name, fmt.Sprintf("larger than %d MB and not an endpoint export", MaxFileSize>>20))
		return nil
	}
	l.file(&File{Name: name, Data: data, ModTime: modTime})
	return nil
}

// looksLikeEndpoints reports whether the first JSON value is an exported
// endpoint (EndpointResponse): an object with ChannelType and one of the
// members only endpoints carry.
func looksLikeEndpoints(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	line := head
	if i := bytes.IndexByte(head, '\n'); i > 0 {
		line = head[:i]
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(line, &probe) != nil {
		// A first line cut by the peek window, or pretty-printed JSON: fall
		// back to member names near the start.
		s := string(line)
		return strings.Contains(s, `"ChannelType"`) && (strings.Contains(s, `"EndpointStatus"`) || strings.Contains(s, `"CohortId"`))
	}
	_, ch := probe["ChannelType"]
	_, st := probe["EndpointStatus"]
	_, co := probe["CohortId"]
	_, items := probe["Item"]
	return ch && (st || co) && !items
}

// file detects the kind of a whole file and hands it to its loader.
func (l *loader) file(f *File) {
	kind, reason := Detect(f.Data)
	switch kind {
	case KindInventory:
		l.inventoryFile(f)
	case KindCloudFormation:
		l.cloudFormation(f)
	case KindTerraform:
		dir := filepath.Dir(f.Name)
		l.tf[dir] = append(l.tf[dir], tfFile{name: f.Name, data: f.Data, modTime: f.ModTime})
	case KindCLIOutput:
		l.cliOutput(f)
	case "":
		l.skip(f.Name, reason)
	default:
		l.warn(f.Name, 0, "%s", reason)
	}
}

// Detect names what a whole file holds, by content: one of the Kind*
// constants, or "" with the reason it holds nothing to inventory, or
// "invalid" with what is wrong.
func Detect(data []byte) (kind, reason string) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) == 0 {
		return "", "empty file"
	}
	if !isText(trimmed) {
		return "", "binary file"
	}
	switch trimmed[0] {
	case '{', '[':
		if isInventory(trimmed) {
			return KindInventory, ""
		}
		if ok, _ := detectCFN(trimmed); ok {
			return KindCloudFormation, ""
		}
		if detectTF(trimmed) {
			return KindTerraform, ""
		}
		if isPostman(trimmed) {
			return "", "a Postman collection: example requests, not saved resources"
		}
		if why := requestFile(trimmed); why != "" {
			return "", why
		}
		if detectCLI(trimmed) {
			return KindCLIOutput, ""
		}
		if !json.Valid(trimmed) && !validJSONStream(trimmed) {
			return "invalid", "malformed JSON: " + jsonErrorWhere(data)
		}
		return "invalid", "unknown JSON shape: " + topMembers(trimmed)
	case '<':
		return "", "an HTML or XML document (such as a template body on its own): no resource to inventory"
	}
	if detectTF(data) {
		return KindTerraform, ""
	}
	if ok, why := detectCFN(data); ok {
		return KindCloudFormation, ""
	} else if why != "" {
		return "invalid", why
	}
	if looksLikeCSV(data) {
		return "", "a CSV file (such as an endpoint import file): no resource to inventory; endpoint statistics come from export files"
	}
	return "", "plain text (such as a template body on its own): no resource to inventory"
}

func isText(b []byte) bool {
	n := min(len(b), 4096)
	return !bytes.ContainsRune(b[:n], 0)
}

func isInventory(b []byte) bool {
	var probe struct {
		SchemaVersion json.RawMessage `json:"schemaVersion"`
		Regions       json.RawMessage `json:"regions"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if dec.Decode(&probe) != nil {
		// A truncated inventory is still an inventory: let its loader say
		// where it breaks.
		head := string(b[:min(len(b), 512)])
		return strings.Contains(head, `"schemaVersion"`) && strings.Contains(head, `"tool"`)
	}
	return len(probe.SchemaVersion) > 0 && len(probe.Regions) > 0
}

func isPostman(b []byte) bool {
	var probe struct {
		Info struct {
			Schema string `json:"schema"`
		} `json:"info"`
	}
	return json.Unmarshal(b, &probe) == nil && strings.Contains(probe.Info.Schema, "postman")
}

func validJSONStream(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return n > 0
		}
		if err != nil {
			return false
		}
		n++
	}
}

// jsonErrorWhere says where JSON breaks: "line N: <error>".
func jsonErrorWhere(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return "no error found"
		}
		if err != nil {
			off := dec.InputOffset()
			var se *json.SyntaxError
			if errors.As(err, &se) {
				off = se.Offset
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				off = int64(len(data))
				err = errors.New("unexpected end of file (truncated?)")
			}
			f := File{Data: data}
			return fmt.Sprintf("line %d: %v", f.Line(off), err)
		}
	}
}

func topMembers(b []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return "not an object"
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], "...")
	}
	return "top-level members " + strings.Join(keys, ", ")
}

// csvHeaderRE is a header field: a column name such as ChannelType or
// User.UserAttributes.FirstName.
var csvHeaderRE = regexp.MustCompile(`^"?[A-Za-z_][A-Za-z0-9_.\-]*"?$`)

func looksLikeCSV(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	fields := strings.Split(strings.TrimRight(string(line), "\r"), ",")
	if len(fields) < 2 {
		return false
	}
	for _, f := range fields {
		if !csvHeaderRE.MatchString(f) {
			return false
		}
	}
	return true
}

func (l *loader) inventoryFile(f *File) {
	inv, err := inventory.Parse(f.Name, f.Data)
	if err != nil {
		l.warn(f.Name, 0, "%v", err)
		return
	}
	if len(inv.Sources) == 0 {
		inv.Sources = []inventory.Source{{Kind: KindInventory}}
	}
	// The earlier snapshot's own sources stay as they were; the fragment
	// is attributed to the file, read when it was scanned.
	for i := range inv.Sources {
		inv.Sources[i].Detail = strings.TrimSpace(inv.Sources[i].Detail + " (via " + f.Name + ")")
	}
	readAt := inv.ScannedAt
	if readAt.IsZero() {
		readAt = f.ModTime
	}
	inv.Sources = append([]inventory.Source{{Kind: KindInventory, ID: f.Name, Detail: f.Name, ReadAt: readAt}}, inv.Sources...)
	clearProvenance(inv)
	l.res.Fragments = append(l.res.Fragments, inv)
}

// clearProvenance lets the merge attribute an earlier snapshot's entries to
// the snapshot file; their older provenance would name sources p2c cannot
// read now.
func clearProvenance(inv *inventory.Inventory) {
	for ri := range inv.Regions {
		r := &inv.Regions[ri]
		for ai := range r.Apps {
			a := &r.Apps[ai]
			a.Provenance = nil
			for i := range a.Segments {
				a.Segments[i].Provenance = nil
			}
			for i := range a.Campaigns {
				a.Campaigns[i].Provenance = nil
			}
			for i := range a.Journeys {
				a.Journeys[i].Provenance = nil
			}
		}
		for i := range r.Templates {
			r.Templates[i].Provenance = nil
		}
	}
}
