package s3_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/p2c/p2c/internal/emulator/core"
	s3emu "github.com/p2c/p2c/internal/emulator/s3"
)

type env struct {
	svc    *s3emu.Service
	core   *core.Server
	url    string
	client *s3.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	svc := s3emu.New()
	srv := core.NewServer(core.Options{}, svc)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{svc: svc, core: srv, url: ts.URL, client: newClient(ts.URL, func(o *s3.Options) { o.UsePathStyle = true })}
}

func newClient(endpoint string, opt ...func(*s3.Options)) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint: aws.String(endpoint),
	}, opt...)
}

// apiCode returns the error code of an SDK error, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func mustBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bkt, key, body string) {
	t.Helper()
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bkt), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("put %s/%s: %v", bkt, key, err)
	}
}

func TestBuckets(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	mustBucket(t, c, "exports")

	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("exports")})
	var owned *types.BucketAlreadyOwnedByYou
	if !errors.As(err, &owned) {
		t.Fatalf("second create: got %v, want BucketAlreadyOwnedByYou", err)
	}
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")}); apiCode(err) != "InvalidBucketName" {
		t.Fatalf("bad name: got %v", err)
	}
	// A configuration body naming another region than the endpoint's.
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	if apiCode(err) != "IllegalLocationConstraintException" {
		t.Fatalf("mismatched location: got %v", err)
	}
	eu := newClient(e.url, func(o *s3.Options) { o.UsePathStyle = true; o.Region = "eu-west-1" })
	_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	if err != nil {
		t.Fatalf("create with configuration: %v", err)
	}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("eu-bucket")})
	if err != nil || loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Fatalf("location: %v %v", loc, err)
	}

	hb, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("eu-bucket")})
	if err != nil || aws.ToString(hb.BucketRegion) != "eu-west-1" {
		t.Fatalf("head bucket: %+v %v", hb, err)
	}
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("missing")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Fatalf("head missing bucket: got %v, want NotFound", err)
	}

	lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("list buckets: %v", err)
	}
	var names []string
	for _, b := range lb.Buckets {
		names = append(names, aws.ToString(b.Name))
		if b.CreationDate == nil || b.CreationDate.IsZero() {
			t.Errorf("bucket %s has no creation date", aws.ToString(b.Name))
		}
	}
	if got := strings.Join(names, ","); got != "eu-bucket,exports" {
		t.Fatalf("buckets = %s", got)
	}
	if lb.Owner == nil || len(aws.ToString(lb.Owner.ID)) != 64 {
		t.Errorf("owner = %+v", lb.Owner)
	}
	page, err := c.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1)})
	if err != nil || len(page.Buckets) != 1 || page.ContinuationToken == nil {
		t.Fatalf("list buckets page: %+v %v", page, err)
	}
	page, err = c.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(1), ContinuationToken: page.ContinuationToken})
	if err != nil || len(page.Buckets) != 1 || aws.ToString(page.Buckets[0].Name) != "exports" {
		t.Fatalf("list buckets second page: %+v %v", page, err)
	}

	mustPut(t, c, "exports", "a.json", "{}")
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("exports")})
	if apiCode(err) != "BucketNotEmpty" {
		t.Fatalf("delete non-empty: got %v", err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("exports"), Key: aws.String("a.json")}); err != nil {
		t.Fatalf("delete object: %v", err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("exports")}); err != nil {
		t.Fatalf("delete bucket: %v", err)
	}
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("exports")})
	if apiCode(err) != "NoSuchBucket" {
		t.Fatalf("delete deleted bucket: got %v", err)
	}
}

