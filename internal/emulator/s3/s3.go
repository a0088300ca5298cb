// Package s3 emulates the small part of Amazon S3 that p2c touches: buckets
// and objects holding Pinpoint endpoint export files. It speaks the real
// REST-XML wire format (path-style and virtual-hosted addressing, aws-chunked
// uploads, flexible checksums) so that the aws-sdk-go-v2 S3 client and the
// aws CLI work against it unchanged. There is no botocore model for S3 in
// the tree, so the routes are resolved by hand from method, path and query.
package s3

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// Errors returned by the in-process API, for other emulated services.
var (
	ErrNoSuchBucket  = errors.New("the specified bucket does not exist")
	ErrNoSuchKey     = errors.New("the specified key does not exist")
	ErrBucketExists  = errors.New("bucket already exists")
	ErrInvalidBucket = errors.New("the specified bucket is not valid")
)

// defaultRegion is where buckets created in-process live.
const defaultRegion = "us-east-1"

// Service is the emulated S3. Bucket names are global, as in real S3, so
// there is one namespace; each bucket remembers the region it was created in.
type Service struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	name    string
	region  string
	created time.Time
	objects map[string]*object
}

type object struct {
	data         []byte
	etag         string // quoted MD5 hex
	lastModified time.Time
	contentType  string
	// headers are the stored representation headers (Content-Encoding,
	// Cache-Control, ...) and x-amz-meta-* user metadata, canonical keys.
	headers      http.Header
	storageClass string
	// checksumAlg is the flexible checksum the object carries (CRC32,
	// CRC32C, CRC64NVME, SHA1, SHA256) and checksum its base64 value.
	checksumAlg string
	checksum    string
}

// New returns an empty S3.
func New() *Service {
	return &Service{buckets: map[string]*bucket{}, now: func() time.Time { return time.Now().UTC() }}
}

// SigningName implements core.Service.
func (s *Service) SigningName() string { return "s3" }

// maxObjectBody bounds one PUT: S3 takes 5 GB in a single PUT; the
// emulator keeps objects in memory, so it stops well below.
const maxObjectBody = 1 << 30

// MaxBody implements core.BodyLimiter.
func (s *Service) MaxBody() int64 { return maxObjectBody }

// Reset forgets every bucket.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buckets = map[string]*bucket{}
}

// CreateBucket creates a bucket in us-east-1, for seeds and other services.
func (s *Service) CreateBucket(name string) error {
	if !validBucketName(name) {
		return fmt.Errorf("create bucket %q: %w", name, ErrInvalidBucket)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[name] != nil {
		return fmt.Errorf("create bucket %q: %w", name, ErrBucketExists)
	}
	s.buckets[name] = &bucket{name: name, region: defaultRegion, created: s.now(), objects: map[string]*object{}}
	return nil
}

// PutObject stores data under bucket/key, for seeds and other services
// (a Pinpoint export job writing its files, say). The bucket must exist.
func (s *Service) PutObject(bucket, key string, data []byte) error {
	if key == "" {
		return fmt.Errorf("put s3://%s/: empty key", bucket)
	}
	o := newObject(append([]byte(nil), data...), s.now())
	o.checksumAlg, o.checksum = "CRC64NVME", checksumOf("CRC64NVME", o.data)
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucket]
	if b == nil {
		return fmt.Errorf("put s3://%s/%s: %w", bucket, key, ErrNoSuchBucket)
	}
	b.objects[key] = o
	return nil
}

// GetObject returns a copy of the object at bucket/key.
func (s *Service) GetObject(bucket, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucket]
	if b == nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", bucket, key, ErrNoSuchBucket)
	}
	o := b.objects[key]
	if o == nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", bucket, key, ErrNoSuchKey)
	}
	return append([]byte(nil), o.data...), nil
}

// ListKeys returns the keys of bucket that start with prefix, sorted; an
// import job reading every file under an S3 URL needs it.
func (s *Service) ListKeys(bucket, prefix string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucket]
	if b == nil {
		return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, ErrNoSuchBucket)
	}
	var keys []string
	for k := range b.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// Quota implements core.Service with the documented per-prefix request
// rates: 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD per second.
func (s *Service) Quota(op string) float64 {
	switch op {
	case "PutObject", "CopyObject", "DeleteObject", "DeleteObjects", "CreateBucket", "DeleteBucket":
		return 3500
	case "":
		return 0
	}
	return 5500
}

// Throttled implements core.Service.
func (s *Service) Throttled(op string) *core.Error {
	return core.Errf(503, "SlowDown", "Please reduce your request rate.")
}

// Internal implements core.Service.
func (s *Service) Internal(op string) *core.Error {
	return core.Errf(500, "InternalError", "We encountered an internal error. Please try again.")
}

// Retired implements core.Service: S3 is not part of Pinpoint's end of
// support.
func (s *Service) Retired(op string) *core.Error { return nil }

