package profiles

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// The upload method hands each chunk of a record file to a Customer
// Profiles upload job: a CSV with one row per profile, keyed by
// PinpointProfileKey, which AWS ingests (finding the profile by key or
// creating it). Upload jobs fill profile fields only; the PinpointEndpoint
// objects (what calculated attributes aggregate over) need the API method.

// uploadExpiryDays keeps uploaded profiles as long as Customer Profiles
// allows: the job default is 14 days, and migrated data must not expire.
const uploadExpiryDays = 1098

// maxPollInterval caps the wait between GetUploadJob polls.
const maxPollInterval = 30 * time.Second

// Fixed CSV columns: name, profile target, content type.
var uploadColumns = [][3]string{
	{ProfileKeyName, "", "STRING"},
	{"EmailAddress", "_profile.EmailAddress", "EMAIL_ADDRESS"},
	{"MobilePhoneNumber", "_profile.MobilePhoneNumber", "PHONE_NUMBER"},
	{"PhoneNumber", "_profile.PhoneNumber", "PHONE_NUMBER"},
	{"Address_City", "_profile.Address.City", "STRING"},
	{"Address_Country", "_profile.Address.Country", "STRING"},
	{"Address_PostalCode", "_profile.Address.PostalCode", "STRING"},
	{"Address_State", "_profile.Address.State", "STRING"},
}

// uploadDone: a chunk whose job ended so is not sent again. A FAILED or
// STOPPED job's chunk is, by the next run.
func uploadDone(status string) bool { return status == "SUCCEEDED" || status == "PARTIALLY_SUCCEEDED" }

func uploadFinal(status string) bool {
	return uploadDone(status) || status == "FAILED" || status == "STOPPED"
}

var fieldNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)
var fieldNameBad = regexp.MustCompile(`[^a-zA-Z0-9_.-]`)

