package s3

import (
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

// SSE-C: server-side encryption with a key the client sends on every
// request. Customer Profiles upload-job URLs are pre-signed for these
// headers, so a PUT without them is refused, as S3 refuses it.
const (
	sseCAlgorithm = "X-Amz-Server-Side-Encryption-Customer-Algorithm"
	sseCKey       = "X-Amz-Server-Side-Encryption-Customer-Key"
	sseCKeyMD5    = "X-Amz-Server-Side-Encryption-Customer-Key-Md5"
)

// checkSSEC validates the SSE-C headers of a write. It returns whether the
// request uses SSE-C.
func checkSSEC(r *http.Request) (bool, *core.Error) {
	// A pre-signed URL names the headers it was signed with; the request
	// must carry each of them.
	if signed := r.URL.Query().Get("X-Amz-SignedHeaders"); signed != "" {
		for _, h := range strings.Split(signed, ";") {
			if strings.HasPrefix(h, "x-amz-server-side-encryption-customer-") && r.Header.Get(h) == "" {
				return false, core.Errf(400, "InvalidRequest",
					"The request was pre-signed with SSE-C header %s but does not carry it: send the SSE-C algorithm, key and key MD5 headers", h)
			}
		}
	}
	alg, key, sum := r.Header.Get(sseCAlgorithm), r.Header.Get(sseCKey), r.Header.Get(sseCKeyMD5)
	if alg == "" && key == "" && sum == "" {
		return false, nil
	}
	if alg != "AES256" {
		return false, invalidArgument("The encryption method specified is not supported", strings.ToLower(sseCAlgorithm), alg)
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if key == "" || err != nil || len(raw) != 32 {
		return false, invalidArgument("The secret key was invalid for the specified algorithm.", strings.ToLower(sseCKey), "")
	}
	if sum == "" {
		return false, invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.",
			strings.ToLower(sseCKeyMD5), "")
	}
	want := md5.Sum(raw)
	if sum != base64.StdEncoding.EncodeToString(want[:]) {
		return false, invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.", strings.ToLower(sseCKeyMD5), "")
	}
	return true, nil
}