// Resolve implements core.Service. It finds the bucket (from the Host
// header for virtual-hosted requests, else the first path segment) and the
// key, and names the operation from the method and subresource.
func (s *Service) Resolve(c *core.Call) (string, *core.Error) {
	bkt, key, err := target(c.R)
	if err != nil {
		return "", err
	}
	c.Params = map[string]string{"Bucket": bkt, "Key": key}
	q := c.R.URL.Query()
	m := c.R.Method
	if bkt == "" {
		if m == http.MethodGet {
			return "ListBuckets", checkQuery(q, "prefix", "max-buckets", "continuation-token", "bucket-region")
		}
		return "", methodNotAllowed(m, "SERVICE")
	}
	if key == "" {
		switch m {
		case http.MethodPut:
			return "CreateBucket", checkQuery(q)
		case http.MethodHead:
			return "HeadBucket", checkQuery(q)
		case http.MethodDelete:
			return "DeleteBucket", checkQuery(q)
		case http.MethodPost:
			if q.Has("delete") {
				return "DeleteObjects", checkQuery(q, "delete")
			}
			return "", notImplemented()
		case http.MethodGet:
			switch {
			case q.Has("location"):
				return "GetBucketLocation", checkQuery(q, "location")
			case q.Get("list-type") == "2":
				return "ListObjectsV2", checkQuery(q, "list-type", "prefix", "delimiter", "max-keys",
					"continuation-token", "start-after", "encoding-type", "fetch-owner")
			}
			return "ListObjects", checkQuery(q, "prefix", "delimiter", "max-keys", "marker", "encoding-type")
		}
		return "", methodNotAllowed(m, "BUCKET")
	}
	switch m {
	case http.MethodPut:
		if c.R.Header.Get("X-Amz-Copy-Source") != "" {
			return "CopyObject", checkQuery(q)
		}
		return "PutObject", checkQuery(q)
	case http.MethodGet:
		return "GetObject", checkQuery(q, "response-content-type", "response-content-language",
			"response-expires", "response-cache-control", "response-content-disposition", "response-content-encoding")
	case http.MethodHead:
		return "HeadObject", checkQuery(q)
	case http.MethodDelete:
		return "DeleteObject", checkQuery(q)
	}
	return "", methodNotAllowed(m, "OBJECT")
}

// checkQuery refuses subresources this emulator does not implement (acl,
// tagging, uploads, versionId, ...) rather than silently ignoring them.
// x-id is the operation hint the Go SDK adds; X-Amz-* are presigning.
func checkQuery(q url.Values, allowed ...string) *core.Error {
	for k := range q {
		if k == "x-id" || strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			continue
		}
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			return notImplemented()
		}
	}
	return nil
}

func notImplemented() *core.Error {
	return core.Errf(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
}

func methodNotAllowed(method, resource string) *core.Error {
	e := core.Errf(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	e.Fields = map[string]any{"Method": method, "ResourceType": resource}
	return e
}

// target splits a request into bucket and key.
func target(r *http.Request) (bkt, key string, err *core.Error) {
	path := r.URL.EscapedPath()
	path = strings.TrimPrefix(path, "/")
	if vb := hostBucket(r.Host); vb != "" {
		bkt = vb
	} else {
		seg, rest, _ := strings.Cut(path, "/")
		b, uerr := url.PathUnescape(seg)
		if uerr != nil {
			return "", "", core.Errf(400, "InvalidURI", "Couldn't parse the specified URI.")
		}
		bkt, path = b, rest
	}
	key, uerr := url.PathUnescape(path)
	if uerr != nil {
		return "", "", core.Errf(400, "InvalidURI", "Couldn't parse the specified URI.")
	}
	return bkt, key, nil
}

// hostBucket returns the bucket of a virtual-hosted request, or "". It is
// conservative: only "<bucket>.localhost", "<bucket>.<IPv4>" and the real
// S3 endpoint names count, so a request to the emulator under any other
// host name is read as path style.
func hostBucket(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || net.ParseIP(host) != nil {
		return ""
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok {
		return b
	}
	// <bucket>.a.b.c.d: the last four labels form an IPv4 address.
	labels := strings.Split(host, ".")
	if len(labels) > 4 {
		ip := strings.Join(labels[len(labels)-4:], ".")
		if p := net.ParseIP(ip); p != nil && p.To4() != nil {
			return strings.Join(labels[:len(labels)-4], ".")
		}
	}
	// <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com,
	// <bucket>.s3-<region>.amazonaws.com, <bucket>.s3.dualstack.<region>...
	if strings.HasSuffix(host, ".amazonaws.com") {
		for i, l := range labels {
			if i > 0 && (l == "s3" || strings.HasPrefix(l, "s3-")) {
				return strings.Join(labels[:i], ".")
			}
		}
	}
	return ""
}

// Serve implements core.Service.
func (s *Service) Serve(c *core.Call) {
	var err *core.Error
	switch c.Op {
	case "ListBuckets":
		err = s.listBuckets(c)
	case "CreateBucket":
		err = s.createBucket(c)
	case "HeadBucket":
		err = s.headBucket(c)
	case "DeleteBucket":
		err = s.deleteBucket(c)
	case "GetBucketLocation":
		err = s.getBucketLocation(c)
	case "ListObjectsV2":
		err = s.listObjects(c, true)
	case "ListObjects":
		err = s.listObjects(c, false)
	case "PutObject":
		err = s.putObject(c)
	case "CopyObject":
		err = s.copyObject(c)
	case "GetObject":
		err = s.getObject(c, false)
	case "HeadObject":
		err = s.getObject(c, true)
	case "DeleteObject":
		err = s.deleteObject(c)
	case "DeleteObjects":
		err = s.deleteObjects(c)
	default:
		err = notImplemented()
	}
	if err != nil {
		s.WriteError(c, err)
	}
}

// canonicalOwner is the emulator account's canonical user id, stable per
// account as in S3.
func canonicalOwner(account string) string {
	sum := sha256.Sum256([]byte("p2c-emulator:" + account))
	return hex.EncodeToString(sum[:])
}
