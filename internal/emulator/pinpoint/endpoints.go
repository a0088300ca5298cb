package pinpoint

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// MaxEndpointsPerUser is Pinpoint's per-user endpoint quota.
const MaxEndpointsPerUser = 15

// ExportPieceSize is how many endpoints one export object holds.
const ExportPieceSize = 10000

// JobDelay is how long import and export jobs report PROCESSING before they
// complete, so that callers exercise polling.
var JobDelay = 150 * time.Millisecond

var pushTypes = map[string]bool{"ADM": true, "GCM": true, "APNS": true, "APNS_SANDBOX": true, "APNS_VOIP": true, "APNS_VOIP_SANDBOX": true, "BAIDU": true}

func init() {
	for op, h := range map[string]handler{
		"UpdateEndpoint": updateEndpoint, "UpdateEndpointsBatch": updateEndpointsBatch, "GetEndpoint": getEndpoint,
		"DeleteEndpoint": deleteEndpoint, "GetUserEndpoints": getUserEndpoints, "DeleteUserEndpoints": deleteUserEndpoints,
		"CreateExportJob": createExportJob, "GetExportJob": getExportJob, "GetExportJobs": getExportJobs, "GetSegmentExportJobs": getSegmentExportJobs,
		"CreateImportJob": createImportJob, "GetImportJob": getImportJob, "GetImportJobs": getImportJobs, "GetSegmentImportJobs": getSegmentImportJobs,
	} {
		handlers[op] = h
	}
}

// endpoints ----------------------------------------------------------------

var endpointMembers = []string{"Address", "Attributes", "ChannelType", "Demographic", "EffectiveDate", "EndpointStatus", "Location", "Metrics", "OptOut", "RequestId", "User"}

// putEndpoint creates or updates one endpoint the way UpdateEndpoint does:
// members given replace those stored, others are kept.
func (s *Service) putEndpoint(a *app, id string, req map[string]any, requestID string) *core.Error {
	if err := checkEndpoint(a, id, req); err != nil {
		return err
	}
	key := strings.ToLower(id)
	cur := a.endpoints[key]
	ct := core.Str(req, "ChannelType")
	if ct == "" {
		ct = core.Str(cur, "ChannelType")
	}
	now := s.stamp()
	ep := map[string]any{}
	if cur != nil {
		ep = copyMap(cur)
	} else {
		ep["Id"] = id
		ep["ApplicationId"] = a.obj["Id"]
		ep["CreationDate"] = now
		ep["CohortId"] = strconv.Itoa(int(hashString(key) % 100))
		ep["EndpointStatus"] = "ACTIVE"
		ep["OptOut"] = "NONE"
	}
	for _, k := range endpointMembers {
		if v, ok := req[k]; ok {
			ep[k] = v
		}
	}
	ep["ChannelType"] = ct
	if _, ok := req["EffectiveDate"]; !ok {
		ep["EffectiveDate"] = now
	}
	ep["RequestId"] = requestID
	oldUser := core.Str(core.Obj(cur, "User"), "UserId")
	newUser := core.Str(core.Obj(ep, "User"), "UserId")
	if newUser != "" && newUser != oldUser {
		if len(a.users[newUser]) >= MaxEndpointsPerUser {
			if !pushTypes[ct] {
				return badRequest("User %s already has the maximum of %d endpoints", newUser, MaxEndpointsPerUser)
			}
			if !s.retireOldestPush(a, newUser) {
				return badRequest("User %s already has the maximum of %d endpoints", newUser, MaxEndpointsPerUser)
			}
		}
	}
	if oldUser != "" && oldUser != newUser {
		a.users[oldUser] = remove(a.users[oldUser], key)
	}
	if newUser != "" && newUser != oldUser {
		a.users[newUser] = append(a.users[newUser], key)
	}
	if cur == nil {
		a.epOrder = append(a.epOrder, key)
	}
	a.endpoints[key] = ep
	return nil
}

// checkEndpoint validates one endpoint write without changing anything.
func checkEndpoint(a *app, id string, req map[string]any) *core.Error {
	if id == "" || strings.ContainsAny(id, "${}") {
		return badRequest("Invalid endpoint id %q", id)
	}
	cur := a.endpoints[strings.ToLower(id)]
	ct := core.Str(req, "ChannelType")
	if ct == "" && cur == nil {
		return badRequest("Endpoint %s: ChannelType is required for a new endpoint", id)
	}
	if ct == "" {
		ct = core.Str(cur, "ChannelType")
	}
	if addr := core.Str(req, "Address"); addr != "" {
		if err := checkAddress(ct, addr); err != nil {
			return err
		}
	}
	if err := checkAttributes(id, "Attributes", core.Obj(req, "Attributes")); err != nil {
		return err
	}
	return checkAttributes(id, "User.UserAttributes", core.Obj(core.Obj(req, "User"), "UserAttributes"))
}

