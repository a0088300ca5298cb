package pinpoint_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/emulator"
)

func (v *env) putEndpoint(app, id string, req *types.EndpointRequest) error {
	_, err := v.pp.UpdateEndpoint(ctx, &pinpoint.UpdateEndpointInput{ApplicationId: &app, EndpointId: &id, EndpointRequest: req})
	return err
}

func TestEndpoints(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("endpoints")
	req := &types.EndpointRequest{
		ChannelType: types.ChannelTypeSms, Address: aws.String("+14255550100"),
		Attributes:  map[string][]string{"Interests": {"shoes", "hats"}},
		Demographic: &types.EndpointDemographic{Platform: aws.String("ios"), Timezone: aws.String("America/Los_Angeles")},
		Location:    &types.EndpointLocation{Country: aws.String("US"), City: aws.String("Seattle"), Latitude: aws.Float64(47.6), Longitude: aws.Float64(-122.3)},
		Metrics:     map[string]float64{"visits": 3},
		OptOut:      aws.String("NONE"),
		User:        &types.EndpointUser{UserId: aws.String("user-1"), UserAttributes: map[string][]string{"FirstName": {"Ana"}}},
	}
	must(t, v.putEndpoint(app, "Phone-1", req), "update endpoint")
	// Ids are case-insensitive: any spelling reads the same endpoint.
	for _, id := range []string{"Phone-1", "phone-1", "PHONE-1"} {
		out, err := v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String(id)})
		must(t, err, "get endpoint "+id)
		ep := out.EndpointResponse
		if aws.ToString(ep.Id) != "Phone-1" || aws.ToString(ep.Address) != "+14255550100" || ep.ChannelType != types.ChannelTypeSms ||
			!reflect.DeepEqual(ep.Attributes, req.Attributes) || !reflect.DeepEqual(ep.Demographic, req.Demographic) || !reflect.DeepEqual(ep.Location, req.Location) ||
			!reflect.DeepEqual(ep.Metrics, req.Metrics) || !reflect.DeepEqual(ep.User, req.User) || aws.ToString(ep.EndpointStatus) != "ACTIVE" ||
			aws.ToString(ep.CohortId) == "" || aws.ToString(ep.CreationDate) == "" || aws.ToString(ep.EffectiveDate) == "" || aws.ToString(ep.ApplicationId) != app {
			t.Errorf("get endpoint %s: %+v", id, ep)
		}
	}
	// An update keeps the members it does not name.
	must(t, v.putEndpoint(app, "PHONE-1", &types.EndpointRequest{OptOut: aws.String("ALL")}), "update endpoint opt-out")
	out, err := v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("phone-1")})
	must(t, err, "get endpoint after update")
	if ep := out.EndpointResponse; aws.ToString(ep.OptOut) != "ALL" || aws.ToString(ep.Address) != "+14255550100" || aws.ToString(ep.User.UserId) != "user-1" {
		t.Errorf("partial update lost members: %+v", ep)
	}
	batch := []types.EndpointBatchItem{
		{Id: aws.String("mail-1"), ChannelType: types.ChannelTypeEmail, Address: aws.String("ana@example.com"), User: &types.EndpointUser{UserId: aws.String("user-1")}},
		{Id: aws.String("push-1"), ChannelType: types.ChannelTypeApns, Address: aws.String("devicetoken"), User: &types.EndpointUser{UserId: aws.String("user-1")}},
		{Id: aws.String("mail-2"), ChannelType: types.ChannelTypeEmail, Address: aws.String("bo@example.com"), User: &types.EndpointUser{UserId: aws.String("user-2")}},
	}
	_, err = v.pp.UpdateEndpointsBatch(ctx, &pinpoint.UpdateEndpointsBatchInput{ApplicationId: &app, EndpointBatchRequest: &types.EndpointBatchRequest{Item: batch}})
	must(t, err, "update endpoints batch")
	ue, err := v.pp.GetUserEndpoints(ctx, &pinpoint.GetUserEndpointsInput{ApplicationId: &app, UserId: aws.String("user-1")})
	must(t, err, "get user endpoints")
	if ids := endpointIDs(ue.EndpointsResponse.Item); fmt.Sprint(ids) != "[Phone-1 mail-1 push-1]" {
		t.Errorf("user-1 endpoints %v", ids)
	}
	del, err := v.pp.DeleteEndpoint(ctx, &pinpoint.DeleteEndpointInput{ApplicationId: &app, EndpointId: aws.String("MAIL-1")})
	must(t, err, "delete endpoint")
	if aws.ToString(del.EndpointResponse.Address) != "ana@example.com" {
		t.Errorf("deleted endpoint: %+v", del.EndpointResponse)
	}
	_, err = v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("mail-1")})
	wantErr[*types.NotFoundException](t, err, "get deleted endpoint")
	_, err = v.pp.DeleteEndpoint(ctx, &pinpoint.DeleteEndpointInput{ApplicationId: &app, EndpointId: aws.String("mail-1")})
	wantErr[*types.NotFoundException](t, err, "delete deleted endpoint")
	du, err := v.pp.DeleteUserEndpoints(ctx, &pinpoint.DeleteUserEndpointsInput{ApplicationId: &app, UserId: aws.String("user-1")})
	must(t, err, "delete user endpoints")
	if ids := endpointIDs(du.EndpointsResponse.Item); fmt.Sprint(ids) != "[Phone-1 push-1]" {
		t.Errorf("deleted user endpoints %v", ids)
	}
	_, err = v.pp.GetUserEndpoints(ctx, &pinpoint.GetUserEndpointsInput{ApplicationId: &app, UserId: aws.String("user-1")})
	wantErr[*types.NotFoundException](t, err, "get endpoints of a deleted user")
	_, err = v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("mail-2")})
	must(t, err, "other user's endpoint survives")

	bad := map[string]*types.EndpointRequest{
		"no channel for a new endpoint": {Address: aws.String("+14255550101")},
		"bad phone number":              {ChannelType: types.ChannelTypeSms, Address: aws.String("555-0101")},
		"bad email":                     {ChannelType: types.ChannelTypeEmail, Address: aws.String("not-an-email")},
		"long attribute name":           {ChannelType: types.ChannelTypeEmail, Attributes: map[string][]string{strings.Repeat("n", 51): {"x"}}},
		"long attribute value":          {ChannelType: types.ChannelTypeEmail, Attributes: map[string][]string{"n": {strings.Repeat("v", 101)}}},
		"bad channel":                   {ChannelType: types.ChannelType("FAX")},
	}
	for name, r := range bad {
		wantErr[*types.BadRequestException](t, v.putEndpoint(app, "bad-1", r), "endpoint with "+name)
	}
	many := make([]types.EndpointBatchItem, 101)
	for i := range many {
		many[i] = types.EndpointBatchItem{Id: aws.String(fmt.Sprint("b", i)), ChannelType: types.ChannelTypeEmail}
	}
	_, err = v.pp.UpdateEndpointsBatch(ctx, &pinpoint.UpdateEndpointsBatchInput{ApplicationId: &app, EndpointBatchRequest: &types.EndpointBatchRequest{Item: many}})
	wantErr[*types.BadRequestException](t, err, "batch of 101")
	_, err = v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("b0")})
	wantErr[*types.NotFoundException](t, err, "a refused batch writes nothing")
}

