package s3

import (
	"encoding/base64"
	"encoding/xml"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// maxListKeys is the most keys one listing returns, whatever max-keys says.
const maxListKeys = 1000

type listBucketResult struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              *int           `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []contentEntry `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

type contentEntry struct {
	Key               string `xml:"Key"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              int    `xml:"Size"`
	Owner             *owner `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// listing is one page of keys and common prefixes.
type listing struct {
	contents  []contentEntry
	prefixes  []commonPrefix
	truncated bool
	last      string // last key or common prefix returned
}

// list walks the sorted keys after the exclusive bound `after`, rolling keys
// up into common prefixes at the delimiter. Both keys and prefixes count
// toward limit. A common prefix that sorts at or before the bound was already
// returned (it is the bound, when resuming), so it is skipped.
func list(b *bucket, prefix, delim, after string, limit int, withOwner string) listing {
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		if strings.HasPrefix(k, prefix) && k > after {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var l listing
	if limit == 0 {
		return l
	}
	n := 0
	for _, k := range keys {
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				if cp <= after || (len(l.prefixes) > 0 && l.prefixes[len(l.prefixes)-1].Prefix == cp) {
					continue
				}
				if n == limit {
					l.truncated = true
					break
				}
				l.prefixes = append(l.prefixes, commonPrefix{Prefix: cp})
				l.last = cp
				n++
				continue
			}
		}
		if n == limit {
			l.truncated = true
			break
		}
		o := b.objects[k]
		e := contentEntry{Key: k, LastModified: isoTime(o.lastModified), ETag: o.etag, Size: len(o.data),
			StorageClass: o.storageClass, ChecksumAlgorithm: o.checksumAlg}
		if o.checksumAlg != "" {
			e.ChecksumType = "FULL_OBJECT"
		}
		if withOwner != "" {
			e.Owner = &owner{ID: withOwner}
		}
		l.contents = append(l.contents, e)
		l.last = k
		n++
	}
	return l
}

func (s *Service) listObjects(c *core.Call, v2 bool) *core.Error {
	q := c.R.URL.Query()
	bkt := c.Params["Bucket"]
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	maxKeys := maxListKeys
	if v, ok := q["max-keys"]; ok {
		n, err := strconv.ParseInt(v[0], 10, 32)
		if err != nil {
			return invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v[0])
		}
		if n < 0 {
			return invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", v[0])
		}
		maxKeys = min(int(n), maxListKeys)
	}
	enc := q.Get("encoding-type")
	if enc != "" && enc != "url" {
		return invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc)
	}
	esc := func(v string) string { return v }
	if enc == "url" {
		esc = urlEncode
	}

	out := listBucketResult{Name: bkt, Prefix: esc(prefix), MaxKeys: maxKeys, Delimiter: esc(delim), EncodingType: enc}
	after, ownerID := "", ""
	if v2 {
		after = q.Get("start-after")
		out.StartAfter = esc(after)
		if tok := q.Get("continuation-token"); tok != "" {
			raw, err := base64.StdEncoding.DecodeString(tok)
			if err != nil || !strings.HasPrefix(string(raw), "p2c:") {
				return invalidArgument("The continuation token provided is incorrect", "continuation-token", tok)
			}
			after = strings.TrimPrefix(string(raw), "p2c:")
			out.ContinuationToken = tok
		}
		if q.Get("fetch-owner") == "true" {
			ownerID = canonicalOwner(c.Account)
		}
	} else {
		after = q.Get("marker")
		m := esc(after)
		out.Marker = &m
		ownerID = canonicalOwner(c.Account)
	}

	s.mu.Lock()
	b := s.buckets[bkt]
	if b == nil {
		s.mu.Unlock()
		return noSuchBucket(bkt)
	}
	l := list(b, prefix, delim, after, maxKeys, ownerID)
	s.mu.Unlock()

	for i := range l.contents {
		l.contents[i].Key = esc(l.contents[i].Key)
	}
	for i := range l.prefixes {
		l.prefixes[i].Prefix = esc(l.prefixes[i].Prefix)
	}
	out.Contents, out.CommonPrefixes, out.IsTruncated = l.contents, l.prefixes, l.truncated
	if v2 {
		n := len(l.contents) + len(l.prefixes)
		out.KeyCount = &n
		if l.truncated {
			out.NextContinuationToken = base64.StdEncoding.EncodeToString([]byte("p2c:" + l.last))
		}
	} else if l.truncated && delim != "" {
		// Without a delimiter, clients page from the last key themselves.
		out.NextMarker = esc(l.last)
	}
	writeXML(c, 200, out)
	return nil
}

// urlEncode is the encoding-type=url form of a key: query escaping, with
// the slashes of a key left readable.
func urlEncode(v string) string {
	return strings.ReplaceAll(url.QueryEscape(v), "%2F", "/")
}