// retireOldestPush makes room for a new push endpoint of a full user: the
// push endpoint with the oldest EffectiveDate turns INACTIVE and loses its
// user id, as Pinpoint documents.
func (s *Service) retireOldestPush(a *app, user string) bool {
	oldest := ""
	for _, k := range a.users[user] {
		ep := a.endpoints[k]
		if !pushTypes[core.Str(ep, "ChannelType")] {
			continue
		}
		if oldest == "" || core.Str(ep, "EffectiveDate") < core.Str(a.endpoints[oldest], "EffectiveDate") {
			oldest = k
		}
	}
	if oldest == "" {
		return false
	}
	ep := copyMap(a.endpoints[oldest])
	ep["EndpointStatus"] = "INACTIVE"
	u := copyMap(core.Obj(ep, "User"))
	delete(u, "UserId")
	ep["User"] = u
	a.endpoints[oldest] = ep
	a.users[user] = remove(a.users[user], oldest)
	return true
}

func checkAddress(channel, addr string) *core.Error {
	switch channel {
	case "SMS", "VOICE":
		if !strings.HasPrefix(addr, "+") || len(addr) < 8 || len(addr) > 16 || strings.Trim(addr[1:], "0123456789") != "" {
			return badRequest("Address for channel %s is not a phone number in E.164 format", channel)
		}
	case "EMAIL":
		at := strings.LastIndex(addr, "@")
		if at < 1 || at == len(addr)-1 || strings.ContainsAny(addr, " \t\r\n") {
			return badRequest("Address is not a valid email address")
		}
	}
	return nil
}

// checkAttributes enforces the documented limits: names up to 50
// characters, values up to 100, at most 50 values per attribute.
func checkAttributes(id, bag string, attrs map[string]any) *core.Error {
	for name, v := range attrs {
		if len([]rune(name)) > 50 {
			return badRequest("Endpoint %s: %s name %q is longer than 50 characters", id, bag, name)
		}
		vals, ok := v.([]any)
		if !ok {
			return badRequest("Endpoint %s: %s.%s must be a list of strings", id, bag, name)
		}
		if len(vals) > 50 {
			return badRequest("Endpoint %s: %s.%s has %d values, more than 50", id, bag, name, len(vals))
		}
		for _, x := range vals {
			sv, ok := x.(string)
			if !ok {
				return badRequest("Endpoint %s: %s.%s must be a list of strings", id, bag, name)
			}
			if len([]rune(sv)) > 100 {
				return badRequest("Endpoint %s: a value of %s.%s is longer than 100 characters", id, bag, name)
			}
		}
	}
	return nil
}

