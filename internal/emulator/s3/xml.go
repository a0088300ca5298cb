package s3

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/p2c/p2c/internal/emulator/core"
)

// ns is the namespace of every S3 response document.
const ns = "http://s3.amazonaws.com/doc/2006-03-01/"

// isoMillis is the timestamp format of S3 listings.
const isoMillis = "2006-01-02T15:04:05.000Z"

// requestID turns the emulator's request id into S3's 16 uppercase hex
// digits.
func requestID(c *core.Call) string {
	id := strings.ToUpper(strings.ReplaceAll(c.RequestID, "-", ""))
	if len(id) > 16 {
		id = id[:16]
	}
	return id
}

// hostID is the opaque x-amz-id-2 S3 sends beside the request id.
func hostID(c *core.Call) string {
	sum := sha256.Sum256([]byte(c.RequestID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// commonHeaders sets the headers S3 puts on every response.
func commonHeaders(c *core.Call) {
	h := c.W.Header()
	h.Set("x-amz-request-id", requestID(c))
	h.Set("x-amz-id-2", hostID(c))
	h.Set("Server", "AmazonS3")
	h.Set("Date", c.Now.Format(http.TimeFormat))
}

// writeXML answers with an XML document.
func writeXML(c *core.Call, status int, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		writeErrorDoc(c, core.Errf(500, "InternalError", "encode response: %v", err))
		return
	}
	commonHeaders(c)
	h := c.W.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	c.W.WriteHeader(status)
	_, _ = c.W.Write(buf.Bytes())
}

// writeEmpty answers with no body.
func writeEmpty(c *core.Call, status int) {
	commonHeaders(c)
	c.W.Header().Set("Content-Length", "0")
	c.W.WriteHeader(status)
}

// WriteError implements core.Service: S3's <Error> document, or only the
// status line and headers for HEAD requests, which carry no body.
func (s *Service) WriteError(c *core.Call, e *core.Error) {
	// The listener's shared errors come in JSON-protocol names; S3 has its
	// own for the same situations.
	switch e.Code {
	case "UnrecognizedClientException":
		e = &core.Error{Status: 403, Code: "InvalidAccessKeyId",
			Message: "The AWS Access Key Id you provided does not exist in our records.",
			Fields:  map[string]any{"AWSAccessKeyId": c.AccessKey}}
	case "PayloadTooLargeException":
		e = &core.Error{Status: 400, Code: "EntityTooLarge",
			Message: "Your proposed upload exceeds the maximum allowed size",
			Fields:  map[string]any{"MaxSizeAllowed": core.MaxBody}}
	}
	if c.R.Method == http.MethodHead {
		commonHeaders(c)
		c.W.WriteHeader(e.Status)
		return
	}
	writeErrorDoc(c, e)
}

func writeErrorDoc(c *core.Call, e *core.Error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString("<Error>")
	elem(&buf, "Code", e.Code)
	elem(&buf, "Message", e.Message)
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		elem(&buf, k, fmt.Sprint(e.Fields[k]))
	}
	elem(&buf, "RequestId", requestID(c))
	elem(&buf, "HostId", hostID(c))
	buf.WriteString("</Error>")
	commonHeaders(c)
	h := c.W.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	c.W.WriteHeader(e.Status)
	_, _ = c.W.Write(buf.Bytes())
}

func elem(buf *bytes.Buffer, name, value string) {
	buf.WriteString("<" + name + ">")
	_ = xml.EscapeText(buf, []byte(value))
	buf.WriteString("</" + name + ">")
}

// bucketErr builds an error naming the bucket, as S3 does.
func bucketErr(status int, code, msg, bkt string) *core.Error {
	return &core.Error{Status: status, Code: code, Message: msg, Fields: map[string]any{"BucketName": bkt}}
}

func noSuchBucket(bkt string) *core.Error {
	return bucketErr(404, "NoSuchBucket", "The specified bucket does not exist", bkt)
}

func noSuchKey(key string) *core.Error {
	return &core.Error{Status: 404, Code: "NoSuchKey", Message: "The specified key does not exist.",
		Fields: map[string]any{"Key": key}}
}

func invalidArgument(msg, name, value string) *core.Error {
	return &core.Error{Status: 400, Code: "InvalidArgument", Message: msg,
		Fields: map[string]any{"ArgumentName": name, "ArgumentValue": value}}
}

func isoTime(t time.Time) string { return t.UTC().Format(isoMillis) }
