package s3

import (
	"encoding/base64"
	"encoding/xml"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// validBucketName applies S3's general purpose bucket naming rules.
func validBucketName(n string) bool {
	if len(n) < 3 || len(n) > 63 {
		return false
	}
	for i := 0; i < len(n); i++ {
		ch := n[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-') {
			return false
		}
	}
	alnum := func(ch byte) bool { return ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' }
	if !alnum(n[0]) || !alnum(n[len(n)-1]) {
		return false
	}
	if strings.Contains(n, "..") || net.ParseIP(n) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(n, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(n, sfx) {
			return false
		}
	}
	return true
}

type createBucketConfiguration struct {
	LocationConstraint string `xml:"LocationConstraint"`
}

func (s *Service) createBucket(c *core.Call) *core.Error {
	name := c.Params["Bucket"]
	if !validBucketName(name) {
		return bucketErr(400, "InvalidBucketName", "The specified bucket is not valid.", name)
	}
	var cfg createBucketConfiguration
	if len(strings.TrimSpace(string(c.Body))) > 0 {
		if err := xml.Unmarshal(c.Body, &cfg); err != nil {
			return core.Errf(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
		}
	}
	region := c.Region
	if region == "" {
		region = defaultRegion
	}
	loc := cfg.LocationConstraint
	switch {
	case loc == defaultRegion:
		// S3 refuses an explicit us-east-1: it is spelled as no constraint.
		e := core.Errf(400, "InvalidLocationConstraint", "The specified location-constraint is not valid")
		e.Fields = map[string]any{"LocationConstraint": loc}
		return e
	case loc == "" && region != defaultRegion:
		return core.Errf(400, "IllegalLocationConstraintException",
			"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case loc != "" && loc != region:
		return core.Errf(400, "IllegalLocationConstraintException",
			"The %s location constraint is incompatible for the region specific endpoint this request was sent to.", loc)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buckets[name] != nil {
		return bucketErr(409, "BucketAlreadyOwnedByYou",
			"Your previous request to create the named bucket succeeded and you already own it.", name)
	}
	s.buckets[name] = &bucket{name: name, region: region, created: c.Now, objects: map[string]*object{}}
	c.W.Header().Set("Location", "/"+name)
	writeEmpty(c, 200)
	return nil
}

func (s *Service) headBucket(c *core.Call) *core.Error {
	s.mu.Lock()
	b := s.buckets[c.Params["Bucket"]]
	s.mu.Unlock()
	if b == nil {
		return noSuchBucket(c.Params["Bucket"])
	}
	c.W.Header().Set("x-amz-bucket-region", b.region)
	c.W.Header().Set("x-amz-access-point-alias", "false")
	writeEmpty(c, 200)
	return nil
}

func (s *Service) deleteBucket(c *core.Call) *core.Error {
	name := c.Params["Bucket"]
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[name]
	if b == nil {
		return noSuchBucket(name)
	}
	if len(b.objects) > 0 {
		return bucketErr(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", name)
	}
	delete(s.buckets, name)
	writeEmpty(c, 204)
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Value   string   `xml:",chardata"`
}

func (s *Service) getBucketLocation(c *core.Call) *core.Error {
	s.mu.Lock()
	b := s.buckets[c.Params["Bucket"]]
	s.mu.Unlock()
	if b == nil {
		return noSuchBucket(c.Params["Bucket"])
	}
	loc := b.region
	if loc == defaultRegion {
		loc = "" // us-east-1 reads as no constraint
	}
	writeXML(c, 200, locationConstraint{Value: loc})
	return nil
}

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

type listAllMyBucketsResult struct {
	XMLName           xml.Name      `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner             owner         `xml:"Owner"`
	Buckets           []bucketEntry `xml:"Buckets>Bucket"`
	ContinuationToken string        `xml:"ContinuationToken,omitempty"`
	Prefix            string        `xml:"Prefix,omitempty"`
}

type bucketEntry struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

func (s *Service) listBuckets(c *core.Call) *core.Error {
	q := c.R.URL.Query()
	prefix, region := q.Get("prefix"), q.Get("bucket-region")
	limit := 10000
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return invalidArgument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets", v)
		}
		limit = n
	}
	after := ""
	if tok := q.Get("continuation-token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return invalidArgument("The continuation token provided is incorrect", "continuation-token", tok)
		}
		after = string(raw)
	}
	s.mu.Lock()
	var entries []bucketEntry
	for _, b := range s.buckets {
		if !strings.HasPrefix(b.name, prefix) || (region != "" && b.region != region) || b.name <= after {
			continue
		}
		entries = append(entries, bucketEntry{Name: b.name, CreationDate: isoTime(b.created), BucketRegion: b.region})
	}
	s.mu.Unlock()
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	out := listAllMyBucketsResult{Owner: owner{ID: canonicalOwner(c.Account)}, Prefix: prefix}
	if len(entries) > limit {
		entries = entries[:limit]
		out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(entries[limit-1].Name))
	}
	out.Buckets = entries
	writeXML(c, 200, out)
	return nil
}