func hashString(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func updateEndpoint(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if err := s.putEndpoint(a, core.Str(in, "EndpointId"), core.Obj(in, "EndpointRequest"), c.RequestID); err != nil {
		return nil, err
	}
	return map[string]any{"Message": "Accepted", "RequestID": c.RequestID}, nil
}

func updateEndpointsBatch(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	items, _ := core.Obj(in, "EndpointBatchRequest")["Item"].([]any)
	if len(items) > 100 {
		return nil, badRequest("A batch can hold at most 100 endpoints, got %d", len(items))
	}
	// Check every item before writing any, so that a bad item fails the
	// batch without leaving the items before it half applied.
	for i, it := range items {
		m, _ := it.(map[string]any)
		if err := checkEndpoint(a, core.Str(m, "Id"), m); err != nil {
			err.Message = fmt.Sprintf("Item[%d]: %s", i, err.Message)
			return nil, err
		}
	}
	for i, it := range items {
		m, _ := it.(map[string]any)
		if err := s.putEndpoint(a, core.Str(m, "Id"), m, c.RequestID); err != nil {
			err.Message = fmt.Sprintf("Item[%d]: %s", i, err.Message)
			return nil, err
		}
	}
	return map[string]any{"Message": "Accepted", "RequestID": c.RequestID}, nil
}

func (a *app) endpoint(id string) (map[string]any, *core.Error) {
	ep := a.endpoints[strings.ToLower(id)]
	if ep == nil {
		return nil, notFound("Resource not found")
	}
	return ep, nil
}

func getEndpoint(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	return a.endpoint(core.Str(in, "EndpointId"))
}

func (a *app) dropEndpoint(key string) {
	ep := a.endpoints[key]
	if u := core.Str(core.Obj(ep, "User"), "UserId"); u != "" {
		a.users[u] = remove(a.users[u], key)
		if len(a.users[u]) == 0 {
			delete(a.users, u)
		}
	}
	delete(a.endpoints, key)
	a.epOrder = remove(a.epOrder, key)
}

func deleteEndpoint(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	ep, err := a.endpoint(core.Str(in, "EndpointId"))
	if err != nil {
		return nil, err
	}
	a.dropEndpoint(strings.ToLower(core.Str(in, "EndpointId")))
	return ep, nil
}

func getUserEndpoints(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	keys := a.users[core.Str(in, "UserId")]
	if len(keys) == 0 {
		return nil, notFound("Resource not found")
	}
	items := make([]any, 0, len(keys))
	for _, k := range keys {
		items = append(items, a.endpoints[k])
	}
	return map[string]any{"Item": items}, nil
}

func deleteUserEndpoints(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	keys := append([]string(nil), a.users[core.Str(in, "UserId")]...)
	if len(keys) == 0 {
		return nil, notFound("Resource not found")
	}
	items := make([]any, 0, len(keys))
	for _, k := range keys {
		items = append(items, a.endpoints[k])
		a.dropEndpoint(k)
	}
	return map[string]any{"Item": items}, nil
}

// jobs -------------------------------------------------------------------------

func parseS3URL(raw string) (bucket, key string, err *core.Error) {
	u, perr := url.Parse(raw)
	if perr != nil || u.Scheme != "s3" || u.Host == "" {
		return "", "", badRequest("%q is not an s3:// URL", raw)
	}
	return u.Host, strings.TrimPrefix(u.Path, "/"), nil
}

// jobView returns a job as its GET shows it now, completing it once its
// delay has passed.
func (s *Service) jobView(j map[string]any) map[string]any {
	if core.Str(j, "JobStatus") != "COMPLETED" && core.Str(j, "JobStatus") != "FAILED" {
		created, _ := time.Parse("2006-01-02T15:04:05.000Z", core.Str(j, "CreationDate"))
		if s.now().Sub(created) >= JobDelay {
			if n, _ := j["FailedPieces"].(float64); n > 0 {
				j["JobStatus"] = "FAILED"
			} else {
				j["JobStatus"] = "COMPLETED"
			}
			j["CompletionDate"] = s.stamp()
		} else {
			j["JobStatus"] = "PROCESSING"
		}
	}
	return j
}

func createExportJob(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "ExportJobRequest")
	if !strings.HasPrefix(core.Str(req, "RoleArn"), "arn:") {
		return nil, badRequest("RoleArn must be an IAM role ARN")
	}
	bucket, prefix, perr := parseS3URL(core.Str(req, "S3UrlPrefix"))
	if perr != nil {
		return nil, perr
	}
	keys := a.epOrder
	if seg := core.Str(req, "SegmentId"); seg != "" {
		if a.segments[seg] == nil {
			return nil, notFound("Segment %s not found", seg)
		}
		keys = s.segmentMembers(a, seg)
	}
	id := s.newID(r.name, "export")
	def := map[string]any{"RoleArn": req["RoleArn"], "S3UrlPrefix": req["S3UrlPrefix"]}
	for _, k := range []string{"SegmentId", "SegmentVersion"} {
		if v, ok := req[k]; ok {
			def[k] = v
		}
	}
	job := map[string]any{"ApplicationId": a.obj["Id"], "Id": id, "CreationDate": s.stamp(), "JobStatus": "CREATED", "Type": "EXPORT", "Definition": def}
	pieces, failed := 0, 0
	var failures []any
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	for start := 0; start < len(keys) || (start == 0 && len(keys) == 0); start += ExportPieceSize {
		end := min(start+ExportPieceSize, len(keys))
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		enc := json.NewEncoder(zw)
		enc.SetEscapeHTML(false)
		for _, k := range keys[start:end] {
			_ = enc.Encode(a.endpoints[k])
		}
		_ = zw.Close()
		pieces++
		objKey := fmt.Sprintf("%s%s/%s/%05d.gz", prefix, a.obj["Id"], id, pieces)
		if s.objs == nil {
			failed++
			failures = append(failures, "no S3 is attached to this emulator")
		} else if err := s.objs.PutObject(bucket, objKey, buf.Bytes()); err != nil {
			failed++
			failures = append(failures, fmt.Sprintf("write s3://%s/%s: %v", bucket, objKey, err))
		}
		if len(keys) == 0 {
			break
		}
	}
	job["TotalPieces"], job["CompletedPieces"], job["FailedPieces"] = float64(pieces), float64(pieces-failed), float64(failed)
	job["TotalProcessed"], job["TotalFailures"] = float64(len(keys)), float64(0)
	if failed > 0 {
		job["Failures"] = failures
		job["TotalFailures"] = float64(len(keys))
	}
	a.exportJobs = append(a.exportJobs, job)
	out := copyMap(job)
	out["JobStatus"] = "CREATED"
	return out, nil
}

