package s3

import "testing"

func TestHostBucket(t *testing.T) {
	for host, want := range map[string]string{
		"127.0.0.1:4566":                          "",
		"localhost:4566":                          "",
		"localhost":                               "",
		"[::1]:4566":                              "",
		"emulator:4566":                           "",
		"p2c.internal:4566":                       "",
		"my-bucket.localhost:4566":                "my-bucket",
		"my.dotted.bucket.localhost":              "my.dotted.bucket",
		"exports.127.0.0.1:4566":                  "exports",
		"exports.s3.amazonaws.com":                "exports",
		"exports.s3.eu-west-1.amazonaws.com":      "exports",
		"exports.s3-eu-west-1.amazonaws.com":      "exports",
		"s3.eu-west-1.amazonaws.com":              "",
		"mobiletargeting.us-east-1.amazonaws.com": "",
	} {
		if got := hostBucket(host); got != want {
			t.Errorf("hostBucket(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		spec       string
		size       int64
		start, end int64
		partial    bool
		bad        bool
	}{
		{"bytes=0-9", 100, 0, 9, true, false},
		{"bytes=90-", 100, 90, 99, true, false},
		{"bytes=-10", 100, 90, 99, true, false},
		{"bytes=-500", 100, 0, 99, true, false},
		{"bytes=50-1000", 100, 50, 99, true, false},
		{"bytes=100-", 100, 0, 0, false, true},
		{"bytes=0-1,5-6", 100, 0, 99, false, false},
		{"lines=1-2", 100, 0, 99, false, false},
		{"", 100, 0, 99, false, false},
	} {
		s, e, p, err := parseRange(tc.spec, tc.size)
		if (err != nil) != tc.bad || (!tc.bad && (s != tc.start || e != tc.end || p != tc.partial)) {
			t.Errorf("parseRange(%q, %d) = %d %d %v %v", tc.spec, tc.size, s, e, p, err)
		}
	}
}

func TestBucketNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"exports": true, "my.bucket-1": true, "ab": false, "Upper": false, "-lead": false,
		"trail-": false, "a..b": false, "192.168.5.4": false, "xn--abc": false, "x-s3alias": false,
	} {
		if validBucketName(name) != ok {
			t.Errorf("validBucketName(%q) = %v", name, !ok)
		}
	}
}