func TestObjects(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	mustBucket(t, c, "exports")

	body := "{\"Id\":\"e1\"}\n{\"Id\":\"e2\"}\n"
	put, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json"),
		Body: strings.NewReader(body), ContentType: aws.String("application/json"),
		Metadata: map[string]string{"source": "pinpoint"},
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	wantETag := `"` + md5hex(body) + `"`
	if aws.ToString(put.ETag) != wantETag {
		t.Errorf("put etag = %s, want %s", aws.ToString(put.ETag), wantETag)
	}

	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if string(got) != body {
		t.Errorf("body = %q", got)
	}
	if aws.ToString(get.ContentType) != "application/json" || aws.ToString(get.ETag) != wantETag ||
		aws.ToInt64(get.ContentLength) != int64(len(body)) || get.Metadata["source"] != "pinpoint" {
		t.Errorf("get output = %+v", get)
	}
	if get.LastModified == nil || time.Since(*get.LastModified) > time.Minute {
		t.Errorf("last modified = %v", get.LastModified)
	}

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json")})
	if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag {
		t.Fatalf("head: %+v %v", head, err)
	}

	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json"), Range: aws.String("bytes=1-4")})
	if err != nil {
		t.Fatalf("range get: %v", err)
	}
	got, _ = io.ReadAll(rng.Body)
	rng.Body.Close()
	if string(got) != body[1:5] || aws.ToString(rng.ContentRange) != fmt.Sprintf("bytes 1-4/%d", len(body)) {
		t.Errorf("range = %q %s", got, aws.ToString(rng.ContentRange))
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json"), Range: aws.String("bytes=1000-")})
	if apiCode(err) != "InvalidRange" {
		t.Errorf("unsatisfiable range: got %v", err)
	}

	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("missing")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("get missing key: got %v, want NoSuchKey", err)
	}
	// The SDK models NoSuchBucket as a typed error only on the listings;
	// elsewhere it is a generic API error with the same code.
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("nobucket")})
	var nsb *types.NoSuchBucket
	if !errors.As(err, &nsb) {
		t.Errorf("list missing bucket: got %v, want NoSuchBucket", err)
	}
	_, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("nobucket")})
	if !errors.As(err, &nsb) {
		t.Errorf("list v1 missing bucket: got %v, want NoSuchBucket", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
	if apiCode(err) != "NoSuchBucket" {
		t.Errorf("get in missing bucket: got %v, want NoSuchBucket", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k"), Body: strings.NewReader("x")})
	if apiCode(err) != "NoSuchBucket" {
		t.Errorf("put in missing bucket: got %v, want NoSuchBucket", err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("exports"), Key: aws.String("missing")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("head missing key: got %v, want NotFound", err)
	}

	// Conditional GET.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json"), IfMatch: aws.String(`"nope"`)})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("if-match: got %v", err)
	}
	// Conditional write: the key exists already.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("exports"), Key: aws.String("app 1/part-0000.json"),
		Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	if apiCode(err) != "PreconditionFailed" {
		t.Errorf("put if-none-match: got %v", err)
	}

	// Copy, then delete several at once.
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("exports"), Key: aws.String("copy.json"),
		CopySource: aws.String("exports/app%201/part-0000.json")})
	if err != nil || aws.ToString(cp.CopyObjectResult.ETag) != wantETag {
		t.Fatalf("copy: %+v %v", cp, err)
	}
	if data, err := e.svc.GetObject("exports", "copy.json"); err != nil || string(data) != body {
		t.Fatalf("copied object = %q, %v", data, err)
	}
	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("exports"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("copy.json")}, {Key: aws.String("app 1/part-0000.json")}}}})
	if err != nil || len(del.Deleted) != 2 {
		t.Fatalf("delete objects: %+v %v", del, err)
	}
	if keys, _ := e.svc.ListKeys("exports", ""); len(keys) != 0 {
		t.Fatalf("keys left after delete: %v", keys)
	}
	// Deleting a missing key succeeds.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("exports"), Key: aws.String("gone")}); err != nil {
		t.Fatalf("delete missing key: %v", err)
	}
}