func endpointIDs(items []types.EndpointResponse) []string {
	var ids []string
	for _, ep := range items {
		ids = append(ids, aws.ToString(ep.Id))
	}
	return ids
}

// TestEndpointsPerUser checks the 15-endpoints-per-user quota: a 16th SMS
// endpoint is refused; a 16th push endpoint retires the user's oldest push
// endpoint instead.
func TestEndpointsPerUser(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	app := v.app("quota")
	user := &types.EndpointUser{UserId: aws.String("u")}
	for i := range 15 {
		ct, addr := types.ChannelTypeSms, fmt.Sprintf("+1425555%04d", i)
		if i < 2 {
			ct, addr = types.ChannelTypeGcm, fmt.Sprint("token", i)
		}
		must(t, v.putEndpoint(app, fmt.Sprint("ep", i), &types.EndpointRequest{ChannelType: ct, Address: &addr, User: user,
			EffectiveDate: aws.String(fmt.Sprintf("2026-01-%02dT00:00:00.000Z", i+1))}), "endpoint "+fmt.Sprint(i))
	}
	err := v.putEndpoint(app, "sms16", &types.EndpointRequest{ChannelType: types.ChannelTypeSms, Address: aws.String("+14255559999"), User: user})
	wantErr[*types.BadRequestException](t, err, "16th SMS endpoint")
	// Updating an endpoint the user already has is not a new one.
	must(t, v.putEndpoint(app, "ep5", &types.EndpointRequest{Address: aws.String("+14255558888"), User: user}), "update an existing endpoint of a full user")
	must(t, v.putEndpoint(app, "push16", &types.EndpointRequest{ChannelType: types.ChannelTypeApns, Address: aws.String("apns"), User: user}), "16th push endpoint")
	old, err := v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("ep0")})
	must(t, err, "get the oldest push endpoint")
	if ep := old.EndpointResponse; aws.ToString(ep.EndpointStatus) != "INACTIVE" || (ep.User != nil && aws.ToString(ep.User.UserId) != "") {
		t.Errorf("oldest push endpoint after a 16th push: status %s user %+v", aws.ToString(ep.EndpointStatus), ep.User)
	}
	ue, err := v.pp.GetUserEndpoints(ctx, &pinpoint.GetUserEndpointsInput{ApplicationId: &app, UserId: aws.String("u")})
	must(t, err, "get user endpoints")
	if n := len(ue.EndpointsResponse.Item); n != 15 {
		t.Errorf("user has %d endpoints, want 15", n)
	}
	// Once the push endpoints are gone, a push endpoint is refused too.
	must(t, v.putEndpoint(app, "push17", &types.EndpointRequest{ChannelType: types.ChannelTypeGcm, Address: aws.String("gcm"), User: user}), "17th (push)")
	for _, id := range []string{"push16", "push17"} {
		_, err := v.pp.DeleteEndpoint(ctx, &pinpoint.DeleteEndpointInput{ApplicationId: &app, EndpointId: &id})
		must(t, err, "delete "+id)
	}
	for i := range 2 {
		must(t, v.putEndpoint(app, fmt.Sprint("sms-extra", i), &types.EndpointRequest{ChannelType: types.ChannelTypeSms, Address: aws.String(fmt.Sprintf("+1206555%04d", i)), User: user}), "refill with SMS")
	}
	err = v.putEndpoint(app, "push18", &types.EndpointRequest{ChannelType: types.ChannelTypeApns, Address: aws.String("apns2"), User: user})
	wantErr[*types.BadRequestException](t, err, "push endpoint for a user full of SMS endpoints")
}

