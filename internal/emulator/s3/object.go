package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// checksumAlgs are the flexible checksum algorithms S3 accepts, in the
// header spelling x-amz-checksum-<lower(alg)>.
var checksumAlgs = []string{"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}

// crc64NVME is the reflected NVMe polynomial, as hash/crc64 wants it.
const crc64NVME = 0x9a6c_9329_ac4b_c9b5

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
	nvmeTable  = crc64.MakeTable(crc64NVME)
)

func newHash(alg string) hash.Hash {
	switch alg {
	case "CRC32":
		return crc32.NewIEEE()
	case "CRC32C":
		return crc32.New(castagnoli)
	case "CRC64NVME":
		return crc64.New(nvmeTable)
	case "SHA1":
		return sha1.New()
	case "SHA256":
		return sha256.New()
	}
	return nil
}

// checksumOf returns the base64 checksum of data, as the headers carry it.
func checksumOf(alg string, data []byte) string {
	h := newHash(alg)
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// storedHeaders are the request headers S3 keeps with an object and hands
// back on GET and HEAD (besides Content-Type and x-amz-meta-*).
var storedHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires",
	"X-Amz-Website-Redirect-Location"}

var storageClasses = map[string]bool{"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true,
	"ONEZONE_IA": true, "INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "GLACIER_IR": true,
	"OUTPOSTS": true, "SNOW": true, "EXPRESS_ONEZONE": true}

func newObject(data []byte, now time.Time) *object {
	sum := md5.Sum(data)
	return &object{
		data:         data,
		etag:         `"` + hex.EncodeToString(sum[:]) + `"`,
		lastModified: now.Truncate(time.Second), // HTTP dates carry seconds only
		contentType:  "binary/octet-stream",
		headers:      http.Header{},
		storageClass: "STANDARD",
	}
}

func checkKey(key string) *core.Error {
	if len(key) > 1024 {
		e := core.Errf(400, "KeyTooLongError", "Your key is too long")
		e.Fields = map[string]any{"MaxSizeAllowed": 1024, "Size": len(key)}
		return e
	}
	return nil
}

// payload returns the object bytes of a PUT body, undoing aws-chunked
// encoding, and any trailing headers that came with it.
func payload(c *core.Call) ([]byte, http.Header, *core.Error) {
	r := c.R
	chunked := strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-")
	for _, enc := range strings.Split(r.Header.Get("Content-Encoding"), ",") {
		if strings.TrimSpace(enc) == "aws-chunked" {
			chunked = true
		}
	}
	body, trailers := c.Body, http.Header{}
	if chunked {
		var err error
		body, trailers, err = decodeChunked(c.Body)
		if err != nil {
			return nil, nil, core.Errf(400, "IncompleteBody", "The request body terminated unexpectedly")
		}
	}
	if v := r.Header.Get("X-Amz-Decoded-Content-Length"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n != len(body) {
			return nil, nil, core.Errf(400, "IncompleteBody",
				"You did not provide the number of bytes specified by the Content-Length HTTP header")
		}
	}
	return body, trailers, nil
}

// decodeChunked reads an aws-chunked body: hex size lines (optionally with
// ";chunk-signature=..."), data, a zero-size chunk and optional trailers.
// Signatures are not checked, like every signature in the emulator.
func decodeChunked(b []byte) ([]byte, http.Header, error) {
	var out bytes.Buffer
	trailers := http.Header{}
	for {
		line, rest, ok := bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return nil, nil, errBadChunk
		}
		sizeHex, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseUint(strings.TrimSpace(string(sizeHex)), 16, 31)
		if err != nil {
			return nil, nil, errBadChunk
		}
		b = rest
		if n == 0 {
			break
		}
		if uint64(len(b)) < n+2 || string(b[n:n+2]) != "\r\n" {
			return nil, nil, errBadChunk
		}
		out.Write(b[:n])
		b = b[n+2:]
	}
	for len(b) > 0 {
		line, rest, _ := bytes.Cut(b, []byte("\r\n"))
		b = rest
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return nil, nil, errBadChunk
		}
		trailers.Add(strings.TrimSpace(string(k)), strings.TrimSpace(string(v)))
	}
	return out.Bytes(), trailers, nil
}

