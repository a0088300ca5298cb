package profiles

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles/types"

	"github.com/p2c/p2c/internal/emulator/core"
)

func TestEventTriggers(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	must[*cp.PutProfileObjectTypeOutput](t)(c.PutProfileObjectType(ctx, endpointObjectType("acme")))
	h.segment(t, "gold", &types.SegmentGroup{Groups: []types.Group{{Dimensions: []types.Dimension{attrDim("tier", types.AttributeDimensionTypeInclusive, "gold")}}}})
	conds := []types.EventTriggerCondition{{LogicalOperator: types.EventTriggerLogicalOperatorAny, EventTriggerDimensions: []types.EventTriggerDimension{{
		ObjectAttributes: []types.ObjectAttribute{{FieldName: aws.String("Channels"), ComparisonOperator: types.ComparisonOperatorInclusive, Values: []string{"EMAIL"}}}}}}}
	in := &cp.CreateEventTriggerInput{DomainName: d, EventTriggerName: aws.String("purchase"), ObjectTypeName: aws.String("PinpointEndpoint"),
		Description: aws.String("d"), EventTriggerConditions: conds, SegmentFilter: aws.String("gold"),
		EventTriggerLimits: &types.EventTriggerLimits{EventExpiration: aws.Int64(3600000), Periods: []types.Period{{Unit: types.PeriodUnitMinutes, Value: aws.Int32(30), MaxInvocationsPerProfile: aws.Int32(1)}}},
		Tags:               map[string]string{"p2c:step": "t"}}
	out := must[*cp.CreateEventTriggerOutput](t)(c.CreateEventTrigger(ctx, in))
	if aws.ToString(out.SegmentFilter) != "gold" || out.EventTriggerLimits.Periods[0].Unit != types.PeriodUnitMinutes || aws.ToInt32(out.EventTriggerLimits.Periods[0].Value) != 30 || out.CreatedAt == nil {
		t.Fatalf("CreateEventTrigger = %+v", out)
	}
	_, err := c.CreateEventTrigger(ctx, in)
	wantErr[*types.BadRequestException](t, err)
	bad := *in
	bad.EventTriggerName, bad.SegmentFilter = aws.String("x"), aws.String("missing")
	_, err = c.CreateEventTrigger(ctx, &bad)
	wantErr[*types.BadRequestException](t, err)
	bad.SegmentFilter, bad.ObjectTypeName = nil, aws.String("Missing")
	_, err = c.CreateEventTrigger(ctx, &bad)
	wantErr[*types.BadRequestException](t, err)
	bad.ObjectTypeName = aws.String("PinpointEndpoint")
	bad.EventTriggerLimits = &types.EventTriggerLimits{Periods: []types.Period{{Unit: types.PeriodUnitHours, Value: aws.Int32(30)}}}
	_, err = c.CreateEventTrigger(ctx, &bad)
	wantErr[*types.BadRequestException](t, err)

	up := must[*cp.UpdateEventTriggerOutput](t)(c.UpdateEventTrigger(ctx, &cp.UpdateEventTriggerInput{DomainName: d, EventTriggerName: aws.String("purchase"), Description: aws.String("new")}))
	if aws.ToString(up.Description) != "new" || aws.ToString(up.SegmentFilter) != "gold" {
		t.Fatalf("UpdateEventTrigger = %+v", up)
	}
	g := must[*cp.GetEventTriggerOutput](t)(c.GetEventTrigger(ctx, &cp.GetEventTriggerInput{DomainName: d, EventTriggerName: aws.String("purchase")}))
	if aws.ToString(g.Description) != "new" || g.Tags["p2c:step"] != "t" || len(g.EventTriggerConditions) != 1 {
		t.Fatalf("GetEventTrigger = %+v", g)
	}
	for i := 1; i < 50; i++ {
		in := *in
		in.EventTriggerName = aws.String(fmt.Sprintf("t%02d", i))
		must[*cp.CreateEventTriggerOutput](t)(c.CreateEventTrigger(ctx, &in))
	}
	over := *in
	over.EventTriggerName = aws.String("t50")
	_, err = c.CreateEventTrigger(ctx, &over)
	wantErr[*types.BadRequestException](t, err)
	n := 0
	p := cp.NewListEventTriggersPaginator(c, &cp.ListEventTriggersInput{DomainName: d, MaxResults: aws.Int32(20)})
	pages := 0
	for p.HasMorePages() {
		n += len(must[*cp.ListEventTriggersOutput](t)(p.NextPage(ctx)).Items)
		pages++
	}
	if n != 50 || pages != 3 {
		t.Fatalf("listed %d triggers in %d pages", n, pages)
	}
	must[*cp.DeleteEventTriggerOutput](t)(c.DeleteEventTrigger(ctx, &cp.DeleteEventTriggerInput{DomainName: d, EventTriggerName: aws.String("purchase")}))
	_, err = c.GetEventTrigger(ctx, &cp.GetEventTriggerInput{DomainName: d, EventTriggerName: aws.String("purchase")})
	wantErr[*types.ResourceNotFoundException](t, err)
}