func TestChecksums(t *testing.T) {
	// Over TLS the SDK streams unseekable bodies as aws-chunked with a
	// trailing checksum; over plain HTTP it refuses them.
	svc := s3emu.New()
	var mu sync.Mutex
	var encodings []string
	srv := core.NewServer(core.Options{}, svc)
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		encodings = append(encodings, r.Header.Get("Content-Encoding")+" "+r.Header.Get("X-Amz-Content-Sha256"))
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	e := &env{svc: svc}
	c := newClient(ts.URL, func(o *s3.Options) { o.UsePathStyle = true; o.HTTPClient = ts.Client() })
	ctx := context.Background()
	mustBucket(t, c, "sums")
	data := strings.Repeat("endpoint,export\n", 1000)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		key := "obj-" + string(alg)
		// A bytes.Reader is seekable: the SDK sends the checksum as a header.
		// The io.MultiReader is not: it streams aws-chunked with a trailer.
		for i, body := range []io.Reader{bytes.NewReader([]byte(data)), io.MultiReader(strings.NewReader(data))} {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String(key),
				Body: body, ChecksumAlgorithm: alg})
			if err != nil {
				t.Fatalf("put %s (%d): %v", alg, i, err)
			}
			got, err := e.svc.GetObject("sums", key)
			if err != nil || string(got) != data {
				t.Fatalf("stored %s (%d): %d bytes, %v", alg, i, len(got), err)
			}
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatalf("get %s: %v", alg, err)
		}
		b, err := io.ReadAll(out.Body) // the SDK validates the checksum at EOF
		out.Body.Close()
		if err != nil || string(b) != data {
			t.Fatalf("get %s body: %v", alg, err)
		}
		sums := map[types.ChecksumAlgorithm]*string{types.ChecksumAlgorithmCrc32: out.ChecksumCRC32,
			types.ChecksumAlgorithmCrc32c: out.ChecksumCRC32C, types.ChecksumAlgorithmCrc64nvme: out.ChecksumCRC64NVME,
			types.ChecksumAlgorithmSha1: out.ChecksumSHA1, types.ChecksumAlgorithmSha256: out.ChecksumSHA256}
		if aws.ToString(sums[alg]) == "" {
			t.Errorf("get %s: checksum not echoed", alg)
		}
	}

	mu.Lock()
	if !strings.Contains(strings.Join(encodings, "\n"), "aws-chunked STREAMING-") {
		t.Errorf("the SDK never sent an aws-chunked body: %q", encodings)
	}
	mu.Unlock()

	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("bad"),
		Body: strings.NewReader("abc"), ChecksumCRC32: aws.String("AAAAAA==")})
	if apiCode(err) != "BadDigest" {
		t.Errorf("wrong crc32: got %v", err)
	}

	// Objects written in-process carry S3's default CRC64NVME, which the SDK
	// checks on the way out.
	if err := e.svc.PutObject("sums", "seeded", []byte(data)); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String("seeded"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatalf("get seeded: %v", err)
	}
	if _, err := io.ReadAll(out.Body); err != nil || out.ChecksumCRC64NVME == nil {
		t.Fatalf("seeded checksum: %v %v", err, out.ChecksumCRC64NVME)
	}
	out.Body.Close()
}

func TestGzipRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	mustBucket(t, c, "exports")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	plain := strings.Repeat(`{"ChannelType":"EMAIL","Address":"a@example.com"}`+"\n", 200)
	zw.Write([]byte(plain))
	zw.Close()
	gz := buf.Bytes()

	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("exports"), Key: aws.String("export/1.gz"),
		Body: bytes.NewReader(gz), ContentEncoding: aws.String("gzip"), ContentType: aws.String("application/json")})
	if err != nil {
		t.Fatalf("put gzip: %v", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("exports"), Key: aws.String("export/1.gz")})
	if err != nil {
		t.Fatalf("get gzip: %v", err)
	}
	defer out.Body.Close()
	got, _ := io.ReadAll(out.Body)
	if !bytes.Equal(got, gz) {
		t.Fatalf("gzip bytes changed: got %d bytes, want %d", len(got), len(gz))
	}
	if aws.ToString(out.ContentEncoding) != "gzip" {
		t.Errorf("content encoding = %q", aws.ToString(out.ContentEncoding))
	}
	zr, err := gzip.NewReader(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if un, _ := io.ReadAll(zr); string(un) != plain {
		t.Errorf("gunzipped body differs")
	}
	// In-process readers see the same bytes.
	if data, _ := e.svc.GetObject("exports", "export/1.gz"); !bytes.Equal(data, gz) {
		t.Errorf("in-process bytes differ")
	}
}

