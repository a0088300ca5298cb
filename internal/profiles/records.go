package profiles

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// recordFiles expands From (of Load and Verify) into record files,
// sorted. A folder contributes every profiles*.jsonl.gz it holds (the
// files of several shards of one transform included) — or, for a shard
// whose own file (profiles.shard-I-of-N.jsonl.gz) is there, only that
// one: the transform was sharded the same way, so it holds exactly the
// shard's records.
func recordFiles(from []string, shard Shard) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range from {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("record files: %w", err)
		}
		if !st.IsDir() {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		if shard.N > 1 {
			if own := filepath.Join(p, shard.FileName(ProfilesFile)); fileExists(own) {
				if abs, err := filepath.Abs(own); err == nil {
					own = abs
				}
				if !seen[own] {
					seen[own] = true
					out = append(out, own)
				}
				continue
			}
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("record files: %w", err)
		}
		for _, e := range ents {
			n := e.Name()
			if e.IsDir() || !strings.HasPrefix(n, "profiles") || !strings.HasSuffix(n, ".jsonl.gz") {
				continue
			}
			f := filepath.Join(p, n)
			if abs, err := filepath.Abs(f); err == nil {
				f = abs
			}
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("record files: no profiles*.jsonl.gz in %s", strings.Join(from, ", "))
	}
	return out, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// errStop ends readRecords early without an error.
var errStop = errors.New("stop")

// readRecords calls fn for every line of a record file, numbered from 1.
// A line that does not decode as a Record reaches fn with its error (the
// loader lists it as a failure; it is never skipped silently). Blank lines
// are passed as well, with a nil record and nil error, so line numbers
// stay dense for the checkpoint.
func readRecords(path string, fn func(line int64, rec *Record, err error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read records: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return fmt.Errorf("read records %s: %w", path, err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	var n int64
	for {
		line, rerr := br.ReadBytes('\n')
		if len(line) > 0 {
			n++
			line = bytes.TrimSpace(line)
			var cerr error
			if len(line) == 0 {
				cerr = fn(n, nil, nil)
			} else {
				rec := new(Record)
				if err := json.Unmarshal(line, rec); err != nil {
					cerr = fn(n, nil, fmt.Errorf("not a profile record: %w", err))
				} else if rec.ProfileKey == "" {
					cerr = fn(n, nil, errors.New("not a profile record: no ProfileKey"))
				} else {
					cerr = fn(n, rec, nil)
				}
			}
			if errors.Is(cerr, errStop) {
				return nil
			}
			if cerr != nil {
				return cerr
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("read records %s:%d: %w", path, n+1, rerr)
		}
	}
}

// WriteRecords writes records as a record file (gzip NDJSON), as
// Transform does; tests and tools use it to make inputs for Load.
func WriteRecords(path string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write records: %w", err)
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			f.Close()
			return fmt.Errorf("write records %s: %w", path, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("write records %s: %w", path, err)
	}
	return f.Close()
}