func TestUploadJobs(t *testing.T) {
	h := newHarness(t, core.Options{})
	c := h.c
	h.domain(t, "acme")
	d := aws.String("acme")
	fields := map[string]types.ObjectTypeField{
		"id":    {Source: aws.String("_source.id"), Target: aws.String("_profile.AccountNumber")},
		"email": {Source: aws.String("_source.email"), Target: aws.String("_profile.EmailAddress")},
		"seg":   {Source: aws.String("_source.seg"), Target: aws.String("_profile.Attributes.p2c_imported_seg1")},
	}
	job := must[*cp.CreateUploadJobOutput](t)(c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: d, DisplayName: aws.String("import seg1"),
		Fields: fields, UniqueKey: aws.String("id"), DataExpiry: aws.Int32(1098)}))
	id := job.JobId
	if len(aws.ToString(id)) != 32 {
		t.Fatalf("JobId %q", aws.ToString(id))
	}
	_, err := c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: d, DisplayName: aws.String("x"), Fields: fields, UniqueKey: aws.String("nope")})
	wantErr[*types.BadRequestException](t, err)
	if g := must[*cp.GetUploadJobOutput](t)(c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: id})); g.Status != types.UploadJobStatusCreated || aws.ToInt32(g.DataExpiry) != 1098 {
		t.Fatalf("new job: %+v", g)
	}

	// Put the CSV at the pre-signed URL, as a client would (SSE-C headers included).
	path := must[*cp.GetUploadJobPathOutput](t)(c.GetUploadJobPath(ctx, &cp.GetUploadJobPathInput{DomainName: d, JobId: id}))
	csv := "id,email,seg\nA-1,ada@example.com,true\nA-2,bob@example.com,true\n,nobody@example.com,true\n"
	req, _ := http.NewRequest(http.MethodPut, aws.ToString(path.Url), bytes.NewReader([]byte(csv)))
	req.Header.Set("x-amz-server-side-encryption-customer-algorithm", "AES256")
	req.Header.Set("x-amz-server-side-encryption-customer-key", aws.ToString(path.ClientToken))
	req.Header.Set("x-amz-server-side-encryption-customer-key-MD5", keyMD5(t, aws.ToString(path.ClientToken)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT to the upload URL: %d %s", resp.StatusCode, body)
	}
	if path.ValidUntil == nil || aws.ToString(path.ClientToken) == "" {
		t.Fatalf("GetUploadJobPath = %+v", path)
	}

	must[*cp.StartUploadJobOutput](t)(c.StartUploadJob(ctx, &cp.StartUploadJobInput{DomainName: d, JobId: id}))
	_, err = c.StartUploadJob(ctx, &cp.StartUploadJobInput{DomainName: d, JobId: id})
	wantErr[*types.BadRequestException](t, err)
	g1 := must[*cp.GetUploadJobOutput](t)(c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: id}))
	g2 := must[*cp.GetUploadJobOutput](t)(c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: id}))
	if g1.Status != types.UploadJobStatusInProgress || g2.Status != types.UploadJobStatusPartiallySucceeded || g2.CompletedAt == nil {
		t.Fatalf("job polls: %s then %s", g1.Status, g2.Status)
	}
	if rs := g2.ResultsSummary; aws.ToInt64(rs.CreatedRecords) != 2 || aws.ToInt64(rs.FailedRecords) != 1 || aws.ToInt64(rs.UpdatedRecords) != 0 {
		t.Fatalf("ResultsSummary = %+v", rs)
	}
	p := h.profileBy(t, "acme", "_account", "A-2")
	if aws.ToString(p.EmailAddress) != "bob@example.com" || p.Attributes["p2c_imported_seg1"] != "true" {
		t.Fatalf("uploaded profile: %+v", p)
	}

	// A second job with the same key updates; one without data fails; stop works.
	job2 := must[*cp.CreateUploadJobOutput](t)(c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: d, DisplayName: aws.String("again"), Fields: fields, UniqueKey: aws.String("id")}))
	must[*cp.GetUploadJobPathOutput](t)(c.GetUploadJobPath(ctx, &cp.GetUploadJobPathInput{DomainName: d, JobId: job2.JobId}))
	if err := h.s3.PutObject(UploadBucket, uploadKey("acme", aws.ToString(job2.JobId)), []byte("id,email\nA-1,ada@new.example.com\n")); err != nil {
		t.Fatal(err)
	}
	must[*cp.StartUploadJobOutput](t)(c.StartUploadJob(ctx, &cp.StartUploadJobInput{DomainName: d, JobId: job2.JobId}))
	c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: job2.JobId})
	g := must[*cp.GetUploadJobOutput](t)(c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: job2.JobId}))
	if g.Status != types.UploadJobStatusSucceeded || aws.ToInt64(g.ResultsSummary.UpdatedRecords) != 1 || aws.ToInt32(g.DataExpiry) != 14 {
		t.Fatalf("second job: %+v %+v", g, g.ResultsSummary)
	}
	if p := h.profileBy(t, "acme", "_account", "A-1"); aws.ToString(p.EmailAddress) != "ada@new.example.com" {
		t.Fatalf("updated email %s", aws.ToString(p.EmailAddress))
	}
	job3 := must[*cp.CreateUploadJobOutput](t)(c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: d, DisplayName: aws.String("empty"), Fields: fields, UniqueKey: aws.String("id")}))
	must[*cp.StartUploadJobOutput](t)(c.StartUploadJob(ctx, &cp.StartUploadJobInput{DomainName: d, JobId: job3.JobId}))
	c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: job3.JobId})
	if g := must[*cp.GetUploadJobOutput](t)(c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: job3.JobId})); g.Status != types.UploadJobStatusFailed || g.StatusReason != types.StatusReasonValidationFailure {
		t.Fatalf("job without data: %+v", g)
	}
	job4 := must[*cp.CreateUploadJobOutput](t)(c.CreateUploadJob(ctx, &cp.CreateUploadJobInput{DomainName: d, DisplayName: aws.String("stopped"), Fields: fields, UniqueKey: aws.String("id")}))
	must[*cp.StopUploadJobOutput](t)(c.StopUploadJob(ctx, &cp.StopUploadJobInput{DomainName: d, JobId: job4.JobId}))
	_, err = c.StopUploadJob(ctx, &cp.StopUploadJobInput{DomainName: d, JobId: job4.JobId})
	wantErr[*types.BadRequestException](t, err)

	var names []string
	pg := cp.NewListUploadJobsPaginator(c, &cp.ListUploadJobsInput{DomainName: d, MaxResults: aws.Int32(3)})
	for pg.HasMorePages() {
		for _, it := range must[*cp.ListUploadJobsOutput](t)(pg.NextPage(ctx)).Items {
			names = append(names, aws.ToString(it.DisplayName)+"="+string(it.Status))
		}
	}
	if got := strings.Join(names, ","); got != "import seg1=PARTIALLY_SUCCEEDED,again=SUCCEEDED,empty=FAILED,stopped=STOPPED" {
		t.Fatalf("ListUploadJobs = %s", got)
	}
	_, err = c.GetUploadJob(ctx, &cp.GetUploadJobInput{DomainName: d, JobId: aws.String("0123456789abcdef0123456789abcdef")})
	wantErr[*types.ResourceNotFoundException](t, err)
}