func TestListObjectsV2(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client
	mustBucket(t, c, "exports")
	var want []string
	for i := 0; i < 11; i++ {
		k := fmt.Sprintf("app1/part-%04d.json", i)
		want = append(want, k)
		mustPut(t, c, "exports", k, "{}")
	}
	for _, k := range []string{"app2/a.json", "app2/sub/b.json", "app3/c.json", "root.json"} {
		mustPut(t, c, "exports", k, "{}")
	}

	// Pagination over several pages.
	var got []string
	pages := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), Prefix: aws.String("app1/"), MaxKeys: aws.Int32(4)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		if int(aws.ToInt32(out.KeyCount)) != len(out.Contents) {
			t.Errorf("KeyCount %d, contents %d", aws.ToInt32(out.KeyCount), len(out.Contents))
		}
		if aws.ToBool(out.IsTruncated) != (pages < 3) {
			t.Errorf("page %d IsTruncated = %v", pages, aws.ToBool(out.IsTruncated))
		}
		for _, o := range out.Contents {
			got = append(got, aws.ToString(o.Key))
			if aws.ToInt64(o.Size) != 2 || aws.ToString(o.ETag) == "" || o.LastModified == nil || o.StorageClass != types.ObjectStorageClassStandard {
				t.Errorf("object entry %+v", o)
			}
		}
	}
	if pages != 3 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("pages=%d keys=%v", pages, got)
	}

	// Delimiter: common prefixes, and keys at the top.
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if got := prefixes(out.CommonPrefixes); got != "app1/,app2/,app3/" || len(out.Contents) != 1 ||
		aws.ToString(out.Contents[0].Key) != "root.json" || aws.ToInt32(out.KeyCount) != 4 {
		t.Fatalf("delimiter listing: prefixes=%s contents=%d keycount=%d", got, len(out.Contents), aws.ToInt32(out.KeyCount))
	}
	out, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), Prefix: aws.String("app2/"), Delimiter: aws.String("/")})
	if err != nil || prefixes(out.CommonPrefixes) != "app2/sub/" || len(out.Contents) != 1 {
		t.Fatalf("nested delimiter listing: %+v %v", out, err)
	}

	// Delimiter listing, one entry per page: each prefix comes once.
	var seen []string
	p = s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range out.CommonPrefixes {
			seen = append(seen, aws.ToString(cp.Prefix))
		}
		for _, o := range out.Contents {
			seen = append(seen, aws.ToString(o.Key))
		}
	}
	if strings.Join(seen, ",") != "app1/,app2/,app3/,root.json" {
		t.Fatalf("paged delimiter listing = %v", seen)
	}

	out, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), StartAfter: aws.String("app2/sub/b.json")})
	if err != nil || len(out.Contents) != 2 || aws.ToString(out.Contents[0].Key) != "app3/c.json" {
		t.Fatalf("start-after: %+v %v", out, err)
	}
	if aws.ToInt32(out.MaxKeys) != 1000 {
		t.Errorf("default MaxKeys = %d", aws.ToInt32(out.MaxKeys))
	}
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), MaxKeys: aws.Int32(-1)})
	if apiCode(err) != "InvalidArgument" {
		t.Errorf("negative max-keys: got %v", err)
	}
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("exports"), ContinuationToken: aws.String("garbage!")})
	if apiCode(err) != "InvalidArgument" {
		t.Errorf("bad token: got %v", err)
	}

	// ListObjects (v1) pages with markers.
	v1, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("exports"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
	if err != nil || !aws.ToBool(v1.IsTruncated) || aws.ToString(v1.NextMarker) != "app2/" {
		t.Fatalf("list v1: %+v %v", v1, err)
	}
	v1, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("exports"), Delimiter: aws.String("/"), Marker: v1.NextMarker})
	if err != nil || prefixes(v1.CommonPrefixes) != "app3/" || len(v1.Contents) != 1 {
		t.Fatalf("list v1 second page: %+v %v", v1, err)
	}
}

