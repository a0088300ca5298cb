package saved

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3Store reads saved files from S3 with the SDK.
type S3Store struct {
	Client *s3.Client
}

// List implements ObjectStore, paging through ListObjectsV2.
func (s S3Store) List(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	var out []ObjectInfo
	p := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			info := ObjectInfo{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size)}
			if o.LastModified != nil {
				info.ModTime = *o.LastModified
			}
			out = append(out, info)
		}
	}
	return out, nil
}

// Open implements ObjectStore.
func (s S3Store) Open(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	res, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", bucket, key, err)
	}
	return res.Body, nil
}

func (l *loader) s3Prefix(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--from %s: not an s3://bucket/prefix URL", raw)
	}
	if l.opts.S3 == nil {
		return fmt.Errorf("--from %s: reading from S3 needs AWS access, which --offline turns off", raw)
	}
	bucket, prefix := u.Host, strings.TrimPrefix(u.Path, "/")
	objs, err := l.opts.S3.List(ctx, bucket, prefix)
	if err != nil {
		return fmt.Errorf("--from %s: %w", raw, err)
	}
	if len(objs) == 0 {
		l.warn(raw, 0, "no objects under this prefix")
	}
	for _, o := range objs {
		if strings.HasSuffix(o.Key, "/") {
			continue
		}
		name := "s3://" + bucket + "/" + o.Key
		rc, err := l.opts.S3.Open(ctx, bucket, o.Key)
		if err != nil {
			l.warn(name, 0, "%v", err)
			continue
		}
		l.res.Files++
		err = l.stream(name, o.ModTime, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
