package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// SSE-C writes through the SDK: the key MD5 must match the key, and the
// answer echoes the algorithm and MD5. Objects larger than the 7 MB API
// body cap are accepted (an upload-job CSV of 100,000 profiles is).
func TestSSECAndLargeObjects(t *testing.T) {
	e := newEnv(t)
	mustBucket(t, e.client, "uploads")
	key := bytes.Repeat([]byte{7}, 32)
	sum := md5.Sum(key)
	in := func(md5sum string, body []byte) *s3.PutObjectInput {
		return &s3.PutObjectInput{Bucket: aws.String("uploads"), Key: aws.String("a.csv"), Body: bytes.NewReader(body),
			SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(base64.StdEncoding.EncodeToString(key)),
			SSECustomerKeyMD5: aws.String(md5sum)}
	}
	big := bytes.Repeat([]byte("p2c,profile,row\n"), 9<<20/16)
	out, err := e.client.PutObject(context.Background(), in(base64.StdEncoding.EncodeToString(sum[:]), big))
	if err != nil {
		t.Fatalf("SSE-C put of %d bytes: %v", len(big), err)
	}
	if aws.ToString(out.SSECustomerAlgorithm) != "AES256" || aws.ToString(out.SSECustomerKeyMD5) != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Fatalf("answer: algorithm %q md5 %q", aws.ToString(out.SSECustomerAlgorithm), aws.ToString(out.SSECustomerKeyMD5))
	}
	got, err := e.svc.GetObject("uploads", "a.csv")
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("stored object: %v (%d bytes)", err, len(got))
	}
	_, err = e.client.PutObject(context.Background(), in("AAAAAAAAAAAAAAAAAAAAAA==", []byte("x")))
	if apiCode(err) != "InvalidArgument" {
		t.Fatalf("wrong key MD5: %v", err)
	}
}