func prefixes(cps []types.CommonPrefix) string {
	var s []string
	for _, cp := range cps {
		s = append(s, aws.ToString(cp.Prefix))
	}
	return strings.Join(s, ",")
}

// TestVirtualHosted sends requests to bucket.localhost:port, as the SDK does
// without UsePathStyle, dialling the test server whatever the host name.
func TestVirtualHosted(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(e.url, "http://")
	_, port, _ := net.SplitHostPort(addr)
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	var hosts []string
	c := newClient("http://localhost:"+port, func(o *s3.Options) {
		o.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			hosts = append(hosts, r.URL.Host)
			return tr.RoundTrip(r)
		})}
	})
	ctx := context.Background()
	mustBucket(t, c, "vhost-bucket")
	mustPut(t, c, "vhost-bucket", "dir/file.json", "hello")
	out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost-bucket")})
	if err != nil || len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "dir/file.json" {
		t.Fatalf("list: %+v %v", out, err)
	}
	if data, err := e.svc.GetObject("vhost-bucket", "dir/file.json"); err != nil || string(data) != "hello" {
		t.Fatalf("stored: %q %v", data, err)
	}
	if len(hosts) == 0 || !strings.HasPrefix(hosts[0], "vhost-bucket.localhost:") {
		t.Fatalf("requests went to %v, not virtual-hosted", hosts)
	}
	// Path style on the same port still works.
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vhost-bucket"), Key: aws.String("dir/file.json")}); err != nil {
		t.Fatalf("path-style head: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// rawRequest sends a request carrying just enough of a SigV4 header for the
// listener to route it.
func rawRequest(t *testing.T, method, url string, body io.Reader, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, url, body)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestWireFormat(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.CreateBucket("wire"); err != nil {
		t.Fatal(err)
	}
	resp := rawRequest(t, "GET", e.url+"/wire/missing.json", nil, nil)
	body, _ := io.ReadAll(resp.Body)
	rid := resp.Header.Get("x-amz-request-id")
	if resp.StatusCode != 404 || len(rid) != 16 || resp.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("status %d, request id %q, type %q", resp.StatusCode, rid, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<Error><Code>NoSuchKey</Code>", "<Message>The specified key does not exist.</Message>",
		"<Key>missing.json</Key>", "<RequestId>" + rid + "</RequestId>"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("error body %s lacks %s", body, want)
		}
	}
	resp = rawRequest(t, "GET", e.url+"/nobucket?list-type=2", nil, nil)
	body, _ = io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "<Code>NoSuchBucket</Code>") || !strings.Contains(string(body), "<BucketName>nobucket</BucketName>") {
		t.Errorf("no such bucket body: %s", body)
	}

	resp = rawRequest(t, "GET", e.url+"/wire?list-type=2&max-keys=abc", nil, nil)
	body, _ = io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidArgument</Code>") {
		t.Errorf("max-keys=abc: %d %s", resp.StatusCode, body)
	}

	// An aws-chunked body with chunk signatures and a trailing checksum,
	// byte for byte as SigV4 streaming uploads send it.
	payload := "hello, chunked world"
	chunked := fmt.Sprintf("%x;chunk-signature=%s\r\n%s\r\n%x;chunk-signature=%s\r\n%s\r\n0;chunk-signature=%s\r\nx-amz-checksum-crc32:%s\r\n\r\n",
		5, strings.Repeat("a", 64), payload[:5], len(payload)-5, strings.Repeat("b", 64), payload[5:], strings.Repeat("c", 64), crc32b64(payload))
	resp = rawRequest(t, "PUT", e.url+"/wire/chunked.txt", strings.NewReader(chunked), map[string]string{
		"Content-Encoding":             "aws-chunked,gzip",
		"X-Amz-Content-Sha256":         "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
		"X-Amz-Decoded-Content-Length": fmt.Sprint(len(payload)),
		"X-Amz-Trailer":                "x-amz-checksum-crc32",
	})
	if resp.StatusCode != 200 || resp.Header.Get("x-amz-checksum-crc32") != crc32b64(payload) {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("chunked put: %d %s", resp.StatusCode, b)
	}
	if data, _ := e.svc.GetObject("wire", "chunked.txt"); string(data) != payload {
		t.Fatalf("chunked body stored as %q", data)
	}
	resp = rawRequest(t, "HEAD", e.url+"/wire/chunked.txt", nil, nil)
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Last-Modified") == "" ||
		resp.Header.Get("ETag") != `"`+md5hex(payload)+`"` {
		t.Errorf("head headers: %v", resp.Header)
	}
	if _, err := time.Parse(http.TimeFormat, resp.Header.Get("Last-Modified")); err != nil {
		t.Errorf("Last-Modified: %v", err)
	}

	resp = rawRequest(t, "GET", e.url+"/wire?list-type=2", nil, nil)
	body, _ = io.ReadAll(resp.Body)
	for _, want := range []string{`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`, "<KeyCount>1</KeyCount>",
		"<MaxKeys>1000</MaxKeys>", "<IsTruncated>false</IsTruncated>"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("listing %s lacks %s", body, want)
		}
	}
	if !strings.Contains(string(body), "<LastModified>") || !strings.Contains(string(body), ".000Z</LastModified>") {
		t.Errorf("listing LastModified not ISO 8601 with milliseconds: %s", body)
	}

	resp = rawRequest(t, "GET", e.url+"/wire?acl", nil, nil)
	if resp.StatusCode != 501 {
		t.Errorf("unimplemented subresource: %d", resp.StatusCode)
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t)
	if err := e.svc.CreateBucket("faults"); err != nil {
		t.Fatal(err)
	}
	c := newClient(e.url, func(o *s3.Options) { o.UsePathStyle = true; o.RetryMaxAttempts = 1 })
	ctx := context.Background()

	e.core.SetOptions(core.Options{Quotas: true, QuotaScale: 1.0 / 5500})
	var err error
	for i := 0; i < 3 && err == nil; i++ {
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("faults")})
	}
	if apiCode(err) != "SlowDown" {
		t.Fatalf("throttled: got %v, want SlowDown", err)
	}
	e.core.SetOptions(core.Options{ErrorRate: 1})
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("faults")})
	if apiCode(err) != "InternalError" {
		t.Fatalf("internal: got %v, want InternalError", err)
	}
	e.core.SetOptions(core.Options{Retired: true})
	if _, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("faults")}); err != nil {
		t.Fatalf("retired mode must not affect S3: %v", err)
	}
}