// waitJob polls a job until it completes.
func waitJob(t *testing.T, get func() (types.JobStatus, error)) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := get()
		must(t, err, "get job")
		switch st {
		case types.JobStatusCompleted:
			return
		case types.JobStatusFailed:
			t.Fatalf("job failed")
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %s after 5s", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exported reads every export object under prefix and returns the
// endpoints by id.
func (v *env) exported(bucket, prefix string) map[string]map[string]any {
	v.t.Helper()
	c := v.s3()
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	must(v.t, err, "list export objects")
	if len(list.Contents) == 0 {
		v.t.Fatalf("no export objects under s3://%s/%s", bucket, prefix)
	}
	out := map[string]map[string]any{}
	for _, o := range list.Contents {
		if !strings.HasSuffix(aws.ToString(o.Key), ".gz") {
			v.t.Errorf("export object %s is not .gz", aws.ToString(o.Key))
		}
		g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: o.Key})
		must(v.t, err, "get export object")
		raw, err := io.ReadAll(g.Body)
		g.Body.Close()
		must(v.t, err, "read export object")
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		must(v.t, err, "gunzip export object "+aws.ToString(o.Key))
		sc := bufio.NewScanner(zr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var ep map[string]any
			if err := json.Unmarshal(sc.Bytes(), &ep); err != nil {
				v.t.Fatalf("export line is not JSON: %v: %s", err, sc.Text())
			}
			id, _ := ep["Id"].(string)
			if out[id] != nil {
				v.t.Errorf("endpoint %s exported twice", id)
			}
			out[id] = ep
		}
		must(v.t, sc.Err(), "scan export object")
	}
	return out
}