type chunkError struct{}

func (chunkError) Error() string { return "malformed aws-chunked body" }

var errBadChunk = chunkError{}

// verifyChecksums checks Content-MD5 and the flexible checksum headers (or
// trailers) against data, returning the one flexible checksum supplied.
func verifyChecksums(r *http.Request, trailers http.Header, data []byte) (alg, sum string, e *core.Error) {
	if v := r.Header.Get("Content-Md5"); v != "" {
		want, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(want) != md5.Size {
			return "", "", core.Errf(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
		}
		got := md5.Sum(data)
		if !bytes.Equal(want, got[:]) {
			e := core.Errf(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
			e.Fields = map[string]any{"ExpectedDigest": v, "CalculatedDigest": base64.StdEncoding.EncodeToString(got[:])}
			return "", "", e
		}
	}
	for _, a := range checksumAlgs {
		name := "x-amz-checksum-" + strings.ToLower(a)
		v := r.Header.Get(name)
		if v == "" {
			v = trailers.Get(name)
		}
		if v == "" {
			continue
		}
		if alg != "" {
			return "", "", core.Errf(400, "InvalidRequest",
				"Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		raw, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(raw) != newHash(a).Size() {
			return "", "", core.Errf(400, "InvalidRequest", "Value for %s header is invalid.", name)
		}
		if got := checksumOf(a, data); got != v {
			return "", "", core.Errf(400, "BadDigest", "The %s you specified did not match the calculated checksum.", a)
		}
		alg, sum = a, v
	}
	if alg == "" {
		// The SDK may name an algorithm and leave the value to us.
		if a := strings.ToUpper(r.Header.Get("X-Amz-Sdk-Checksum-Algorithm")); newHash(a) != nil {
			alg, sum = a, checksumOf(a, data)
		}
	}
	return alg, sum, nil
}

func (s *Service) putObject(c *core.Call) *core.Error {
	bkt, key := c.Params["Bucket"], c.Params["Key"]
	if e := checkKey(key); e != nil {
		return e
	}
	ssec, e := checkSSEC(c.R)
	if e != nil {
		return e
	}
	data, trailers, e := payload(c)
	if e != nil {
		return e
	}
	alg, sum, e := verifyChecksums(c.R, trailers, data)
	if e != nil {
		return e
	}
	o := newObject(append([]byte(nil), data...), c.Now)
	if alg == "" {
		// S3 gives every new object a full-object CRC64NVME by default.
		alg, sum = "CRC64NVME", checksumOf("CRC64NVME", data)
	}
	o.checksumAlg, o.checksum = alg, sum
	if e := setMetadata(o, c.R.Header); e != nil {
		return e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bkt]
	if b == nil {
		return noSuchBucket(bkt)
	}
	old := b.objects[key]
	if v := c.R.Header.Get("If-None-Match"); v != "" && old != nil {
		return preconditionFailed("If-None-Match")
	}
	if v := c.R.Header.Get("If-Match"); v != "" {
		if old == nil {
			return noSuchKey(key)
		}
		if !etagMatch(v, old.etag) {
			return preconditionFailed("If-Match")
		}
	}
	b.objects[key] = o
	h := c.W.Header()
	h.Set("ETag", o.etag)
	if ssec {
		// S3 echoes the customer key's algorithm and MD5, never the key.
		h.Set(sseCAlgorithm, "AES256")
		h.Set(sseCKeyMD5, c.R.Header.Get(sseCKeyMD5))
	} else {
		h.Set("x-amz-server-side-encryption", "AES256")
	}
	h.Set("x-amz-checksum-"+strings.ToLower(alg), sum)
	h.Set("x-amz-checksum-type", "FULL_OBJECT")
	writeEmpty(c, 200)
	return nil
}

// setMetadata copies the stored representation headers, user metadata and
// storage class from a request onto o.
func setMetadata(o *object, h http.Header) *core.Error {
	if ct := h.Get("Content-Type"); ct != "" {
		o.contentType = ct
	}
	for _, k := range storedHeaders {
		if v := h.Get(k); v != "" {
			o.headers.Set(k, v)
		}
	}
	// aws-chunked describes the transfer, not the object: S3 drops it.
	if enc := o.headers.Get("Content-Encoding"); enc != "" {
		var keep []string
		for _, p := range strings.Split(enc, ",") {
			if p = strings.TrimSpace(p); p != "" && p != "aws-chunked" {
				keep = append(keep, p)
			}
		}
		o.headers.Del("Content-Encoding")
		if len(keep) > 0 {
			o.headers.Set("Content-Encoding", strings.Join(keep, ","))
		}
	}
	for k, v := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-meta-") {
			o.headers[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
		}
	}
	if sc := h.Get("X-Amz-Storage-Class"); sc != "" {
		if !storageClasses[sc] {
			e := core.Errf(400, "InvalidStorageClass", "The storage class you specified is not valid")
			e.Fields = map[string]any{"StorageClassRequested": sc}
			return e
		}
		o.storageClass = sc
	}
	return nil
}

func preconditionFailed(cond string) *core.Error {
	e := core.Errf(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
	e.Fields = map[string]any{"Condition": cond}
	return e
}

// etagMatch evaluates an If-Match / If-None-Match list against an ETag.
func etagMatch(list, etag string) bool {
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || v == etag || `"`+v+`"` == etag {
			return true
		}
	}
	return false
}

// lookup returns the object at the call's bucket and key under the lock.
func (s *Service) lookup(bkt, key string) (*object, *core.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bkt]
	if b == nil {
		return nil, noSuchBucket(bkt)
	}
	o := b.objects[key]
	if o == nil {
		return nil, noSuchKey(key)
	}
	return o, nil
}

func (s *Service) getObject(c *core.Call, head bool) *core.Error {
	o, e := s.lookup(c.Params["Bucket"], c.Params["Key"])
	if e != nil {
		return e
	}
	r := c.R
	h := c.W.Header()
	// Objects are never modified in place (a PUT replaces the pointer), so
	// o can be read without the lock.
	if status, e := conditions(r, o); e != nil {
		return e
	} else if status == http.StatusNotModified {
		h.Set("ETag", o.etag)
		h.Set("Last-Modified", o.lastModified.Format(http.TimeFormat))
		commonHeaders(c)
		c.W.WriteHeader(http.StatusNotModified)
		return nil
	}
	size := int64(len(o.data))
	start, end, partial, e := parseRange(r.Header.Get("Range"), size)
	if e != nil {
		h.Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
		return e
	}
	h.Set("Content-Type", o.contentType)
	h.Set("ETag", o.etag)
	h.Set("Last-Modified", o.lastModified.Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-amz-server-side-encryption", "AES256")
	for k, v := range o.headers {
		h[k] = append([]string(nil), v...)
	}
	if o.storageClass != "STANDARD" {
		h.Set("x-amz-storage-class", o.storageClass)
	}
	// A checksum covers the whole object, so it is only sent when asked for
	// and when the whole object is sent.
	whole := start == 0 && end == size-1 || size == 0
	if strings.EqualFold(r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") && whole && o.checksumAlg != "" {
		h.Set("x-amz-checksum-"+strings.ToLower(o.checksumAlg), o.checksum)
		h.Set("x-amz-checksum-type", "FULL_OBJECT")
	}
	if !head {
		q := r.URL.Query()
		for param, header := range map[string]string{
			"response-content-type":        "Content-Type",
			"response-content-language":    "Content-Language",
			"response-expires":             "Expires",
			"response-cache-control":       "Cache-Control",
			"response-content-disposition": "Content-Disposition",
			"response-content-encoding":    "Content-Encoding",
		} {
			if v := q.Get(param); v != "" {
				h.Set(header, v)
			}
		}
	}
	status := http.StatusOK
	body := o.data
	if partial {
		status = http.StatusPartialContent
		body = o.data[start : end+1]
		h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.FormatInt(size, 10))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	commonHeaders(c)
	c.W.WriteHeader(status)
	if !head {
		_, _ = c.W.Write(body)
	}
	return nil
}

// conditions evaluates the conditional request headers in S3's order,
// returning 304 or a 412 error, or 200 to go on.
func conditions(r *http.Request, o *object) (int, *core.Error) {
	if v := r.Header.Get("If-Match"); v != "" {
		if !etagMatch(v, o.etag) {
			return 0, preconditionFailed("If-Match")
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Unmodified-Since")); err == nil && o.lastModified.After(t) {
		return 0, preconditionFailed("If-Unmodified-Since")
	}
	if v := r.Header.Get("If-None-Match"); v != "" {
		if etagMatch(v, o.etag) {
			return http.StatusNotModified, nil
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !o.lastModified.After(t) {
		return http.StatusNotModified, nil
	}
	return http.StatusOK, nil
}

// parseRange reads a single "bytes=" range. Malformed or multiple ranges
// are ignored (the whole object is sent), as S3 does; a range starting past
// the end is InvalidRange.
func parseRange(v string, size int64) (start, end int64, partial bool, e *core.Error) {
	start, end = 0, size-1
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return start, end, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return start, end, false, nil
	}
	unsatisfiable := func() *core.Error {
		e := core.Errf(416, "InvalidRange", "The requested range is not satisfiable")
		e.Fields = map[string]any{"RangeRequested": v, "ActualObjectSize": size}
		return e
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, size - 1, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, unsatisfiable()
		}
		if n > size {
			n = size
		}
		return size - n, size - 1, true, nil
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return 0, size - 1, false, nil
	}
	b := size - 1
	if last != "" {
		b, err = strconv.ParseInt(last, 10, 64)
		if err != nil || b < a {
			return 0, size - 1, false, nil
		}
	}
	if a >= size {
		return 0, 0, false, unsatisfiable()
	}
	if b > size-1 {
		b = size - 1
	}
	return a, b, true, nil
}

func (s *Service) deleteObject(c *core.Call) *core.Error {
	bkt := c.Params["Bucket"]
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bkt]
	if b == nil {
		return noSuchBucket(bkt)
	}
	// Deleting a missing key succeeds, as in S3.
	delete(b.objects, c.Params["Key"])
	writeEmpty(c, 204)
	return nil
}

type deleteRequest struct {
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
	Quiet bool `xml:"Quiet"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []deletedEntry  `xml:"Deleted"`
	Errors  []deleteErrItem `xml:"Error"`
}

type deletedEntry struct {
	Key string `xml:"Key"`
}

type deleteErrItem struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func (s *Service) deleteObjects(c *core.Call) *core.Error {
	hasSum := c.R.Header.Get("Content-Md5") != "" || c.R.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != ""
	for _, a := range checksumAlgs {
		hasSum = hasSum || c.R.Header.Get("x-amz-checksum-"+strings.ToLower(a)) != ""
	}
	if !hasSum {
		return core.Errf(400, "InvalidRequest", "Missing required header for this request: Content-MD5")
	}
	data, trailers, e := payload(c)
	if e != nil {
		return e
	}
	if _, _, e := verifyChecksums(c.R, trailers, data); e != nil {
		return e
	}
	var req deleteRequest
	if err := xml.Unmarshal(data, &req); err != nil || len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return core.Errf(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	bkt := c.Params["Bucket"]
	s.mu.Lock()
	b := s.buckets[bkt]
	if b == nil {
		s.mu.Unlock()
		return noSuchBucket(bkt)
	}
	var out deleteResult
	for _, o := range req.Objects {
		if len(o.Key) > 1024 || o.Key == "" {
			out.Errors = append(out.Errors, deleteErrItem{Key: o.Key, Code: "InvalidArgument", Message: "Invalid key"})
			continue
		}
		delete(b.objects, o.Key)
		if !req.Quiet {
			out.Deleted = append(out.Deleted, deletedEntry{Key: o.Key})
		}
	}
	s.mu.Unlock()
	writeXML(c, 200, out)
	return nil
}

type copyObjectResult struct {
	XMLName           xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	ETag              string   `xml:"ETag"`
	LastModified      string   `xml:"LastModified"`
	ChecksumType      string   `xml:"ChecksumType,omitempty"`
	ChecksumCRC32     string   `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string   `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string   `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string   `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string   `xml:"ChecksumSHA256,omitempty"`
}

func (s *Service) copyObject(c *core.Call) *core.Error {
	dstBkt, dstKey := c.Params["Bucket"], c.Params["Key"]
	if e := checkKey(dstKey); e != nil {
		return e
	}
	src := c.R.Header.Get("X-Amz-Copy-Source")
	src, _, _ = strings.Cut(src, "?") // ?versionId=: there is one version
	src, err := url.PathUnescape(strings.TrimPrefix(src, "/"))
	srcBkt, srcKey, ok := strings.Cut(src, "/")
	if err != nil || !ok || srcKey == "" {
		return invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
			"x-amz-copy-source", c.R.Header.Get("X-Amz-Copy-Source"))
	}
	from, e := s.lookup(srcBkt, srcKey)
	if e != nil {
		return e
	}
	if st, e := copyConditions(c.R, from); e != nil || st != http.StatusOK {
		if e == nil {
			e = preconditionFailed("x-amz-copy-source-If-None-Match")
		}
		return e
	}
	replace := strings.EqualFold(c.R.Header.Get("X-Amz-Metadata-Directive"), "REPLACE")
	newAlg := strings.ToUpper(c.R.Header.Get("X-Amz-Checksum-Algorithm"))
	if srcBkt == dstBkt && srcKey == dstKey && !replace && c.R.Header.Get("X-Amz-Storage-Class") == "" && newAlg == "" {
		return core.Errf(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object "+
			"to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	o := newObject(from.data, c.Now) // data is never mutated, so it can be shared
	o.checksumAlg, o.checksum = from.checksumAlg, from.checksum
	if newHash(newAlg) != nil {
		o.checksumAlg, o.checksum = newAlg, checksumOf(newAlg, o.data)
	}
	if replace {
		if e := setMetadata(o, c.R.Header); e != nil {
			return e
		}
	} else {
		o.contentType = from.contentType
		o.headers = from.headers.Clone()
		o.storageClass = from.storageClass
		if sc := c.R.Header.Get("X-Amz-Storage-Class"); sc != "" {
			if !storageClasses[sc] {
				return core.Errf(400, "InvalidStorageClass", "The storage class you specified is not valid")
			}
			o.storageClass = sc
		}
	}
	s.mu.Lock()
	b := s.buckets[dstBkt]
	if b == nil {
		s.mu.Unlock()
		return noSuchBucket(dstBkt)
	}
	b.objects[dstKey] = o
	s.mu.Unlock()
	res := copyObjectResult{ETag: o.etag, LastModified: isoTime(o.lastModified), ChecksumType: "FULL_OBJECT"}
	switch o.checksumAlg {
	case "CRC32":
		res.ChecksumCRC32 = o.checksum
	case "CRC32C":
		res.ChecksumCRC32C = o.checksum
	case "CRC64NVME":
		res.ChecksumCRC64NVME = o.checksum
	case "SHA1":
		res.ChecksumSHA1 = o.checksum
	case "SHA256":
		res.ChecksumSHA256 = o.checksum
	}
	c.W.Header().Set("x-amz-server-side-encryption", "AES256")
	writeXML(c, 200, res)
	return nil
}

// copyConditions evaluates x-amz-copy-source-if-* against the source.
func copyConditions(r *http.Request, o *object) (int, *core.Error) {
	h := http.Header{}
	for _, k := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if v := r.Header.Get("X-Amz-Copy-Source-" + k); v != "" {
			h.Set(k, v)
		}
	}
	return conditions(&http.Request{Header: h}, o)
}
