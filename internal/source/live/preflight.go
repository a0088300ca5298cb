package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/pinpoint"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// credentialErrors are the codes AWS answers when the caller's credentials
// themselves are wrong, as opposed to lacking a permission.
var credentialErrors = map[string]bool{
	"UnrecognizedClientException": true, "InvalidSignatureException": true, "InvalidClientTokenId": true,
	"ExpiredTokenException": true, "ExpiredToken": true, "MissingAuthenticationTokenException": true,
	"IncompleteSignature": true, "SignatureDoesNotMatch": true, "InvalidAccessKeyId": true, "AuthFailure": true,
}

// preflight makes one cheap call before the scan fans out, so that an
// unreachable endpoint, missing credentials or rejected credentials give
// one clear error instead of a warning for every resource. A retired or
// denied answer is fine: the scan records those as facts.
func preflight(ctx context.Context, cfg aws.Config, region, exportURL string) error {
	quick := func(o *pinpoint.Options) {
		o.Region = region
		o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 2)
	}
	c := pinpoint.NewFromConfig(cfg, quick)
	_, err := c.GetApps(ctx, &pinpoint.GetAppsInput{PageSize: aws.String("1")})
	if err := fatal(err, "Pinpoint", region, endpointOf(cfg)); err != nil {
		return err
	}
	if exportURL == "" {
		return nil
	}
	bucket, _, err := parseS3URL(exportURL)
	if err != nil {
		return err
	}
	sc := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.Region = region
		o.UsePathStyle = cfg.BaseEndpoint != nil
		o.Retryer = retry.AddWithMaxAttempts(retry.NewStandard(), 2)
	})
	_, err = sc.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	var nf *s3types.NotFound
	var nsb *s3types.NoSuchBucket
	if errors.As(err, &nf) || errors.As(err, &nsb) {
		return fmt.Errorf("export bucket %s does not exist (from --export-endpoints %s)", bucket, exportURL)
	}
	return fatal(err, "S3", region, endpointOf(cfg))
}

// fatal turns the errors that make a whole scan pointless into one line.
func fatal(err error, service, region, endpoint string) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if credentialErrors[ae.ErrorCode()] {
			return fmt.Errorf("AWS rejected the credentials for %s in %s (%s): %s", service, region, ae.ErrorCode(), ae.ErrorMessage())
		}
		return nil // retired, denied, throttled: the scan handles those per call
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused") {
		where := endpoint
		if where == "" {
			where = "the " + region + " endpoint"
		}
		return fmt.Errorf("cannot reach %s at %s: %v", service, where, rootCause(err))
	}
	if strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "no EC2 IMDS role found") {
		return fmt.Errorf("no AWS credentials found: set AWS_PROFILE or --profile, or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables (%v)", rootCause(err))
	}
	return fmt.Errorf("%s in %s: %w", service, region, err)
}

func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func endpointOf(cfg aws.Config) string {
	if cfg.BaseEndpoint != nil {
		return *cfg.BaseEndpoint
	}
	return ""
}