// attrColumn names the CSV column of an attribute: Attr_<key> when that is
// a valid field name (64 characters of [a-zA-Z0-9_.-]), else a cleaned,
// cut name with a hash of the key.
func attrColumn(key string) string {
	if c := "Attr_" + key; fieldNameRE.MatchString(c) {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	clean := fieldNameBad.ReplaceAllString(key, "_")
	if len(clean) > 45 {
		clean = clean[:45]
	}
	return fmt.Sprintf("Attr_%s_%08x", clean, h.Sum32())
}

// chunk is the records of one upload job: lines [from, to] of a file,
// this shard's records spooled to a temporary file.
type chunk struct {
	path     string
	from, to int64
	spool    *os.File
	bw       *bufio.Writer
	enc      *json.Encoder
	records  int64
	attrs    map[string]bool
}

func (l *loader) uploadFile(ctx context.Context, path string) error {
	size := int64(l.opts.ChunkRecords)
	var cur *chunk
	var fails []LoadFailure
	defer func() {
		if cur != nil && cur.spool != nil {
			cur.spool.Close()
			os.Remove(cur.spool.Name())
		}
	}()
	flush := func() error {
		if cur == nil {
			return nil
		}
		c := cur
		cur = nil
		defer func() {
			c.spool.Close()
			os.Remove(c.spool.Name())
		}()
		return l.uploadChunk(ctx, c)
	}
	err := readRecords(path, func(line int64, rec *Record, rerr error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		from := (line-1)/size*size + 1
		if cur != nil && cur.from != from {
			if err := flush(); err != nil {
				return err
			}
		}
		if cur == nil {
			f, err := os.CreateTemp(l.opts.JournalDir, "upload-*.jsonl")
			if err != nil {
				return fmt.Errorf("upload spool: %w", err)
			}
			cur = &chunk{path: path, from: from, to: from + size - 1, spool: f, attrs: map[string]bool{}}
			cur.bw = bufio.NewWriter(f)
			cur.enc = json.NewEncoder(cur.bw)
		}
		if rec != nil || rerr != nil {
			l.add(&l.sum.Records, 1)
		}
		switch {
		case rerr != nil:
			fails = append(fails, LoadFailure{File: path, Line: line, Error: rerr.Error()})
		case rec == nil:
		case !l.opts.Shard.Has(rec.ProfileKey):
			l.add(&l.sum.OtherShard, 1)
		default:
			cur.records++
			for k := range rec.Profile.Attributes {
				cur.attrs[k] = true
			}
			if err := cur.enc.Encode(rec); err != nil {
				return fmt.Errorf("upload spool: %w", err)
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if len(fails) > 0 {
		l.mu.Lock()
		l.sum.Failed += int64(len(fails))
		l.sum.Failures = append(l.sum.Failures, fails...)
		l.mu.Unlock()
		if cerr := l.j.checkpoint(path, 0, fails, nil); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("upload %s: %w", path, err)
	}
	return nil
}

// uploadChunk runs (or resumes) the upload job of one chunk.
func (l *loader) uploadChunk(ctx context.Context, c *chunk) error {
	o := l.opts
	u, ok, err := l.j.upload(ctx, c.path, c.from)
	if err != nil {
		return err
	}
	if ok && uploadDone(u.Status) {
		l.add(&l.sum.Skipped, c.records)
		l.mu.Lock()
		l.sum.UploadJobs = append(l.sum.UploadJobs, u)
		l.mu.Unlock()
		return nil
	}
	if c.records == 0 {
		return nil
	}
	if ok && uploadFinal(u.Status) {
		ok = false // failed or stopped last time: a new job
	}
	status := u.Status
	if ok && status == "CREATED" {
		// The job may have been started just before the last run stopped.
		out, err := l.call(ctx, "GetUploadJob", map[string]any{"DomainName": o.Domain, "JobId": u.JobId})
		if err != nil {
			return fmt.Errorf("get upload job %s: %w", u.JobId, err)
		}
		status, _ = out["Status"].(string)
	}
	if !ok {
		u = UploadJob{File: c.path, FromLine: c.from, ToLine: c.to}
		fields, err := l.uploadFields(c)
		if err != nil {
			return err
		}
		out, err := l.call(ctx, "CreateUploadJob", map[string]any{"DomainName": o.Domain,
			"DisplayName": displayName(c), "Fields": fields, "UniqueKey": ProfileKeyName, "DataExpiry": uploadExpiryDays})
		if err != nil {
			return fmt.Errorf("create upload job: %w", err)
		}
		u.JobId, _ = out["JobId"].(string)
		u.Status, status = "CREATED", "CREATED"
		if err := l.j.saveUpload(ctx, u); err != nil {
			return err
		}
	}
	if status == "CREATED" {
		if err := l.sendCSV(ctx, c, u.JobId); err != nil {
			return err
		}
		if _, err := l.call(ctx, "StartUploadJob", map[string]any{"DomainName": o.Domain, "JobId": u.JobId}); err != nil {
			return fmt.Errorf("start upload job %s: %w", u.JobId, err)
		}
		u.Status = "IN_PROGRESS"
		if err := l.j.saveUpload(ctx, u); err != nil {
			return err
		}
	}
	out, err := l.poll(ctx, u.JobId)
	if err != nil {
		return err
	}
	u.Status, _ = out["Status"].(string)
	rs, _ := out["ResultsSummary"].(map[string]any)
	u.Created, u.Updated, u.Failed = num(rs["CreatedRecords"]), num(rs["UpdatedRecords"]), num(rs["FailedRecords"])
	if err := l.j.saveUpload(ctx, u); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sum.UploadJobs = append(l.sum.UploadJobs, u)
	if uploadDone(u.Status) {
		l.sum.Loaded += u.Created + u.Updated
		l.sum.Failed += u.Failed
		if u.Failed > 0 {
			l.sum.Failures = append(l.sum.Failures, LoadFailure{File: c.path, Line: c.from,
				Error: fmt.Sprintf("upload job %s (lines %d-%d): %d records failed", u.JobId, c.from, c.to, u.Failed)})
		}
		return nil
	}
	reason, _ := out["StatusReason"].(string)
	l.sum.Failed += c.records
	l.sum.Failures = append(l.sum.Failures, LoadFailure{File: c.path, Line: c.from,
		Error: fmt.Sprintf("upload job %s (lines %d-%d) %s %s: run the load again to retry the chunk", u.JobId, c.from, c.to, u.Status, reason)})
	return nil
}

func displayName(c *chunk) string {
	name := fmt.Sprintf("p2c %s %d-%d", filepath.Base(c.path), c.from, c.to)
	if len(name) > 255 {
		name = name[:255]
	}
	return name
}

func num(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		i, _ := n.Int64()
		return i
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

// uploadColumnsOf lists the CSV columns of a chunk: the fixed ones, then
// one per attribute key, sorted, with the key each carries.
func uploadColumnsOf(c *chunk) (cols [][3]string, keys []string) {
	cols = append(cols, uploadColumns...)
	keys = make([]string, len(cols))
	attrs := make([]string, 0, len(c.attrs))
	for k := range c.attrs {
		attrs = append(attrs, k)
	}
	sort.Strings(attrs)
	for _, k := range attrs {
		cols = append(cols, [3]string{attrColumn(k), "_profile.Attributes." + k, "STRING"})
		keys = append(keys, k)
	}
	return cols, keys
}

func (l *loader) uploadFields(c *chunk) (map[string]any, error) {
	cols, _ := uploadColumnsOf(c)
	fields := map[string]any{}
	for _, col := range cols {
		if fields[col[0]] != nil {
			return nil, fmt.Errorf("upload %s lines %d-%d: two attributes map to CSV column %s", c.path, c.from, c.to, col[0])
		}
		f := map[string]any{"Source": "_source." + col[0], "ContentType": col[2]}
		if col[1] != "" {
			f["Target"] = col[1]
		}
		fields[col[0]] = f
	}
	return fields, nil
}

// writeCSV writes the chunk's CSV (pass 2 over its spooled records).
func writeCSV(c *chunk, w io.Writer) error {
	cols, keys := uploadColumnsOf(c)
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("upload spool: %w", err)
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(cols))
	for i, col := range cols {
		header[i] = col[0]
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if _, err := c.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReader(c.spool))
	row := make([]string, len(cols))
	for {
		var rec *Record
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("read upload spool: %w", err)
		}
		p := rec.Profile
		a := p.Address
		if a == nil {
			a = &Address{}
		}
		copy(row, []string{rec.ProfileKey, p.EmailAddress, p.MobilePhoneNumber, p.PhoneNumber, a.City, a.Country, a.PostalCode, a.State})
		for i := len(uploadColumns); i < len(cols); i++ {
			row[i] = p.Attributes[keys[i]]
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sendCSV writes the chunk's CSV and PUTs it at the job's pre-signed URL
// with the SSE-C headers the URL was signed for.
func (l *loader) sendCSV(ctx context.Context, c *chunk, jobID string) error {
	out, err := l.call(ctx, "GetUploadJobPath", map[string]any{"DomainName": l.opts.Domain, "JobId": jobID})
	if err != nil {
		return fmt.Errorf("get upload job path %s: %w", jobID, err)
	}
	link, _ := out["Url"].(string)
	token, _ := out["ClientToken"].(string)
	key, err := base64.StdEncoding.DecodeString(token)
	if link == "" || err != nil {
		return fmt.Errorf("get upload job path %s: no URL or an unreadable ClientToken", jobID)
	}
	sum := md5.Sum(key)
	keyMD5 := base64.StdEncoding.EncodeToString(sum[:])

	f, err := os.CreateTemp(l.opts.JournalDir, "upload-*.csv")
	if err != nil {
		return fmt.Errorf("upload csv: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := writeCSV(c, bw); err != nil {
		return fmt.Errorf("upload csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("upload csv: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("upload csv: %w", err)
	}
	for attempt := 1; ; attempt++ {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("upload csv: %w", err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, link, io.NopCloser(f))
		if err != nil {
			return fmt.Errorf("upload csv: %w", err)
		}
		req.ContentLength = size
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("x-amz-server-side-encryption-customer-algorithm", "AES256")
		req.Header.Set("x-amz-server-side-encryption-customer-key", token)
		req.Header.Set("x-amz-server-side-encryption-customer-key-MD5", keyMD5)
		resp, err := l.opts.HTTP.Do(req)
		var status int
		var body []byte
		if err == nil {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			status = resp.StatusCode
			if status < 300 {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if (err == nil && status < 500) || attempt >= maxAttempts {
			if err != nil {
				return fmt.Errorf("upload csv of job %s: %w", jobID, err)
			}
			return fmt.Errorf("upload csv of job %s: HTTP %d: %s", jobID, status, body)
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

// poll waits for an upload job to end: 1 s, doubling to 30 s.
func (l *loader) poll(ctx context.Context, jobID string) (map[string]any, error) {
	wait := l.opts.PollInterval
	for {
		out, err := l.call(ctx, "GetUploadJob", map[string]any{"DomainName": l.opts.Domain, "JobId": jobID})
		if err != nil {
			return nil, fmt.Errorf("get upload job %s: %w", jobID, err)
		}
		if st, _ := out["Status"].(string); uploadFinal(st) {
			return out, nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
		wait = min(wait*2, maxPollInterval)
	}
}
