package profiles

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/p2c/p2c/internal/source/saved"
)

// maxLine is the longest export line read; a longer one is rejected (an
// endpoint is a few KiB at most: 40 attributes of 50 values of 100
// characters is far below it).
const maxLine = 1 << 20

// maxInput is how much of a rejected line a Reject keeps.
const maxInput = 4 << 10

// input is one export file: a local file or an S3 object.
type input struct {
	Name    string `json:"name"` // path, or s3://bucket/key
	Size    int64  `json:"size"`
	ModTime string `json:"modTime"` // RFC 3339; with Size, tells a changed file on resume

	path        string
	bucket, key string
}

// listInputs expands --from into files in a fixed order: the order of
// from, each folder and S3 prefix sorted by name. Paths under skip (the
// output folder) are left out so a re-run never reads its own output.
func listInputs(ctx context.Context, from []string, store saved.ObjectStore, skip []string) ([]input, error) {
	var out []input
	for _, f := range from {
		if strings.HasPrefix(f, "s3://") {
			ins, err := listS3(ctx, f, store)
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
			continue
		}
		st, err := os.Stat(f)
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", f, err)
		}
		if !st.IsDir() {
			out = append(out, fileInput(f, st))
			continue
		}
		err = filepath.WalkDir(f, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			for _, s := range skip {
				if s != "" && p == s {
					return filepath.SkipDir
				}
			}
			if d.IsDir() {
				return nil
			}
			st, err := os.Stat(p) // follows a symlink to a file
			if err != nil {
				return err
			}
			if !st.Mode().IsRegular() {
				return fmt.Errorf("%s: not a regular file", p)
			}
			out = append(out, fileInput(p, st))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", f, err)
		}
	}
	seen := map[string]bool{}
	for _, in := range out {
		if seen[in.Name] {
			return nil, fmt.Errorf("--from: %s is named twice", in.Name)
		}
		seen[in.Name] = true
	}
	return out, nil
}

func fileInput(p string, st fs.FileInfo) input {
	return input{Name: p, Size: st.Size(), ModTime: st.ModTime().UTC().Format(time.RFC3339Nano), path: p}
}

func listS3(ctx context.Context, raw string, store saved.ObjectStore) ([]input, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("--from %s: not an s3://bucket/prefix URL", raw)
	}
	if store == nil {
		return nil, fmt.Errorf("--from %s: reading from S3 needs AWS access", raw)
	}
	prefix := strings.TrimPrefix(u.Path, "/")
	objs, err := store.List(ctx, u.Host, prefix)
	if err != nil {
		return nil, fmt.Errorf("--from %s: %w", raw, err)
	}
	slices.SortFunc(objs, func(a, b saved.ObjectInfo) int { return strings.Compare(a.Key, b.Key) })
	var out []input
	for _, o := range objs {
		if strings.HasSuffix(o.Key, "/") && o.Size == 0 {
			continue // a console "folder": not a file
		}
		out = append(out, input{
			Name: "s3://" + u.Host + "/" + o.Key, Size: o.Size,
			ModTime: o.ModTime.UTC().Format(time.RFC3339Nano),
			bucket:  u.Host, key: o.Key,
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--from %s: no objects under the prefix", raw)
	}
	return out, nil
}

// lineReader reads the lines of one input, gunzipped when it starts with
// the gzip magic bytes (multi-member files included).
type lineReader struct {
	name   string
	raw    io.ReadCloser
	gz     *gzip.Reader
	r      *bufio.Reader
	line   int64 // number of the last line read
	long   []byte
	first  bool
	counts *countingReader
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func openInput(ctx context.Context, in input, store saved.ObjectStore) (*lineReader, error) {
	var raw io.ReadCloser
	var err error
	if in.bucket != "" {
		raw, err = store.Open(ctx, in.bucket, in.key)
	} else {
		raw, err = os.Open(in.path)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	cr := &countingReader{r: raw}
	br := bufio.NewReaderSize(cr, 256<<10)
	lr := &lineReader{name: in.Name, raw: raw, counts: cr, first: true}
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			raw.Close()
			return nil, fmt.Errorf("read %s: %w", in.Name, err)
		}
		lr.gz = gz
		lr.r = bufio.NewReaderSize(gz, 256<<10)
	} else {
		lr.r = br
	}
	return lr, nil
}

func (lr *lineReader) Close() error {
	if lr.gz != nil {
		lr.gz.Close()
	}
	return lr.raw.Close()
}

// errNotExport rejects a whole file that is not newline-delimited JSON.
var errNotExport = errors.New("not an endpoint export (newline-delimited JSON, plain or gzip)")

// next returns the next non-blank line (without its line break) and its
// number. A line longer than maxLine comes back cut at maxInput with
// long set. The slice is valid until the next call. At the end it returns
// io.EOF.
func (lr *lineReader) next() (line []byte, no int64, long bool, err error) {
	for {
		b, err := lr.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A long line: keep reading it, remembering at most maxLine+1
			// bytes, so that a huge line costs no memory.
			lr.long = append(lr.long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = lr.r.ReadSlice('\n')
				if len(lr.long) <= maxLine {
					lr.long = append(lr.long, b[:min(len(b), maxLine+1-len(lr.long))]...)
				}
			}
			b = lr.long
		}
		if err != nil && err != io.EOF {
			return nil, lr.line, false, fmt.Errorf("read %s after line %d: %w", lr.name, lr.line, err)
		}
		if len(b) == 0 && err == io.EOF {
			return nil, lr.line, false, io.EOF
		}
		lr.line++
		b = bytes.TrimRight(b, "\r\n")
		if lr.first {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark
		}
		t := bytes.TrimSpace(b)
		if len(t) == 0 {
			if err == io.EOF {
				return nil, lr.line, false, io.EOF
			}
			continue
		}
		if lr.first {
			lr.first = false
			if t[0] != '{' {
				return nil, lr.line, false, fmt.Errorf("%s: %w", lr.name, errNotExport)
			}
		}
		if len(b) > maxLine {
			return b[:maxInput], lr.line, true, nil
		}
		return b, lr.line, false, nil
	}
}

// cutInput is a line as a Reject keeps it: at most maxInput bytes, cut on
// a rune boundary, "…" marking a cut.
func cutInput(b []byte) string {
	if len(b) <= maxInput {
		return string(b)
	}
	n := maxInput
	for n > 0 && n > maxInput-4 && b[n]&0xc0 == 0x80 {
		n--
	}
	return string(b[:n]) + "…"
}