func TestInProcess(t *testing.T) {
	svc := s3emu.New()
	if err := svc.PutObject("nope", "k", []byte("x")); !errors.Is(err, s3emu.ErrNoSuchBucket) {
		t.Fatalf("put into missing bucket: %v", err)
	}
	if err := svc.CreateBucket("seeded"); err != nil {
		t.Fatal(err)
	}
	if err := svc.CreateBucket("seeded"); !errors.Is(err, s3emu.ErrBucketExists) {
		t.Fatalf("duplicate bucket: %v", err)
	}
	if err := svc.CreateBucket("Not_Valid"); !errors.Is(err, s3emu.ErrInvalidBucket) {
		t.Fatalf("invalid bucket: %v", err)
	}
	if err := svc.PutObject("seeded", "a/b.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if data, err := svc.GetObject("seeded", "a/b.json"); err != nil || string(data) != "{}" {
		t.Fatalf("get: %q %v", data, err)
	}
	if _, err := svc.GetObject("seeded", "zzz"); !errors.Is(err, s3emu.ErrNoSuchKey) {
		t.Fatalf("get missing: %v", err)
	}
	if keys, err := svc.ListKeys("seeded", "a/"); err != nil || len(keys) != 1 {
		t.Fatalf("list keys: %v %v", keys, err)
	}
	svc.Reset()
	if _, err := svc.GetObject("seeded", "a/b.json"); !errors.Is(err, s3emu.ErrNoSuchBucket) {
		t.Fatalf("after reset: %v", err)
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func crc32b64(s string) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE([]byte(s)))
	return base64.StdEncoding.EncodeToString(b[:])
}