func sortedIDs(m map[string]map[string]any) []string {
	var ids []string
	for k := range m {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	return ids
}

func TestExportJob(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	v.bucket("exports")
	app := v.app("export")
	var items []types.EndpointBatchItem
	for i := range 30 {
		ct, addr := types.ChannelTypeEmail, fmt.Sprintf("u%d@example.com", i)
		if i%3 == 0 {
			ct, addr = types.ChannelTypeSms, fmt.Sprintf("+1425555%04d", i)
		}
		items = append(items, types.EndpointBatchItem{Id: aws.String(fmt.Sprintf("ep%02d", i)), ChannelType: ct, Address: &addr,
			Attributes: map[string][]string{"n": {fmt.Sprint(i)}}, User: &types.EndpointUser{UserId: aws.String(fmt.Sprint("user", i))}})
	}
	_, err := v.pp.UpdateEndpointsBatch(ctx, &pinpoint.UpdateEndpointsBatchInput{ApplicationId: &app, EndpointBatchRequest: &types.EndpointBatchRequest{Item: items}})
	must(t, err, "seed endpoints")
	role := "arn:aws:iam::111122223333:role/export"
	job, err := v.pp.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: &types.ExportJobRequest{RoleArn: &role, S3UrlPrefix: aws.String("s3://exports/all")}})
	must(t, err, "create export job")
	id := job.ExportJobResponse.Id
	if job.ExportJobResponse.JobStatus != types.JobStatusCreated || aws.ToString(job.ExportJobResponse.Type) != "EXPORT" {
		t.Errorf("new export job: %+v", job.ExportJobResponse)
	}
	waitJob(t, func() (types.JobStatus, error) {
		out, err := v.pp.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: &app, JobId: id})
		if err != nil {
			return "", err
		}
		return out.ExportJobResponse.JobStatus, nil
	})
	got := v.exported("exports", "all/")
	if len(got) != 30 {
		t.Fatalf("export holds %d endpoints, want 30", len(got))
	}
	ep := got["ep03"]
	if ep["Address"] != "+14255550003" || ep["ChannelType"] != "SMS" || fmt.Sprint(ep["Attributes"]) != "map[n:[3]]" || ep["ApplicationId"] != app {
		t.Errorf("exported endpoint ep03: %v", ep)
	}
	// A segment export holds the endpoints the segment selects.
	seg := v.segment(app, "sms only")
	sj, err := v.pp.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: &types.ExportJobRequest{RoleArn: &role,
		S3UrlPrefix: aws.String("s3://exports/sms/"), SegmentId: seg.Id}})
	must(t, err, "create segment export job")
	waitJob(t, func() (types.JobStatus, error) {
		out, err := v.pp.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: &app, JobId: sj.ExportJobResponse.Id})
		if err != nil {
			return "", err
		}
		return out.ExportJobResponse.JobStatus, nil
	})
	smsOnly := v.exported("exports", "sms/")
	if len(smsOnly) != 10 {
		t.Errorf("segment export holds %d endpoints, want 10: %v", len(smsOnly), sortedIDs(smsOnly))
	}
	for id, ep := range smsOnly {
		if ep["ChannelType"] != "SMS" {
			t.Errorf("segment export holds %s of channel %v", id, ep["ChannelType"])
		}
	}
	jobs, err := v.pp.GetSegmentExportJobs(ctx, &pinpoint.GetSegmentExportJobsInput{ApplicationId: &app, SegmentId: seg.Id})
	must(t, err, "get segment export jobs")
	if n := len(jobs.ExportJobsResponse.Item); n != 1 {
		t.Errorf("segment export jobs: %d", n)
	}
	all, err := v.pp.GetExportJobs(ctx, &pinpoint.GetExportJobsInput{ApplicationId: &app})
	must(t, err, "get export jobs")
	if n := len(all.ExportJobsResponse.Item); n != 2 || aws.ToString(all.ExportJobsResponse.Item[0].Id) != aws.ToString(sj.ExportJobResponse.Id) {
		t.Errorf("export jobs, newest first: %d", n)
	}
	for name, r := range map[string]*types.ExportJobRequest{
		"bad role":   {RoleArn: aws.String("role"), S3UrlPrefix: aws.String("s3://exports/x")},
		"bad prefix": {RoleArn: &role, S3UrlPrefix: aws.String("https://exports/x")},
	} {
		_, err := v.pp.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: r})
		wantErr[*types.BadRequestException](t, err, "export with "+name)
	}
	_, err = v.pp.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: &types.ExportJobRequest{RoleArn: &role, S3UrlPrefix: aws.String("s3://exports/x"), SegmentId: aws.String("nope")}})
	wantErr[*types.NotFoundException](t, err, "export of a missing segment")
	_, err = v.pp.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: &app, JobId: aws.String("nope")})
	wantErr[*types.NotFoundException](t, err, "get a missing export job")
}

