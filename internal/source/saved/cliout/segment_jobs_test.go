package cliout

import "testing"

// GetSegmentImportJobs and GetSegmentExportJobs answer in the same
// wrappers as the app's job lists; a job whose definition names a segment
// goes under that segment too, where a live scan finds it.
func TestJobsUnderTheirSegment(t *testing.T) {
	data := []byte(`{"ImportJobsResponse": {"Item": [
  {"ApplicationId": "a1", "Id": "j1", "JobStatus": "COMPLETED", "Type": "IMPORT", "CreationDate": "2026-01-01T00:00:00.000Z",
   "Definition": {"Format": "CSV", "RoleArn": "arn:aws:iam::1:role/r", "S3Url": "s3://b/k.csv", "DefineSegment": true, "SegmentId": "s1", "SegmentName": "imported"}},
  {"ApplicationId": "a1", "Id": "j2", "JobStatus": "COMPLETED", "Type": "IMPORT", "CreationDate": "2026-01-02T00:00:00.000Z",
   "Definition": {"Format": "CSV", "RoleArn": "arn:aws:iam::1:role/r", "S3Url": "s3://b/k2.csv"}}]}}
{"ExportJobsResponse": {"Item": [
  {"ApplicationId": "a1", "Id": "e1", "JobStatus": "COMPLETED", "Type": "EXPORT", "CreationDate": "2026-01-03T00:00:00.000Z",
   "Definition": {"RoleArn": "arn:aws:iam::1:role/r", "S3UrlPrefix": "s3://b/x/", "SegmentId": "s1"}}]}}`)
	inv := load(t, "jobs.json", data)
	a := inv.Regions[0].Apps[0]
	if len(a.ImportJobs) != 2 || len(a.ExportJobs) != 1 {
		t.Fatalf("app jobs: %d import, %d export", len(a.ImportJobs), len(a.ExportJobs))
	}
	if len(a.Segments) != 1 || a.Segments[0].ID != "s1" {
		t.Fatalf("segments: %+v", a.Segments)
	}
	s := a.Segments[0]
	if len(s.ImportJobs) != 1 || s.ImportJobs[0].ID != "j1" || len(s.ExportJobs) != 1 || s.ExportJobs[0].ID != "e1" {
		t.Errorf("segment jobs: %+v %+v", s.ImportJobs, s.ExportJobs)
	}
	if s.Object != nil {
		t.Errorf("the segment itself was not in the file: %s", s.Object)
	}
}
