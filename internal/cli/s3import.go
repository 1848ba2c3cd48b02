package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// maxImportObject bounds a key value store's import object: the store
// holds at most 5 MB of keys and values, and their JSON adds quotes,
// escapes and names; a larger object is refused unread.
const maxImportObject = 16 << 20

// s3ObjectReader reads objects with the operator's S3 key, as edges read
// S3 origins: the control plane's key value store imports
// (controlplane.Service.ReadS3Object). nil when no S3 endpoint and key are
// configured.
func s3ObjectReader(endpoint, region, accessKey, secretKey string) func(ctx context.Context, bucket, key string) ([]byte, error) {
	if endpoint == "" || accessKey == "" || secretKey == "" {
		return nil
	}
	c := s3.New(s3.Options{BaseEndpoint: aws.String(endpoint), UsePathStyle: true, Region: region,
		Credentials: awscreds.NewStaticCredentialsProvider(accessKey, secretKey, "")})
	return func(ctx context.Context, bucket, key string) ([]byte, error) {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			return nil, err
		}
		defer out.Body.Close()
		if n := aws.ToInt64(out.ContentLength); n > maxImportObject {
			return nil, fmt.Errorf("the object is %d bytes; at most %d are read", n, maxImportObject)
		}
		b, err := io.ReadAll(io.LimitReader(out.Body, maxImportObject+1))
		if err == nil && len(b) > maxImportObject {
			err = fmt.Errorf("the object is over %d bytes", maxImportObject)
		}
		return b, err
	}
}
