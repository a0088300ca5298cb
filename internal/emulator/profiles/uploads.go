package profiles

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// upload is one CSV upload job. The client PUTs the file at the pre-signed
// URL GetUploadJobPath answers, which points into the emulator's S3
// (bucket UploadBucket, key <domain>/<job id>.csv); the job ingests it on
// the first GetUploadJob after StartUploadJob, so clients see
// CREATED → IN_PROGRESS → SUCCEEDED as they poll.
type upload struct {
	obj   map[string]any
	polls int
}

// defaultDataExpiry is the model's documented default: two weeks.
const defaultDataExpiry = 14

func init() {
	register(map[string]handler{
		"CreateUploadJob": createUpload, "GetUploadJobPath": uploadPath, "StartUploadJob": startUpload,
		"StopUploadJob": stopUpload, "GetUploadJob": getUpload, "ListUploadJobs": listUploads,
	})
}

func createUpload(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	fields, key := core.Obj(in, "Fields"), core.Str(in, "UniqueKey")
	if fields[key] == nil {
		return nil, badRequest("UniqueKey %s is not one of the job's Fields", key)
	}
	for fname, f := range fields {
		if t := core.Str(f.(map[string]any), "Target"); t != "" && !checkTarget(t) {
			return nil, badRequest("Field %s: Target %q does not name a profile field", fname, t)
		}
	}
	id := s.newID(r.name+"/"+d.name, "upload")
	o := map[string]any{"JobId": id, "DisplayName": core.Str(in, "DisplayName"), "Status": "CREATED", "CreatedAt": stamp(c.Now),
		"Fields": core.DeepCopy(fields), "UniqueKey": key, "DataExpiry": defaultDataExpiry}
	if v, ok := in["DataExpiry"]; ok {
		o["DataExpiry"] = v
	}
	d.uploads[id] = &upload{obj: o}
	d.upOrder = append(d.upOrder, id)
	return map[string]any{"JobId": id}, nil
}

func (d *domain) upload(id string) (*upload, *core.Error) {
	u := d.uploads[id]
	if u == nil {
		return nil, notFound("Upload job %s not found in domain %s", id, d.name)
	}
	return u, nil
}

func uploadKey(domain, job string) string { return domain + "/" + job + ".csv" }

func uploadPath(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	u, err := d.upload(core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	if s.objs != nil {
		_ = s.objs.CreateBucket(UploadBucket) // already there after the first job
	}
	scheme := "http"
	if c.R.TLS != nil {
		scheme = "https"
	}
	valid := c.Now.Add(time.Hour)
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", fmt.Sprintf("%s/%s/%s/s3/aws4_request", c.AccessKey, c.Now.Format("20060102"), r.name))
	q.Set("X-Amz-Date", c.Now.Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", "3600")
	// Signed with the SSE-C headers: the PUT must carry them (S3 refuses
	// it otherwise).
	q.Set("X-Amz-SignedHeaders", "host;x-amz-server-side-encryption-customer-algorithm;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5")
	q.Set("X-Amz-Signature", fmt.Sprintf("%x", hashOf("upload/"+core.Str(u.obj, "JobId"))))
	link := fmt.Sprintf("%s://%s/%s/%s?%s", scheme, c.R.Host, UploadBucket, uploadKey(d.name, core.Str(u.obj, "JobId")), q.Encode())
	// The SSE-C key the PUT must carry (32 bytes, base64).
	token := base64.StdEncoding.EncodeToString(append(hashOf("sse-c/"+core.Str(u.obj, "JobId")), hashOf("key/"+core.Str(u.obj, "JobId"))...))
	return map[string]any{"Url": link, "ClientToken": token, "ValidUntil": stamp(valid)}, nil
}

func startUpload(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	u, err := d.upload(core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	if st := core.Str(u.obj, "Status"); st != "CREATED" {
		return nil, badRequest("Upload job %s is %s; only a CREATED job can be started", core.Str(u.obj, "JobId"), st)
	}
	u.obj["Status"], u.polls = "IN_PROGRESS", 0
	return nil, nil
}

func stopUpload(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	u, err := d.upload(core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	if st := core.Str(u.obj, "Status"); st != "CREATED" && st != "IN_PROGRESS" {
		return nil, badRequest("Upload job %s is %s and cannot be stopped", core.Str(u.obj, "JobId"), st)
	}
	u.obj["Status"], u.obj["CompletedAt"] = "STOPPED", stamp(c.Now)
	return nil, nil
}

func getUpload(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	u, err := d.upload(core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	if u.obj["Status"] == "IN_PROGRESS" {
		u.polls++
		if u.polls > 1 {
			s.runUpload(d, u, c.Now)
		}
	}
	return copyMap(u.obj), nil
}

func listUploads(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	d, err := r.domain(core.Str(in, "DomainName"))
	if err != nil {
		return nil, err
	}
	var items []any
	for _, id := range d.upOrder {
		items = append(items, copyMap(d.uploads[id].obj))
	}
	return listPage("upload-jobs/"+d.name, items, in)
}

// runUpload ingests the uploaded CSV: each row's fields fill the profile
// its UniqueKey value finds (updated) or a new one (created). Without the
// emulator's S3 there is nothing to read and the job succeeds empty.
func (s *Service) runUpload(d *domain, u *upload, now time.Time) {
	o := u.obj
	o["CompletedAt"] = stamp(now)
	summary := map[string]any{"CreatedRecords": 0, "UpdatedRecords": 0, "FailedRecords": 0}
	o["ResultsSummary"] = summary
	if s.objs == nil {
		o["Status"] = "SUCCEEDED"
		return
	}
	data, err := s.objs.GetObject(UploadBucket, uploadKey(d.name, core.Str(o, "JobId")))
	if err != nil {
		o["Status"], o["StatusReason"] = "FAILED", "VALIDATION_FAILURE"
		return
	}
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = -1
	header, err := rd.Read()
	if err != nil {
		o["Status"], o["StatusReason"] = "FAILED", "VALIDATION_FAILURE"
		return
	}
	fdefs := core.Obj(o, "Fields")
	keyName := core.Str(o, "UniqueKey")
	created, updated, failed := 0, 0, 0
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			failed++
			continue
		}
		src := map[string]any{}
		for i, col := range header {
			if i < len(row) && row[i] != "" {
				src[col] = row[i]
			}
		}
		fields := map[string]string{}
		for name, f := range fdefs {
			if v := sourceValue(core.Str(f.(map[string]any), "Source"), src); v != "" {
				fields[name] = v
			}
		}
		kv := fields[keyName]
		if kv == "" {
			failed++
			continue
		}
		var p *profile
		if m := d.matches(keyName, []string{kv}); len(m) > 0 {
			p = d.profiles[m[0]]
			updated++
		} else {
			p = s.newProfile(d)
			d.addKey(p, keyName, kv)
			created++
		}
		p.fill(fdefs, fields)
	}
	summary["CreatedRecords"], summary["UpdatedRecords"], summary["FailedRecords"] = created, updated, failed
	switch {
	case failed == 0:
		o["Status"] = "SUCCEEDED"
	case created+updated > 0:
		o["Status"] = "PARTIALLY_SUCCEEDED"
	default:
		o["Status"], o["StatusReason"] = "FAILED", "VALIDATION_FAILURE"
	}
}
