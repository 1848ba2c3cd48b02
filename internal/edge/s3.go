package edge

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

// unsignedPayload is the SigV4 payload hash of a GET without a body that
// the signer need not hash.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// s3Client addresses and signs requests to S3 origins.
type s3Client struct {
	endpoint *url.URL // nil: https://<DomainName>, virtual-hosted
	region   string
	creds    aws.Credentials
	signer   *v4.Signer
}

func newS3Client(o S3Options) (*s3Client, error) {
	c := &s3Client{region: o.Region, signer: v4.NewSigner()}
	if o.Endpoint != "" {
		u, err := url.Parse(strings.TrimSuffix(o.Endpoint, "/"))
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("edge: S3 endpoint %q is not an http(s) URL", o.Endpoint)
		}
		c.endpoint = u
	}
	c.creds = aws.Credentials{AccessKeyID: o.AccessKeyID, SecretAccessKey: o.SecretAccessKey, Source: "openfront"}
	return c, nil
}

// url is the object's URL: path-style on the configured endpoint, or the
// bucket's own DomainName in the viewer's scheme. path is the canonical
// path (package urlpath), so it has no dot segment that could climb out
// of the bucket; the key is path without its leading '/'.
func (c *s3Client) url(g *origin, path string, https bool) string {
	path = s3Path(path)
	if c.endpoint != nil {
		return c.endpoint.Scheme + "://" + c.endpoint.Host + strings.TrimSuffix(c.endpoint.Path, "/") + "/" + g.bucket + path
	}
	return "https://" + g.domain + path
}

// s3Path encodes the key that the canonical path names as the AWS SDKs do
// (every byte but unreserved ones and '/'). SigV4 for S3 signs the path as
// sent, encoded once, so the request and its signature agree on the key.
func s3Path(path string) string {
	key, err := url.PathUnescape(path)
	if err != nil {
		return path // not a canonical path: urlpath leaves no bad escape
	}
	return httpbinding.EscapePath(key, false)
}

// host is the Host header: the endpoint's when one is configured (SigV4
// signs it), else the bucket's DomainName.
func (c *s3Client) host(g *origin, u *url.URL) string {
	if c.endpoint != nil {
		return u.Host
	}
	return g.domain
}

// sign adds a SigV4 Authorization for the origin's principal (its origin
// access identity or control), replacing any Authorization the request
// carries. It runs last, after X-Amz-Cf-Id is set, since x-amz-*
// headers are signed. The headers in unsignedHeaders are sent but not
// signed.
func (c *s3Client) sign(ctx context.Context, req *http.Request, g *origin, now time.Time) error {
	if c.creds.AccessKeyID == "" {
		return nil // no credentials configured: anonymous
	}
	req.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	var held [len(unsignedHeaders)][]string
	for i, k := range unsignedHeaders {
		held[i] = req.Header[k]
		delete(req.Header, k)
	}
	// S3 takes the path as sent; the SDK's S3 client turns escaping off too.
	err := c.signer.SignHTTP(ctx, c.creds, req, unsignedPayload, "s3", c.regionOf(g), now.UTC(),
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	for i, k := range unsignedHeaders {
		if held[i] != nil {
			req.Header[k] = held[i]
		}
	}
	return err
}

// regionOf is the region g's requests are signed for. S3 answers a
// signature for another region than the bucket's with
// AuthorizationHeaderMalformed, so without an endpoint (AWS's S3 itself)
// it is the region the origin's DomainName names, as CloudFront's S3
// origins name their bucket's region; else, and for the global name
// (bucket.s3.amazonaws.com), the configured one. A configured endpoint is
// one store with one region of its own, whatever the DomainName says.
func (c *s3Client) regionOf(g *origin) string {
	if c.endpoint == nil && g.region != "" {
		return g.region
	}
	return c.region
}

// awsRegion is the region an S3 endpoint host names: bucket.s3.REGION,
// bucket.s3-REGION or bucket.s3.dualstack.REGION under amazonaws.com (or
// amazonaws.com.cn), lower-cased; "" for bucket.s3.amazonaws.com and
// other names. The last ".s3." or ".s3-" label counts, as for the bucket
// (buckets.Of): a bucket's own name may hold one.
func awsRegion(host string) string {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	rest, ok := strings.CutSuffix(h, ".amazonaws.com")
	if !ok {
		if rest, ok = strings.CutSuffix(h, ".amazonaws.com.cn"); !ok {
			return ""
		}
	}
	i := max(strings.LastIndex(rest, ".s3."), strings.LastIndex(rest, ".s3-"))
	if i < 0 {
		return ""
	}
	r := strings.TrimPrefix(rest[i+len(".s3."):], "dualstack.")
	if r == "external-1" {
		return "us-east-1" // the old name of us-east-1's endpoint
	}
	if !regionName.MatchString(r) {
		return ""
	}
	return r
}

// regionName is the form of AWS region names: us-east-1, eu-central-2,
// us-gov-west-1, cn-northwest-1.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// unsignedHeaders are left out of S3 signatures: hop-by-hop headers,
// which a proxy or the store's own front end may drop or rewrite (an
// S3-compatible store behind nginx gets "Connection: close";
// moto_server's server drops Connection, and every signed request was
// SignatureDoesNotMatch), headers each proxy appends to (Via,
// X-Forwarded-For), and the others the AWS SDKs never sign (the
// JavaScript SDK's list).
var unsignedHeaders = [...]string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"Via", "X-Forwarded-For", "Cache-Control", "Pragma", "Max-Forwards", "From", "Referer", "Expect",
}