func findJob(jobs []map[string]any, id string) (map[string]any, *core.Error) {
	for _, j := range jobs {
		if core.Str(j, "Id") == id {
			return j, nil
		}
	}
	return nil, notFound("Job %s not found", id)
}

func getExportJob(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	j, err := findJob(a.exportJobs, core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	return s.jobView(j), nil
}

func (s *Service) jobList(list string, jobs []map[string]any, segment string, in map[string]any) (any, *core.Error) {
	var items []any
	// Newest first, as the console and API list jobs.
	for i := len(jobs) - 1; i >= 0; i-- {
		j := jobs[i]
		if segment != "" && core.Str(core.Obj(j, "Definition"), "SegmentId") != segment {
			continue
		}
		items = append(items, s.jobView(j))
	}
	return listPage(list, items, in, "Token")
}

func getExportJobs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	return s.jobList("export-jobs/"+core.Str(in, "ApplicationId"), a.exportJobs, "", in)
}

func getSegmentExportJobs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if _, err := a.segment(core.Str(in, "SegmentId")); err != nil {
		return nil, err
	}
	return s.jobList("segment-export-jobs/"+core.Str(in, "SegmentId"), a.exportJobs, core.Str(in, "SegmentId"), in)
}

func getImportJob(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	j, err := findJob(a.importJobs, core.Str(in, "JobId"))
	if err != nil {
		return nil, err
	}
	return s.jobView(j), nil
}

func getImportJobs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	return s.jobList("import-jobs/"+core.Str(in, "ApplicationId"), a.importJobs, "", in)
}

func getSegmentImportJobs(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	if _, err := a.segment(core.Str(in, "SegmentId")); err != nil {
		return nil, err
	}
	return s.jobList("segment-import-jobs/"+core.Str(in, "SegmentId"), a.importJobs, core.Str(in, "SegmentId"), in)
}