func TestImportJobs(t *testing.T) {
	v := newEnv(t, emulator.Options{})
	v.bucket("imports")
	app := v.app("import")
	csvFile := "Id,ChannelType,Address,User.UserId,User.UserAttributes.FirstName,Attributes.Interest,Attributes.Interest,Metrics.score,Location.Latitude\n" +
		"c1,EMAIL,ana@example.com,u1,Ana,shoes,hats,4.5,47.6\n" +
		"c2,SMS,+14255550100,u2,Bo,,,,\n" +
		"c3,SMS,not-a-number,u3,,,,,\n"
	jsonFile := `{"Id":"j1","ChannelType":"EMAIL","Address":"cy@example.com","User":{"UserId":"u4","UserAttributes":{"FirstName":["Cy"]}}}
{"Id":"j2","ChannelType":"APNS","Address":"token","Demographic":{"Platform":"ios"}}
`
	c := v.s3()
	for key, body := range map[string]string{"in/people.csv": csvFile, "in/people.json": jsonFile} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("imports"), Key: aws.String(key), Body: strings.NewReader(body)})
		must(t, err, "put "+key)
	}
	role := "arn:aws:iam::111122223333:role/import"
	type result struct {
		segID string
		ids   []string
	}
	run := func(format types.Format, key, segName string) result {
		t.Helper()
		out, err := v.pp.CreateImportJob(ctx, &pinpoint.CreateImportJobInput{ApplicationId: &app, ImportJobRequest: &types.ImportJobRequest{
			Format: format, RoleArn: &role, S3Url: aws.String("s3://imports/" + key), DefineSegment: aws.Bool(true), SegmentName: &segName,
			RegisterEndpoints: aws.Bool(true), ExternalId: aws.String("ext")}})
		must(t, err, "create import job "+key)
		job := out.ImportJobResponse
		if aws.ToString(job.Type) != "IMPORT" || job.Definition == nil || aws.ToString(job.Definition.SegmentId) == "" {
			t.Fatalf("import job: %+v", job)
		}
		waitJob(t, func() (types.JobStatus, error) {
			g, err := v.pp.GetImportJob(ctx, &pinpoint.GetImportJobInput{ApplicationId: &app, JobId: job.Id})
			if err != nil {
				return "", err
			}
			return g.ImportJobResponse.JobStatus, nil
		})
		g, err := v.pp.GetImportJob(ctx, &pinpoint.GetImportJobInput{ApplicationId: &app, JobId: job.Id})
		must(t, err, "get import job")
		t.Logf("%s: processed %d failures %d %v", key, aws.ToInt32(g.ImportJobResponse.TotalProcessed), aws.ToInt32(g.ImportJobResponse.TotalFailures), g.ImportJobResponse.Failures)
		return result{segID: aws.ToString(job.Definition.SegmentId)}
	}
	csvRes := run(types.FormatCsv, "in/people.csv", "csv people")
	jsonRes := run(types.FormatJson, "in/people.json", "json people")

	for _, r := range []struct {
		res   result
		name  string
		size  int32
		count map[string]int32
	}{{csvRes, "csv people", 2, map[string]int32{"EMAIL": 1, "SMS": 1}}, {jsonRes, "json people", 2, map[string]int32{"EMAIL": 1, "APNS": 1}}} {
		seg, err := v.pp.GetSegment(ctx, &pinpoint.GetSegmentInput{ApplicationId: &app, SegmentId: &r.res.segID})
		must(t, err, "get imported segment")
		s := seg.SegmentResponse
		if s.SegmentType != types.SegmentTypeImport || aws.ToString(s.Name) != r.name || s.ImportDefinition == nil || aws.ToInt32(s.ImportDefinition.Size) != r.size ||
			!reflect.DeepEqual(s.ImportDefinition.ChannelCounts, r.count) || aws.ToString(s.ImportDefinition.S3Url) == "" {
			t.Errorf("imported segment %s: %+v %+v", r.name, s, s.ImportDefinition)
		}
		jobs, err := v.pp.GetSegmentImportJobs(ctx, &pinpoint.GetSegmentImportJobsInput{ApplicationId: &app, SegmentId: &r.res.segID})
		must(t, err, "get segment import jobs")
		if len(jobs.ImportJobsResponse.Item) != 1 {
			t.Errorf("segment %s import jobs: %d", r.name, len(jobs.ImportJobsResponse.Item))
		}
	}
	ep, err := v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("c1")})
	must(t, err, "get imported csv endpoint")
	e := ep.EndpointResponse
	if aws.ToString(e.Address) != "ana@example.com" || !reflect.DeepEqual(e.Attributes["Interest"], []string{"shoes", "hats"}) || e.Metrics["score"] != 4.5 ||
		aws.ToFloat64(e.Location.Latitude) != 47.6 || !reflect.DeepEqual(e.User.UserAttributes["FirstName"], []string{"Ana"}) {
		t.Errorf("imported csv endpoint: %+v", e)
	}
	_, err = v.pp.GetEndpoint(ctx, &pinpoint.GetEndpointInput{ApplicationId: &app, EndpointId: aws.String("c3")})
	wantErr[*types.NotFoundException](t, err, "an invalid csv row is not imported")
	ue, err := v.pp.GetUserEndpoints(ctx, &pinpoint.GetUserEndpointsInput{ApplicationId: &app, UserId: aws.String("u4")})
	must(t, err, "get imported json user")
	if ids := endpointIDs(ue.EndpointsResponse.Item); fmt.Sprint(ids) != "[j1]" {
		t.Errorf("json user endpoints %v", ids)
	}
	// An export of an imported segment holds exactly its members.
	v.bucket("exports")
	ex, err := v.pp.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: &app, ExportJobRequest: &types.ExportJobRequest{
		RoleArn: &role, S3UrlPrefix: aws.String("s3://exports/json"), SegmentId: &jsonRes.segID}})
	must(t, err, "export the json segment")
	waitJob(t, func() (types.JobStatus, error) {
		out, err := v.pp.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: &app, JobId: ex.ExportJobResponse.Id})
		if err != nil {
			return "", err
		}
		return out.ExportJobResponse.JobStatus, nil
	})
	if ids := sortedIDs(v.exported("exports", "json/")); fmt.Sprint(ids) != "[j1 j2]" {
		t.Errorf("export of the imported segment: %v", ids)
	}
	all, err := v.pp.GetImportJobs(ctx, &pinpoint.GetImportJobsInput{ApplicationId: &app})
	must(t, err, "get import jobs")
	if len(all.ImportJobsResponse.Item) != 2 {
		t.Errorf("import jobs: %d", len(all.ImportJobsResponse.Item))
	}
	_, err = v.pp.CreateImportJob(ctx, &pinpoint.CreateImportJobInput{ApplicationId: &app, ImportJobRequest: &types.ImportJobRequest{
		Format: types.FormatCsv, RoleArn: &role, S3Url: aws.String("s3://imports/missing.csv")}})
	wantErr[*types.BadRequestException](t, err, "import of a missing object")
	_, err = v.pp.CreateImportJob(ctx, &pinpoint.CreateImportJobInput{ApplicationId: &app, ImportJobRequest: &types.ImportJobRequest{
		Format: types.Format("XML"), RoleArn: &role, S3Url: aws.String("s3://imports/in/people.csv")}})
	wantErr[*types.BadRequestException](t, err, "import of format XML")
}
