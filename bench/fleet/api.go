package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openfront/openfront/internal/auth"
)

// apiClient signs requests to the CloudFront API (2012-07-01 scheme, as
// bench/mkdist and the e2e tests do).
type apiClient struct {
	base, id, secret string
	http             *http.Client
}

var (
	idRE     = regexp.MustCompile(`<Id>([^<]+)</Id>`)
	statusRE = regexp.MustCompile(`<Status>([^<]+)</Status>`)
)

func field(re *regexp.Regexp, body string) string {
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func (c *apiClient) do(ctx context.Context, method, path, body string, want int) (string, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	if body != "" {
		req.Header.Set("Content-Type", "text/xml")
	}
	auth.SignLegacy(req, c.id, c.secret, time.Now())
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != want {
		return "", fmt.Errorf("%s %s: %s: %.300s", method, path, resp.Status, b)
	}
	return string(b), nil
}

// refs makes caller references unique across runs against one store.
var refs atomic.Int64

func init() { refs.Store(time.Now().UnixNano()) }

// distConfig is a minimal distribution with one custom origin on
// loopback; no viewer request reaches it, so it need not exist.
func distConfig() string {
	ref := fmt.Sprintf("fleet-%d", refs.Add(1))
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>` + ref + `</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject></DefaultRootObject>` +
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>127.0.0.1</DomainName>` +
		`<CustomOriginConfig><HTTPPort>1025</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig>` +
		`</Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>o</TargetOriginId>` +
		`<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>` +
		`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><Comment>` + ref + `</Comment>` +
		loggingXML() +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled></DistributionConfig>`
}

func (c *apiClient) createDistribution(ctx context.Context) (string, error) {
	b, err := c.do(ctx, http.MethodPost, "/2012-07-01/distribution", distConfig(), http.StatusCreated)
	if err != nil {
		return "", err
	}
	return field(idRE, b), nil
}

func (c *apiClient) createInvalidation(ctx context.Context, dist string) (string, error) {
	ref := fmt.Sprintf("fleet-inv-%d", refs.Add(1))
	body := `<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<Paths><Quantity>1</Quantity><Items><Path>/` + ref + `</Path></Items></Paths>` +
		`<CallerReference>` + ref + `</CallerReference></InvalidationBatch>`
	b, err := c.do(ctx, http.MethodPost, "/2012-07-01/distribution/"+dist+"/invalidation", body, http.StatusCreated)
	if err != nil {
		return "", err
	}
	return field(idRE, b), nil
}

// waitStatus polls path every pollEvery until its Status is want and
// returns the time from since; the polling adds at most pollEvery.
func (c *apiClient) waitStatus(ctx context.Context, path, want string, since time.Time, within time.Duration) (time.Duration, error) {
	deadline := since.Add(within)
	for {
		b, err := c.do(ctx, http.MethodGet, path, "", http.StatusOK)
		if err != nil {
			return 0, err
		}
		if s := field(statusRE, b); s == want {
			return time.Since(since), nil
		} else if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s still %s after %s", path, s, within)
		}
		time.Sleep(pollEvery)
	}
}

const pollEvery = 10 * time.Millisecond

// createMany creates n distributions with `clients` concurrent clients
// and returns creates per second.
func (c *apiClient) createMany(ctx context.Context, n, clients int) (float64, []string, error) {
	var next atomic.Int64
	ids := make([]string, n)
	errs := make(chan error, clients)
	begin := time.Now()
	for range clients {
		go func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					errs <- nil
					return
				}
				id, err := c.createDistribution(ctx)
				if err != nil {
					errs <- err
					return
				}
				ids[i] = id
			}
		}()
	}
	var first error
	for range clients {
		if err := <-errs; err != nil && first == nil {
			first = err
			next.Store(int64(n)) // the others stop after their request
		}
	}
	elapsed := time.Since(begin)
	if first != nil {
		return 0, nil, first
	}
	return float64(n) / elapsed.Seconds(), ids, nil
}