// createImportJob reads the file at S3Url from the emulator's S3, registers
// its endpoints and, with DefineSegment, creates an IMPORT segment holding
// exactly them.
func createImportJob(s *Service, c *core.Call, r *region, in map[string]any) (any, *core.Error) {
	a, err := r.app(core.Str(in, "ApplicationId"))
	if err != nil {
		return nil, err
	}
	req := core.Obj(in, "ImportJobRequest")
	if !strings.HasPrefix(core.Str(req, "RoleArn"), "arn:") {
		return nil, badRequest("RoleArn must be an IAM role ARN")
	}
	bucket, key, perr := parseS3URL(core.Str(req, "S3Url"))
	if perr != nil {
		return nil, perr
	}
	if s.objs == nil {
		return nil, badRequest("No S3 is attached to this emulator")
	}
	data, gerr := s.objs.GetObject(bucket, key)
	if gerr != nil {
		return nil, badRequest("Cannot read %s: %v", core.Str(req, "S3Url"), gerr)
	}
	format := core.Str(req, "Format")
	eps, perrs := parseImport(format, data)
	id := s.newID(r.name, "import")
	job := map[string]any{"ApplicationId": a.obj["Id"], "Id": id, "CreationDate": s.stamp(), "JobStatus": "CREATED", "Type": "IMPORT", "Definition": copyMap(req)}
	var members []string
	var failures []any
	channelCounts := map[string]any{}
	for i, ep := range eps {
		epID := core.Str(ep, "Id")
		if epID == "" {
			epID = fmt.Sprintf("%s-%d", id[:8], i+1)
		}
		if b, ok := req["RegisterEndpoints"].(bool); !ok || b {
			if err := s.putEndpoint(a, epID, ep, c.RequestID); err != nil {
				failures = append(failures, fmt.Sprintf("record %d: %s", i+1, err.Message))
				continue
			}
		}
		members = append(members, strings.ToLower(epID))
		ct := core.Str(ep, "ChannelType")
		n, _ := channelCounts[ct].(float64)
		channelCounts[ct] = n + 1
	}
	for _, e := range perrs {
		failures = append(failures, e)
	}
	if b, _ := req["DefineSegment"].(bool); b {
		segID := core.Str(req, "SegmentId")
		now := s.stamp()
		if segID == "" {
			segID = s.newID(r.name, "segment")
		}
		seg := map[string]any{"ApplicationId": a.obj["Id"], "Id": segID, "Arn": arn(r.name, fmt.Sprintf("apps/%s/segments/%s", a.obj["Id"], segID)),
			"CreationDate": now, "LastModifiedDate": now, "Name": core.Str(req, "SegmentName"), "SegmentType": "IMPORT", "Version": float64(1), "tags": map[string]any{},
			"ImportDefinition": map[string]any{"ChannelCounts": channelCounts, "ExternalId": core.Str(req, "ExternalId"), "Format": format, "RoleArn": req["RoleArn"],
				"S3Url": req["S3Url"], "Size": float64(len(members))}}
		if v := a.segments[segID]; v != nil {
			newVersion(v, now, func(o map[string]any) { o["ImportDefinition"] = seg["ImportDefinition"] })
		} else {
			a.segments[segID] = &versioned{versions: []map[string]any{seg}}
			a.segOrder = append(a.segOrder, segID)
		}
		a.segMembers[segID] = members
		job["Definition"].(map[string]any)["SegmentId"] = segID
	}
	job["TotalPieces"], job["CompletedPieces"], job["FailedPieces"] = float64(1), float64(1), float64(0)
	job["TotalProcessed"], job["TotalFailures"] = float64(len(eps)), float64(len(failures))
	if len(failures) > 0 {
		if len(failures) > 100 {
			failures = failures[:100]
		}
		job["Failures"] = failures
	}
	a.importJobs = append(a.importJobs, job)
	out := copyMap(job)
	return out, nil
}

// parseImport reads an import file: newline-delimited EndpointRequest JSON,
// or CSV with dotted headers (a repeated header is a multi-value attribute).
func parseImport(format string, data []byte) ([]map[string]any, []string) {
	var out []map[string]any
	var errs []string
	if format == "JSON" {
		dec := json.NewDecoder(bytes.NewReader(data))
		for n := 1; dec.More(); n++ {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				errs = append(errs, fmt.Sprintf("record %d: %v", n, err))
				break
			}
			out = append(out, m)
		}
		return out, errs
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, []string{"csv: " + err.Error()}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	head := rows[0]
	for _, row := range rows[1:] {
		ep := map[string]any{}
		for i, col := range head {
			if i >= len(row) || row[i] == "" {
				continue
			}
			setPath(ep, strings.Split(strings.TrimSpace(col), "."), row[i])
		}
		out = append(out, ep)
	}
	return out, errs
}

// setPath writes a CSV cell into the nested endpoint object. Attribute bags
// hold lists of strings; metrics and coordinates hold numbers.
func setPath(m map[string]any, path []string, val string) {
	for i, p := range path[:len(path)-1] {
		next, _ := m[p].(map[string]any)
		if next == nil {
			next = map[string]any{}
			m[p] = next
		}
		if (p == "Attributes" || p == "UserAttributes") && i == len(path)-2 {
			leaf := path[len(path)-1]
			list, _ := next[leaf].([]any)
			next[leaf] = append(list, val)
			return
		}
		if p == "Metrics" && i == len(path)-2 {
			f, _ := strconv.ParseFloat(val, 64)
			next[path[len(path)-1]] = f
			return
		}
		m = next
	}
	leaf := path[len(path)-1]
	if leaf == "Latitude" || leaf == "Longitude" {
		f, _ := strconv.ParseFloat(val, 64)
		m[leaf] = f
		return
	}
	m[leaf] = val
}

// segmentMembers returns the endpoints an export of a segment holds:
// imported segments hold exactly their imported endpoints; dimensional
// ones are evaluated against the stored endpoints.
func (s *Service) segmentMembers(a *app, segID string) []string {
	if m, ok := a.segMembers[segID]; ok {
		return m
	}
	seg := a.segments[segID].latest()
	var out []string
	for _, k := range a.epOrder {
		if matchSegment(a, seg, a.endpoints[k], 0) {
			out = append(out, k)
		}
	}
	return out
}
