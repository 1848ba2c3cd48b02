package accesslog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3Options says how the log buckets are reached.
type S3Options struct {
	// Endpoint is the URL of an S3-compatible server; buckets are
	// addressed path-style on it.
	Endpoint        string
	Region          string // default us-east-1
	AccessKeyID     string
	SecretAccessKey string
	HTTPClient      *http.Client // nil: the SDK's default
}

// S3Sink uploads each file with one PutObject, which S3 makes visible
// whole or not at all.
type S3Sink struct {
	client *s3.Client
}

// NewS3Sink returns a sink for the server at o.Endpoint.
func NewS3Sink(o S3Options) (*S3Sink, error) {
	u, err := url.Parse(o.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("accesslog: S3 endpoint %q is not an http(s) URL", o.Endpoint)
	}
	if o.AccessKeyID == "" || o.SecretAccessKey == "" {
		return nil, errors.New("accesslog: S3 log delivery needs an access key and secret")
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	so := s3.Options{
		BaseEndpoint: aws.String(o.Endpoint),
		UsePathStyle: true,
		Region:       o.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(o.AccessKeyID, o.SecretAccessKey, ""),
	}
	if o.HTTPClient != nil {
		so.HTTPClient = o.HTTPClient
	}
	return &S3Sink{client: s3.New(so)}, nil
}

// Put uploads body as key in bucket.
func (s *S3Sink) Put(ctx context.Context, bucket, key string, body []byte) error {
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String("application/x-gzip"),
	})
	if err != nil {
		return fmt.Errorf("accesslog: put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}
