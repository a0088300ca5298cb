package live

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/p2c/p2c/internal/inventory"
)

// parseS3URL splits s3://bucket/prefix; the prefix is returned with a
// trailing slash (or empty).
func parseS3URL(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", err
	}
	if u.Scheme != "s3" || u.Host == "" {
		return "", "", fmt.Errorf("%q is not an s3://bucket/prefix URL", s)
	}
	prefix = strings.TrimPrefix(u.Path, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return u.Host, prefix, nil
}

// exportEndpoints runs an endpoint export job for the app into
// <prefix>/<appId>/, waits for it, and streams every .gz object under that
// prefix through a StatsBuilder. Export files are never held in memory.
// created is closed once the job has been asked for (created or not).
func (p *pinpointScan) exportEndpoints(ctx context.Context, a *inventory.App, created chan<- struct{}) error {
	bucket, prefix, _ := parseS3URL(p.s.opts.ExportEndpoints)
	prefix += a.ID + "/"
	ex := &inventory.EndpointExport{S3URLPrefix: "s3://" + bucket + "/" + prefix}
	a.EndpointExport = ex
	id := aws.String(a.ID)

	const op = "CreateExportJob"
	body, err := p.raw(ctx, op, func(ctx context.Context, o ppOpt) error {
		_, err := p.c.CreateExportJob(ctx, &pinpoint.CreateExportJobInput{ApplicationId: id, ExportJobRequest: &types.ExportJobRequest{
			RoleArn: aws.String(p.s.opts.ExportRoleARN), S3UrlPrefix: aws.String(ex.S3URLPrefix)}}, o)
		return err
	})
	close(created)
	if err != nil {
		ex.Status, ex.Error = "NOT_STARTED", err.Error()
		return p.fail(ctx, op, a.ID, err)
	}
	ex.JobID, ex.Status, ex.Job = field(body, "Id"), field(body, "JobStatus"), body

	wctx, cancel := context.WithTimeout(ctx, p.s.opts.ExportTimeout)
	defer cancel()
	for ex.Status != "COMPLETED" && ex.Status != "FAILED" {
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return ctx.Err()
			}
			ex.Error = fmt.Sprintf("export job %s still %s after %s", ex.JobID, ex.Status, p.s.opts.ExportTimeout)
			p.s.warn(p.region, "GetExportJob", a.ID, ex.Error)
			return nil
		case <-time.After(p.s.opts.ExportPoll):
		}
		const op = "GetExportJob"
		body, err := p.raw(wctx, op, func(ctx context.Context, o ppOpt) error {
			_, err := p.c.GetExportJob(ctx, &pinpoint.GetExportJobInput{ApplicationId: id, JobId: aws.String(ex.JobID)}, o)
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if wctx.Err() != nil {
				continue // reported by the timeout branch
			}
			ex.Error = err.Error()
			return p.fail(ctx, op, a.ID, err)
		}
		ex.Status, ex.Job = field(body, "JobStatus"), body
	}
	if ex.Status == "FAILED" {
		// A failed job may still have written some pieces; the statistics
		// would be partial, so say so instead of counting them.
		ex.Error = "export job failed; see job.Failures"
		p.s.warn(p.region, "GetExportJob", a.ID, "endpoint export job "+ex.JobID+" failed")
		return nil
	}

	sb := inventory.NewStatsBuilder()
	defer sb.Close()
	var keys []string
	pager := s3.NewListObjectsV2Paginator(p.s3, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	for pager.HasMorePages() {
		if err := p.s.acquire(ctx, p.region, svcS3, "ListObjectsV2"); err != nil {
			return err
		}
		page, err := pager.NextPage(ctx)
		p.s.release()
		if err != nil {
			ex.Error = err.Error()
			return p.s.fail(ctx, p.region, svcS3, "ListObjectsV2", ex.S3URLPrefix, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	ex.Objects = keys
	for _, key := range keys {
		// Export jobs write gzip NDJSON pieces ending in .gz; other objects
		// (markers, manifests) are listed but not read.
		if !strings.HasSuffix(key, ".gz") {
			continue
		}
		if err := p.readExportObject(ctx, bucket, key, sb); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			ex.Error = err.Error()
			p.s.warn(p.region, "GetObject", "s3://"+bucket+"/"+key, err.Error())
			return nil
		}
	}
	st, err := sb.Result()
	if err != nil {
		ex.Error = err.Error()
		p.s.warn(p.region, "EndpointStats", a.ID, err.Error())
		return nil
	}
	a.EndpointStats = st
	p.s.progressf("%s: app %s: %d endpoints, %d users from %d export objects", p.region, a.ID, st.Total, st.Users, len(keys))
	return nil
}

func (p *pinpointScan) readExportObject(ctx context.Context, bucket, key string, sb *inventory.StatsBuilder) error {
	if err := p.s.acquire(ctx, p.region, svcS3, "GetObject"); err != nil {
		return err
	}
	defer p.s.release()
	out, err := p.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return fmt.Errorf("get s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(out.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	if _, err := sb.AddStream(zr); err != nil {
		return fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
	}
	return zr.Close()
}
